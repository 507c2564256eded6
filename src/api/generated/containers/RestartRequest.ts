// Original file: proto/containers.proto


export interface RestartRequest {
  'id'?: (string);
  'timeout'?: (number);
}

export interface RestartRequest__Output {
  'id': (string);
  'timeout': (number);
}
