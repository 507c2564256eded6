// Original file: proto/volumes.proto


export interface PruneVolumeRequest {
}

export interface PruneVolumeRequest__Output {
}
