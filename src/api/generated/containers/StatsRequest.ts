// Original file: proto/containers.proto


export interface StatsRequest {
  'runtime'?: (string);
  'containers'?: (string)[];
  'all'?: (boolean);
}

export interface StatsRequest__Output {
  'runtime': (string);
  'containers': (string)[];
  'all': (boolean);
}
