// Original file: proto/images.proto


export interface SearchImage {
  'name'?: (string);
  'description'?: (string);
  'star_count'?: (number);
  'is_official'?: (boolean);
  'is_automated'?: (boolean);
}

export interface SearchImage__Output {
  'name': (string);
  'description': (string);
  'star_count': (number);
  'is_official': (boolean);
  'is_automated': (boolean);
}
