// Original file: proto/containers.proto

import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../google/protobuf/Timestamp.ts';

export interface Event {
  'timestamp'?: (_google_protobuf_Timestamp | null);
  'opt'?: (string);
  'id'?: (string);
  'annotations'?: ({[key: string]: string});
}

export interface Event__Output {
  'timestamp': (_google_protobuf_Timestamp__Output | null);
  'opt': (string);
  'id': (string);
  'annotations': ({[key: string]: string});
}
