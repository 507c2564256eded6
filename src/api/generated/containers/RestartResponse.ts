// Original file: proto/containers.proto


export interface RestartResponse {
  'cc'?: (number);
  'errmsg'?: (string);
}

export interface RestartResponse__Output {
  'cc': (number);
  'errmsg': (string);
}
