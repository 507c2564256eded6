// Original file: proto/containers.proto


export interface ExecRequest {
  'container_id'?: (string);
  'tty'?: (boolean);
  'open_stdin'?: (boolean);
  'attach_stdin'?: (boolean);
  'attach_stdout'?: (boolean);
  'attach_stderr'?: (boolean);
  'stdin'?: (string);
  'stdout'?: (string);
  'stderr'?: (string);
  'argv'?: (string)[];
  'env'?: (string)[];
  'user'?: (string);
  'suffix'?: (string);
  'workdir'?: (string);
  'privileged'?: (boolean);
}

export interface ExecRequest__Output {
  'container_id': (string);
  'tty': (boolean);
  'open_stdin': (boolean);
  'attach_stdin': (boolean);
  'attach_stdout': (boolean);
  'attach_stderr': (boolean);
  'stdin': (string);
  'stdout': (string);
  'stderr': (string);
  'argv': (string)[];
  'env': (string)[];
  'user': (string);
  'suffix': (string);
  'workdir': (string);
  'privileged': (boolean);
}
