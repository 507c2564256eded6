// Original file: proto/containers.proto


export interface RemoteStartResponse {
  'stdout'?: (Buffer | Uint8Array | string);
  'stderr'?: (Buffer | Uint8Array | string);
  'finish'?: (boolean);
}

export interface RemoteStartResponse__Output {
  'stdout': (Buffer);
  'stderr': (Buffer);
  'finish': (boolean);
}
