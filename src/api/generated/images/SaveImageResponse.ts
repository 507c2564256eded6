// Original file: proto/images.proto


export interface SaveImageResponse {
  'data'?: (Buffer | Uint8Array | string);
}

export interface SaveImageResponse__Output {
  'data': (Buffer);
}
