// Original file: proto/networks.proto


export interface NetworkInspectResponse {
  'NetworkJSON'?: (string);
  'cc'?: (number);
  'errmsg'?: (string);
}

export interface NetworkInspectResponse__Output {
  'NetworkJSON': (string);
  'cc': (number);
  'errmsg': (string);
}
