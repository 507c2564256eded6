// Original file: proto/images.proto


export interface TagImageResponse {
  'cc'?: (number);
  'errmsg'?: (string);
}

export interface TagImageResponse__Output {
  'cc': (number);
  'errmsg': (string);
}
