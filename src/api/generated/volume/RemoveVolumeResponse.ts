// Original file: proto/volumes.proto


export interface RemoveVolumeResponse {
  'cc'?: (number);
  'errmsg'?: (string);
}

export interface RemoveVolumeResponse__Output {
  'cc': (number);
  'errmsg': (string);
}
