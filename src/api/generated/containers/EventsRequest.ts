// Original file: proto/containers.proto

import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../google/protobuf/Timestamp.ts';

export interface EventsRequest {
  'since'?: (_google_protobuf_Timestamp | null);
  'until'?: (_google_protobuf_Timestamp | null);
  'storeOnly'?: (boolean);
  'id'?: (string);
}

export interface EventsRequest__Output {
  'since': (_google_protobuf_Timestamp__Output | null);
  'until': (_google_protobuf_Timestamp__Output | null);
  'storeOnly': (boolean);
  'id': (string);
}
