// Original file: proto/containers.proto


export interface ResizeResponse {
  'id'?: (string);
  'cc'?: (number);
  'errmsg'?: (string);
}

export interface ResizeResponse__Output {
  'id': (string);
  'cc': (number);
  'errmsg': (string);
}
