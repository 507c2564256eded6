// Original file: proto/images.proto


export interface CommitRequest {
  'container'?: (string);
  'repo'?: (string);
  'author'?: (string);
  'message'?: (string);
  'changes'?: (string)[];
  'no_pause'?: (boolean);
}

export interface CommitRequest__Output {
  'container': (string);
  'repo': (string);
  'author': (string);
  'message': (string);
  'changes': (string)[];
  'no_pause': (boolean);
}
