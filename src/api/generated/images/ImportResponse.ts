// Original file: proto/images.proto


export interface ImportResponse {
  'id'?: (string);
  'cc'?: (number);
  'errmsg'?: (string);
}

export interface ImportResponse__Output {
  'id': (string);
  'cc': (number);
  'errmsg': (string);
}
