// Original file: proto/images.proto


export interface LogoutResponse {
  'cc'?: (number);
  'errmsg'?: (string);
}

export interface LogoutResponse__Output {
  'cc': (number);
  'errmsg': (string);
}
