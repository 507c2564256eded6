// Original file: proto/networks.proto


export interface NetworkInspectRequest {
  'name'?: (string);
}

export interface NetworkInspectRequest__Output {
  'name': (string);
}
