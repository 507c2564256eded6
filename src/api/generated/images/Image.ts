// Original file: proto/images.proto

import type { Descriptor as _images_Descriptor, Descriptor__Output as _images_Descriptor__Output } from '../images/Descriptor.ts';
import type { Long } from '@grpc/proto-loader';

export interface Image {
  'name'?: (string);
  'labels'?: ({[key: string]: string});
  'target'?: (_images_Descriptor | null);
  'created_at'?: (string);
  'updated_at'?: (string);
  'id'?: (string);
  'repo_tags'?: (string)[];
  'repo_digests'?: (string)[];
  'size'?: (number | string | Long);
}

export interface Image__Output {
  'name': (string);
  'labels': ({[key: string]: string});
  'target': (_images_Descriptor__Output | null);
  'created_at': (string);
  'updated_at': (string);
  'id': (string);
  'repo_tags': (string)[];
  'repo_digests': (string)[];
  'size': (string);
}
