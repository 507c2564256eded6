// Original file: proto/images.proto


export interface PullImageRequest {
  'image'?: (string);
  'platform'?: (string);
}

export interface PullImageRequest__Output {
  'image': (string);
  'platform': (string);
}
