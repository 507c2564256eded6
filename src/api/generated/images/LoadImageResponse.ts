// Original file: proto/images.proto


export interface LoadImageResponse {
  'ids'?: (string)[];
  'names'?: (string)[];
  'cc'?: (number);
  'errmsg'?: (string);
}

export interface LoadImageResponse__Output {
  'ids': (string)[];
  'names': (string)[];
  'cc': (number);
  'errmsg': (string);
}
