// Original file: proto/containers.proto


export interface ExportResponse {
  'cc'?: (number);
  'errmsg'?: (string);
}

export interface ExportResponse__Output {
  'cc': (number);
  'errmsg': (string);
}
