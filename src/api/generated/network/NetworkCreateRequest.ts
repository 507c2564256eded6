// Original file: proto/networks.proto


export interface NetworkCreateRequest {
  'name'?: (string);
  'driver'?: (string);
  'gateway'?: (string);
  'internal'?: (boolean);
  'subnet'?: (string);
  'labels'?: ({[key: string]: string});
}

export interface NetworkCreateRequest__Output {
  'name': (string);
  'driver': (string);
  'gateway': (string);
  'internal': (boolean);
  'subnet': (string);
  'labels': ({[key: string]: string});
}
