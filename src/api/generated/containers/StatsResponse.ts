// Original file: proto/containers.proto

import type { Container_info as _containers_Container_info, Container_info__Output as _containers_Container_info__Output } from '../containers/Container_info.ts';

export interface StatsResponse {
  'containers'?: (_containers_Container_info)[];
  'cc'?: (number);
  'errmsg'?: (string);
}

export interface StatsResponse__Output {
  'containers': (_containers_Container_info__Output)[];
  'cc': (number);
  'errmsg': (string);
}
