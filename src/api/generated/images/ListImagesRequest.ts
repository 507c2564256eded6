// Original file: proto/images.proto


export interface ListImagesRequest {
  'filters'?: ({[key: string]: string});
  'filter_args'?: (string)[];
}

export interface ListImagesRequest__Output {
  'filters': ({[key: string]: string});
  'filter_args': (string)[];
}
