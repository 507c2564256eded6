// Original file: proto/volumes.proto


export interface PruneVolumeResponse {
  'volumes'?: (string)[];
  'cc'?: (number);
  'errmsg'?: (string);
}

export interface PruneVolumeResponse__Output {
  'volumes': (string)[];
  'cc': (number);
  'errmsg': (string);
}
