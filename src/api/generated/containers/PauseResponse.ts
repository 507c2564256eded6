// Original file: proto/containers.proto


export interface PauseResponse {
  'cc'?: (number);
  'errmsg'?: (string);
}

export interface PauseResponse__Output {
  'cc': (number);
  'errmsg': (string);
}
