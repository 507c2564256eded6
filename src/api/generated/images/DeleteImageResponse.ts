// Original file: proto/images.proto


export interface DeleteImageResponse {
  'name'?: (string);
  'cc'?: (number);
  'errmsg'?: (string);
}

export interface DeleteImageResponse__Output {
  'name': (string);
  'cc': (number);
  'errmsg': (string);
}
