// Original file: proto/volumes.proto

import type { Volume as _volume_Volume, Volume__Output as _volume_Volume__Output } from '../volume/Volume.ts';

export interface ListVolumeResponse {
  'volumes'?: (_volume_Volume)[];
  'cc'?: (number);
  'errmsg'?: (string);
}

export interface ListVolumeResponse__Output {
  'volumes': (_volume_Volume__Output)[];
  'cc': (number);
  'errmsg': (string);
}
