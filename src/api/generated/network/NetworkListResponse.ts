// Original file: proto/networks.proto

import type { NetworkInfo as _network_NetworkInfo, NetworkInfo__Output as _network_NetworkInfo__Output } from '../network/NetworkInfo.ts';

export interface NetworkListResponse {
  'networks'?: (_network_NetworkInfo)[];
  'cc'?: (number);
  'errmsg'?: (string);
}

export interface NetworkListResponse__Output {
  'networks': (_network_NetworkInfo__Output)[];
  'cc': (number);
  'errmsg': (string);
}
