// Original file: proto/volumes.proto


export interface Volume {
  'driver'?: (string);
  'name'?: (string);
}

export interface Volume__Output {
  'driver': (string);
  'name': (string);
}
