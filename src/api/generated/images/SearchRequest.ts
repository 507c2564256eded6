// Original file: proto/images.proto


export interface SearchRequest {
  'search_name'?: (string);
  'limit'?: (number);
  'filters'?: (string)[];
}

export interface SearchRequest__Output {
  'search_name': (string);
  'limit': (number);
  'filters': (string)[];
}
