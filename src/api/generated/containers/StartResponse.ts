// Original file: proto/containers.proto


export interface StartResponse {
  'cc'?: (number);
  'errmsg'?: (string);
}

export interface StartResponse__Output {
  'cc': (number);
  'errmsg': (string);
}
