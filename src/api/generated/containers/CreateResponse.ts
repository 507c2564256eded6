// Original file: proto/containers.proto


export interface CreateResponse {
  'id'?: (string);
  'pid'?: (number);
  'cc'?: (number);
  'errmsg'?: (string);
}

export interface CreateResponse__Output {
  'id': (string);
  'pid': (number);
  'cc': (number);
  'errmsg': (string);
}
