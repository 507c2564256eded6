// Original file: proto/containers.proto


export interface CopyFromContainerResponse {
  'data'?: (Buffer | Uint8Array | string);
}

export interface CopyFromContainerResponse__Output {
  'data': (Buffer);
}
