// Original file: proto/containers.proto


export interface ResumeRequest {
  'id'?: (string);
}

export interface ResumeRequest__Output {
  'id': (string);
}
