// Original file: proto/containers.proto


export interface RenameResponse {
  'id'?: (string);
  'cc'?: (number);
  'errmsg'?: (string);
}

export interface RenameResponse__Output {
  'id': (string);
  'cc': (number);
  'errmsg': (string);
}
