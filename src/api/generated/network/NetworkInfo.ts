// Original file: proto/networks.proto


export interface NetworkInfo {
  'name'?: (string);
  'version'?: (string);
  'plugins'?: (string)[];
  'driver'?: (string);
  'subnet'?: (string);
  'id'?: (string);
  'labels'?: ({[key: string]: string});
}

export interface NetworkInfo__Output {
  'name': (string);
  'version': (string);
  'plugins': (string)[];
  'driver': (string);
  'subnet': (string);
  'id': (string);
  'labels': ({[key: string]: string});
}
