// Original file: proto/containers.proto


export interface KillResponse {
  'id'?: (string);
  'cc'?: (number);
  'errmsg'?: (string);
}

export interface KillResponse__Output {
  'id': (string);
  'cc': (number);
  'errmsg': (string);
}
