// Original file: proto/cri.proto


export interface StopPodSandboxResponse {
}

export interface StopPodSandboxResponse__Output {
}
