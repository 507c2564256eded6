// Original file: proto/containers.proto


export interface WaitResponse {
  'cc'?: (number);
  'exit_code'?: (number);
  'errmsg'?: (string);
}

export interface WaitResponse__Output {
  'cc': (number);
  'exit_code': (number);
  'errmsg': (string);
}
