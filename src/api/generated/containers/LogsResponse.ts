// Original file: proto/containers.proto


export interface LogsResponse {
  'data'?: (Buffer | Uint8Array | string);
  'stream'?: (string);
  'time'?: (string);
  'attrs'?: (Buffer | Uint8Array | string);
}

export interface LogsResponse__Output {
  'data': (Buffer);
  'stream': (string);
  'time': (string);
  'attrs': (Buffer);
}
