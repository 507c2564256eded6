// Original file: proto/containers.proto


export interface StopRequest {
  'id'?: (string);
  'force'?: (boolean);
  'timeout'?: (number);
}

export interface StopRequest__Output {
  'id': (string);
  'force': (boolean);
  'timeout': (number);
}
