// Original file: proto/images.proto


export interface SaveImageRequest {
  'images'?: (string)[];
}

export interface SaveImageRequest__Output {
  'images': (string)[];
}
