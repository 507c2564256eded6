// Original file: proto/containers.proto


export interface CopyFromContainerRequest {
  'id'?: (string);
  'runtime'?: (string);
  'srcpath'?: (string);
}

export interface CopyFromContainerRequest__Output {
  'id': (string);
  'runtime': (string);
  'srcpath': (string);
}
