// Original file: proto/containers.proto


export interface AttachRequest {
  'stdin'?: (Buffer | Uint8Array | string);
  'finish'?: (boolean);
}

export interface AttachRequest__Output {
  'stdin': (Buffer);
  'finish': (boolean);
}
