// Original file: proto/containers.proto


export interface UpdateResponse {
  'id'?: (string);
  'cc'?: (number);
  'errmsg'?: (string);
}

export interface UpdateResponse__Output {
  'id': (string);
  'cc': (number);
  'errmsg': (string);
}
