// Original file: proto/containers.proto


export interface CopyToContainerResponse {
  'finish'?: (boolean);
}

export interface CopyToContainerResponse__Output {
  'finish': (boolean);
}
