// Original file: proto/containers.proto


export interface CopyToContainerRequest {
  'data'?: (Buffer | Uint8Array | string);
}

export interface CopyToContainerRequest__Output {
  'data': (Buffer);
}
