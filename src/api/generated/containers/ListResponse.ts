// Original file: proto/containers.proto

import type { Container as _containers_Container, Container__Output as _containers_Container__Output } from '../containers/Container.ts';

export interface ListResponse {
  'containers'?: (_containers_Container)[];
  'cc'?: (number);
  'errmsg'?: (string);
}

export interface ListResponse__Output {
  'containers': (_containers_Container__Output)[];
  'cc': (number);
  'errmsg': (string);
}
