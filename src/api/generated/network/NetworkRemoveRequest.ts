// Original file: proto/networks.proto


export interface NetworkRemoveRequest {
  'name'?: (string);
}

export interface NetworkRemoveRequest__Output {
  'name': (string);
}
