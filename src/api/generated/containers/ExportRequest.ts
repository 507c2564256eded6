// Original file: proto/containers.proto


export interface ExportRequest {
  'id'?: (string);
  'file'?: (string);
}

export interface ExportRequest__Output {
  'id': (string);
  'file': (string);
}
