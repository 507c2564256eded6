// Original file: proto/containers.proto


export interface KillRequest {
  'id'?: (string);
  'signal'?: (number);
}

export interface KillRequest__Output {
  'id': (string);
  'signal': (number);
}
