// Original file: proto/containers.proto


export interface TopResponse {
  'titles'?: (Buffer | Uint8Array | string);
  'processes'?: (Buffer | Uint8Array | string)[];
  'cc'?: (number);
  'errmsg'?: (string);
}

export interface TopResponse__Output {
  'titles': (Buffer);
  'processes': (Buffer)[];
  'cc': (number);
  'errmsg': (string);
}
