// Original file: proto/containers.proto


export interface StartRequest {
  'id'?: (string);
  'stdin'?: (string);
  'attach_stdin'?: (boolean);
  'stdout'?: (string);
  'attach_stdout'?: (boolean);
  'stderr'?: (string);
  'attach_stderr'?: (boolean);
}

export interface StartRequest__Output {
  'id': (string);
  'stdin': (string);
  'attach_stdin': (boolean);
  'stdout': (string);
  'attach_stdout': (boolean);
  'stderr': (string);
  'attach_stderr': (boolean);
}
