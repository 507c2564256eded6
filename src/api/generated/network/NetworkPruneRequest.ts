// Original file: proto/networks.proto


export interface NetworkPruneRequest {
}

export interface NetworkPruneRequest__Output {
}
