// Original file: proto/containers.proto


export interface StopResponse {
  'cc'?: (number);
  'errmsg'?: (string);
}

export interface StopResponse__Output {
  'cc': (number);
  'errmsg': (string);
}
