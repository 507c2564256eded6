// Original file: proto/images.proto


export interface CommitResponse {
  'id'?: (string);
  'cc'?: (number);
  'errmsg'?: (string);
}

export interface CommitResponse__Output {
  'id': (string);
  'cc': (number);
  'errmsg': (string);
}
