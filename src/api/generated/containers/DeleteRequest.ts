// Original file: proto/containers.proto


export interface DeleteRequest {
  'id'?: (string);
  'force'?: (boolean);
  'volumes'?: (boolean);
}

export interface DeleteRequest__Output {
  'id': (string);
  'force': (boolean);
  'volumes': (boolean);
}
