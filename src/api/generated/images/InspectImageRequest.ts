// Original file: proto/images.proto


export interface InspectImageRequest {
  'id'?: (string);
  'bformat'?: (boolean);
  'timeout'?: (number);
}

export interface InspectImageRequest__Output {
  'id': (string);
  'bformat': (boolean);
  'timeout': (number);
}
