// Original file: proto/containers.proto


export interface InfoRequest {
}

export interface InfoRequest__Output {
}
