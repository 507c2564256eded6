// Original file: proto/images.proto


export interface LoginResponse {
  'cc'?: (number);
  'errmsg'?: (string);
}

export interface LoginResponse__Output {
  'cc': (number);
  'errmsg': (string);
}
