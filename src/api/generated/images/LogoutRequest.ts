// Original file: proto/images.proto


export interface LogoutRequest {
  'server'?: (string);
}

export interface LogoutRequest__Output {
  'server': (string);
}
