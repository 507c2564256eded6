// Original file: proto/cri.proto


export interface RemoveImageResponse {
}

export interface RemoveImageResponse__Output {
}
