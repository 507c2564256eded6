// Original file: proto/containers.proto


export interface RemoteExecRequest {
  'cmd'?: (Buffer | Uint8Array | string)[];
  'finish'?: (boolean);
}

export interface RemoteExecRequest__Output {
  'cmd': (Buffer)[];
  'finish': (boolean);
}
