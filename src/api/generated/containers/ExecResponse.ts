// Original file: proto/containers.proto


export interface ExecResponse {
  'pid'?: (number);
  'exit_code'?: (number);
  'cc'?: (number);
  'errmsg'?: (string);
}

export interface ExecResponse__Output {
  'pid': (number);
  'exit_code': (number);
  'cc': (number);
  'errmsg': (string);
}
