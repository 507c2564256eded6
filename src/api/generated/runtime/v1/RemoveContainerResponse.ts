// Original file: proto/cri.proto


export interface RemoveContainerResponse {
}

export interface RemoveContainerResponse__Output {
}
