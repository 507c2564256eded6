// Original file: proto/networks.proto


export interface NetworkRemoveResponse {
  'name'?: (string);
  'cc'?: (number);
  'errmsg'?: (string);
}

export interface NetworkRemoveResponse__Output {
  'name': (string);
  'cc': (number);
  'errmsg': (string);
}
