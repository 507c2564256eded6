// Original file: proto/containers.proto


export interface RemoteExecResponse {
  'stdout'?: (Buffer | Uint8Array | string);
  'stderr'?: (Buffer | Uint8Array | string);
  'finish'?: (boolean);
}

export interface RemoteExecResponse__Output {
  'stdout': (Buffer);
  'stderr': (Buffer);
  'finish': (boolean);
}
