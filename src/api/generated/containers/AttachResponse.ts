// Original file: proto/containers.proto


export interface AttachResponse {
  'stdout'?: (Buffer | Uint8Array | string);
  'stderr'?: (Buffer | Uint8Array | string);
  'finish'?: (boolean);
}

export interface AttachResponse__Output {
  'stdout': (Buffer);
  'stderr': (Buffer);
  'finish': (boolean);
}
