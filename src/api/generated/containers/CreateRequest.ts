// Original file: proto/containers.proto


export interface CreateRequest {
  'id'?: (string);
  'rootfs'?: (string);
  'image'?: (string);
  'runtime'?: (string);
  'hostconfig'?: (string);
  'customconfig'?: (string);
}

export interface CreateRequest__Output {
  'id': (string);
  'rootfs': (string);
  'image': (string);
  'runtime': (string);
  'hostconfig': (string);
  'customconfig': (string);
}
