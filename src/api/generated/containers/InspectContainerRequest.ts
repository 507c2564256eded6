// Original file: proto/containers.proto


export interface InspectContainerRequest {
  'id'?: (string);
  'bformat'?: (boolean);
  'timeout'?: (number);
}

export interface InspectContainerRequest__Output {
  'id': (string);
  'bformat': (boolean);
  'timeout': (number);
}
