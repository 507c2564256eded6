// Original file: proto/cri.proto


export interface RuntimeConfigRequest {
}

export interface RuntimeConfigRequest__Output {
}
