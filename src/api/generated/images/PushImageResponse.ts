// Original file: proto/images.proto

import type { Long } from '@grpc/proto-loader';

export interface PushImageResponse {
  'status'?: (string);
  'layer'?: (string);
  'current'?: (number | string | Long);
  'total'?: (number | string | Long);
  'digest'?: (string);
}

export interface PushImageResponse__Output {
  'status': (string);
  'layer': (string);
  'current': (string);
  'total': (string);
  'digest': (string);
}
