// Original file: proto/containers.proto


export interface RemoteStartRequest {
  'stdin'?: (Buffer | Uint8Array | string);
  'finish'?: (boolean);
}

export interface RemoteStartRequest__Output {
  'stdin': (Buffer);
  'finish': (boolean);
}
