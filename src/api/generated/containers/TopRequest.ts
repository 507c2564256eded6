// Original file: proto/containers.proto


export interface TopRequest {
  'id'?: (string);
  'args'?: (string)[];
}

export interface TopRequest__Output {
  'id': (string);
  'args': (string)[];
}
