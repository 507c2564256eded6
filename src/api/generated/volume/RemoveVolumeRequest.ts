// Original file: proto/volumes.proto


export interface RemoveVolumeRequest {
  'name'?: (string);
}

export interface RemoveVolumeRequest__Output {
  'name': (string);
}
