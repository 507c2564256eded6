// Original file: proto/containers.proto


export interface ListRequest {
  'filters'?: ({[key: string]: string});
  'all'?: (boolean);
}

export interface ListRequest__Output {
  'filters': ({[key: string]: string});
  'all': (boolean);
}
