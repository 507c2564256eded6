// Original file: proto/networks.proto


export interface NetworkListRequest {
  'filters'?: (string)[];
}

export interface NetworkListRequest__Output {
  'filters': (string)[];
}
