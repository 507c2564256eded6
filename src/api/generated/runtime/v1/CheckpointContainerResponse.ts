// Original file: proto/cri.proto


export interface CheckpointContainerResponse {
}

export interface CheckpointContainerResponse__Output {
}
