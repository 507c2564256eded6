// Original file: proto/volumes.proto


export interface ListVolumeRequest {
}

export interface ListVolumeRequest__Output {
}
