// Original file: proto/containers.proto

import type { Long } from '@grpc/proto-loader';

export interface LogsRequest {
  'id'?: (string);
  'runtime'?: (string);
  'since'?: (string);
  'until'?: (string);
  'timestamps'?: (boolean);
  'follow'?: (boolean);
  'tail'?: (number | string | Long);
  'details'?: (boolean);
}

export interface LogsRequest__Output {
  'id': (string);
  'runtime': (string);
  'since': (string);
  'until': (string);
  'timestamps': (boolean);
  'follow': (boolean);
  'tail': (string);
  'details': (boolean);
}
