// Original file: proto/cri.proto


export interface GetEventsRequest {
}

export interface GetEventsRequest__Output {
}
