// Original file: proto/images.proto

import type { SearchImage as _images_SearchImage, SearchImage__Output as _images_SearchImage__Output } from '../images/SearchImage.ts';

export interface SearchResponse {
  'search_result'?: (_images_SearchImage)[];
  'cc'?: (number);
  'errmsg'?: (string);
}

export interface SearchResponse__Output {
  'search_result': (_images_SearchImage__Output)[];
  'cc': (number);
  'errmsg': (string);
}
