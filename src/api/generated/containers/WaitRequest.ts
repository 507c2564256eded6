// Original file: proto/containers.proto


export interface WaitRequest {
  'id'?: (string);
  'condition'?: (number);
}

export interface WaitRequest__Output {
  'id': (string);
  'condition': (number);
}
