// Original file: proto/networks.proto


export interface NetworkCreateResponse {
  'name'?: (string);
  'cc'?: (number);
  'errmsg'?: (string);
}

export interface NetworkCreateResponse__Output {
  'name': (string);
  'cc': (number);
  'errmsg': (string);
}
