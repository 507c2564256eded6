// Original file: proto/containers.proto


export interface VersionRequest {
}

export interface VersionRequest__Output {
}
