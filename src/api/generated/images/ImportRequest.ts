// Original file: proto/images.proto


export interface ImportRequest {
  'file'?: (string);
  'tag'?: (string);
  'data'?: (Buffer | Uint8Array | string);
}

export interface ImportRequest__Output {
  'file': (string);
  'tag': (string);
  'data': (Buffer);
}
