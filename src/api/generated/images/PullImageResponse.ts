// Original file: proto/images.proto

import type { Long } from '@grpc/proto-loader';

export interface PullImageResponse {
  'status'?: (string);
  'layer'?: (string);
  'current'?: (number | string | Long);
  'total'?: (number | string | Long);
  'image_id'?: (string);
  'image_ref'?: (string);
}

export interface PullImageResponse__Output {
  'status': (string);
  'layer': (string);
  'current': (string);
  'total': (string);
  'image_id': (string);
  'image_ref': (string);
}
