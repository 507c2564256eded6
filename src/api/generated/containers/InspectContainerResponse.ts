// Original file: proto/containers.proto


export interface InspectContainerResponse {
  'ContainerJSON'?: (string);
  'cc'?: (number);
  'errmsg'?: (string);
}

export interface InspectContainerResponse__Output {
  'ContainerJSON': (string);
  'cc': (number);
  'errmsg': (string);
}
