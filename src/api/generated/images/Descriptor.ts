// Original file: proto/images.proto

import type { Long } from '@grpc/proto-loader';

export interface Descriptor {
  'media_type'?: (string);
  'digest'?: (string);
  'size'?: (number | string | Long);
}

export interface Descriptor__Output {
  'media_type': (string);
  'digest': (string);
  'size': (string);
}
