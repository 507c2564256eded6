// Original file: proto/images.proto


export interface DeleteImageRequest {
  'name'?: (string);
  'force'?: (boolean);
}

export interface DeleteImageRequest__Output {
  'name': (string);
  'force': (boolean);
}
