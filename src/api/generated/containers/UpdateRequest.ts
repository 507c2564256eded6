// Original file: proto/containers.proto


export interface UpdateRequest {
  'id'?: (string);
  'hostconfig'?: (string);
}

export interface UpdateRequest__Output {
  'id': (string);
  'hostconfig': (string);
}
