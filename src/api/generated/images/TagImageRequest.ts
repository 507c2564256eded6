// Original file: proto/images.proto


export interface TagImageRequest {
  'src_name'?: (string);
  'dest_name'?: (string);
}

export interface TagImageRequest__Output {
  'src_name': (string);
  'dest_name': (string);
}
