// Original file: proto/containers.proto


export interface PauseRequest {
  'id'?: (string);
}

export interface PauseRequest__Output {
  'id': (string);
}
