// Original file: proto/images.proto


export interface PushImageRequest {
  'image'?: (string);
}

export interface PushImageRequest__Output {
  'image': (string);
}
