// Original file: proto/images.proto


export interface InspectImageResponse {
  'ImageJSON'?: (string);
  'cc'?: (number);
  'errmsg'?: (string);
}

export interface InspectImageResponse__Output {
  'ImageJSON': (string);
  'cc': (number);
  'errmsg': (string);
}
