// Original file: proto/images.proto

import type { Image as _images_Image, Image__Output as _images_Image__Output } from '../images/Image.ts';

export interface ListImagesResponse {
  'images'?: (_images_Image)[];
  'cc'?: (number);
  'errmsg'?: (string);
}

export interface ListImagesResponse__Output {
  'images': (_images_Image__Output)[];
  'cc': (number);
  'errmsg': (string);
}
