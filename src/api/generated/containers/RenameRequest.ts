// Original file: proto/containers.proto


export interface RenameRequest {
  'oldname'?: (string);
  'newname'?: (string);
}

export interface RenameRequest__Output {
  'oldname': (string);
  'newname': (string);
}
