// Original file: proto/containers.proto


export interface DeleteResponse {
  'id'?: (string);
  'exit_status'?: (number);
  'cc'?: (number);
  'errmsg'?: (string);
}

export interface DeleteResponse__Output {
  'id': (string);
  'exit_status': (number);
  'cc': (number);
  'errmsg': (string);
}
