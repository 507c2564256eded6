// Original file: proto/containers.proto


export interface VersionResponse {
  'version'?: (string);
  'git_commit'?: (string);
  'build_time'?: (string);
  'root_path'?: (string);
  'cc'?: (number);
  'errmsg'?: (string);
}

export interface VersionResponse__Output {
  'version': (string);
  'git_commit': (string);
  'build_time': (string);
  'root_path': (string);
  'cc': (number);
  'errmsg': (string);
}
