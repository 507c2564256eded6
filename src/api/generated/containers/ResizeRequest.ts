// Original file: proto/containers.proto


export interface ResizeRequest {
  'id'?: (string);
  'suffix'?: (string);
  'height'?: (number);
  'width'?: (number);
}

export interface ResizeRequest__Output {
  'id': (string);
  'suffix': (string);
  'height': (number);
  'width': (number);
}
