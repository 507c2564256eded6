// Original file: proto/containers.proto


export interface ResumeResponse {
  'cc'?: (number);
  'errmsg'?: (string);
}

export interface ResumeResponse__Output {
  'cc': (number);
  'errmsg': (string);
}
