// Original file: proto/networks.proto


export interface NetworkPruneResponse {
  'networks'?: (string)[];
  'cc'?: (number);
  'errmsg'?: (string);
}

export interface NetworkPruneResponse__Output {
  'networks': (string)[];
  'cc': (number);
  'errmsg': (string);
}
