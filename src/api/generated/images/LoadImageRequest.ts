// Original file: proto/images.proto


export interface LoadImageRequest {
  'file'?: (string);
  'type'?: (string);
  'tag'?: (string);
  'data'?: (Buffer | Uint8Array | string);
  'platform'?: (string);
}

export interface LoadImageRequest__Output {
  'file': (string);
  'type': (string);
  'tag': (string);
  'data': (Buffer);
  'platform': (string);
}
