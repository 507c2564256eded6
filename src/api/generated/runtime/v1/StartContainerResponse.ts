// Original file: proto/cri.proto


export interface StartContainerResponse {
}

export interface StartContainerResponse__Output {
}
