// Original file: proto/images.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { DeleteImageRequest as _images_DeleteImageRequest, DeleteImageRequest__Output as _images_DeleteImageRequest__Output } from '../images/DeleteImageRequest.ts';
import type { DeleteImageResponse as _images_DeleteImageResponse, DeleteImageResponse__Output as _images_DeleteImageResponse__Output } from '../images/DeleteImageResponse.ts';
import type { ImportRequest as _images_ImportRequest, ImportRequest__Output as _images_ImportRequest__Output } from '../images/ImportRequest.ts';
import type { ImportResponse as _images_ImportResponse, ImportResponse__Output as _images_ImportResponse__Output } from '../images/ImportResponse.ts';
import type { InspectImageRequest as _images_InspectImageRequest, InspectImageRequest__Output as _images_InspectImageRequest__Output } from '../images/InspectImageRequest.ts';
import type { InspectImageResponse as _images_InspectImageResponse, InspectImageResponse__Output as _images_InspectImageResponse__Output } from '../images/InspectImageResponse.ts';
import type { ListImagesRequest as _images_ListImagesRequest, ListImagesRequest__Output as _images_ListImagesRequest__Output } from '../images/ListImagesRequest.ts';
import type { ListImagesResponse as _images_ListImagesResponse, ListImagesResponse__Output as _images_ListImagesResponse__Output } from '../images/ListImagesResponse.ts';
import type { LoadImageRequest as _images_LoadImageRequest, LoadImageRequest__Output as _images_LoadImageRequest__Output } from '../images/LoadImageRequest.ts';
import type { LoadImageResponse as _images_LoadImageResponse, LoadImageResponse__Output as _images_LoadImageResponse__Output } from '../images/LoadImageResponse.ts';
import type { SaveImageRequest as _images_SaveImageRequest, SaveImageRequest__Output as _images_SaveImageRequest__Output } from '../images/SaveImageRequest.ts';
import type { SaveImageResponse as _images_SaveImageResponse, SaveImageResponse__Output as _images_SaveImageResponse__Output } from '../images/SaveImageResponse.ts';
import type { TagImageRequest as _images_TagImageRequest, TagImageRequest__Output as _images_TagImageRequest__Output } from '../images/TagImageRequest.ts';
import type { TagImageResponse as _images_TagImageResponse, TagImageResponse__Output as _images_TagImageResponse__Output } from '../images/TagImageResponse.ts';

export interface ImagesServiceClient extends grpc.Client {
  Delete(argument: _images_DeleteImageRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_images_DeleteImageResponse__Output>): grpc.ClientUnaryCall;
  Delete(argument: _images_DeleteImageRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_images_DeleteImageResponse__Output>): grpc.ClientUnaryCall;
  Delete(argument: _images_DeleteImageRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_images_DeleteImageResponse__Output>): grpc.ClientUnaryCall;
  Delete(argument: _images_DeleteImageRequest, callback: grpc.requestCallback<_images_DeleteImageResponse__Output>): grpc.ClientUnaryCall;
  delete(argument: _images_DeleteImageRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_images_DeleteImageResponse__Output>): grpc.ClientUnaryCall;
  delete(argument: _images_DeleteImageRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_images_DeleteImageResponse__Output>): grpc.ClientUnaryCall;
  delete(argument: _images_DeleteImageRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_images_DeleteImageResponse__Output>): grpc.ClientUnaryCall;
  delete(argument: _images_DeleteImageRequest, callback: grpc.requestCallback<_images_DeleteImageResponse__Output>): grpc.ClientUnaryCall;
  
  Import(metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_images_ImportResponse__Output>): grpc.ClientWritableStream<_images_ImportRequest>;
  Import(metadata: grpc.Metadata, callback: grpc.requestCallback<_images_ImportResponse__Output>): grpc.ClientWritableStream<_images_ImportRequest>;
  Import(options: grpc.CallOptions, callback: grpc.requestCallback<_images_ImportResponse__Output>): grpc.ClientWritableStream<_images_ImportRequest>;
  Import(callback: grpc.requestCallback<_images_ImportResponse__Output>): grpc.ClientWritableStream<_images_ImportRequest>;
  import(metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_images_ImportResponse__Output>): grpc.ClientWritableStream<_images_ImportRequest>;
  import(metadata: grpc.Metadata, callback: grpc.requestCallback<_images_ImportResponse__Output>): grpc.ClientWritableStream<_images_ImportRequest>;
  import(options: grpc.CallOptions, callback: grpc.requestCallback<_images_ImportResponse__Output>): grpc.ClientWritableStream<_images_ImportRequest>;
  import(callback: grpc.requestCallback<_images_ImportResponse__Output>): grpc.ClientWritableStream<_images_ImportRequest>;
  
  Inspect(argument: _images_InspectImageRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_images_InspectImageResponse__Output>): grpc.ClientUnaryCall;
  Inspect(argument: _images_InspectImageRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_images_InspectImageResponse__Output>): grpc.ClientUnaryCall;
  Inspect(argument: _images_InspectImageRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_images_InspectImageResponse__Output>): grpc.ClientUnaryCall;
  Inspect(argument: _images_InspectImageRequest, callback: grpc.requestCallback<_images_InspectImageResponse__Output>): grpc.ClientUnaryCall;
  inspect(argument: _images_InspectImageRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_images_InspectImageResponse__Output>): grpc.ClientUnaryCall;
  inspect(argument: _images_InspectImageRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_images_InspectImageResponse__Output>): grpc.ClientUnaryCall;
  inspect(argument: _images_InspectImageRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_images_InspectImageResponse__Output>): grpc.ClientUnaryCall;
  inspect(argument: _images_InspectImageRequest, callback: grpc.requestCallback<_images_InspectImageResponse__Output>): grpc.ClientUnaryCall;
  
  List(argument: _images_ListImagesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_images_ListImagesResponse__Output>): grpc.ClientUnaryCall;
  List(argument: _images_ListImagesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_images_ListImagesResponse__Output>): grpc.ClientUnaryCall;
  List(argument: _images_ListImagesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_images_ListImagesResponse__Output>): grpc.ClientUnaryCall;
  List(argument: _images_ListImagesRequest, callback: grpc.requestCallback<_images_ListImagesResponse__Output>): grpc.ClientUnaryCall;
  list(argument: _images_ListImagesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_images_ListImagesResponse__Output>): grpc.ClientUnaryCall;
  list(argument: _images_ListImagesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_images_ListImagesResponse__Output>): grpc.ClientUnaryCall;
  list(argument: _images_ListImagesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_images_ListImagesResponse__Output>): grpc.ClientUnaryCall;
  list(argument: _images_ListImagesRequest, callback: grpc.requestCallback<_images_ListImagesResponse__Output>): grpc.ClientUnaryCall;
  
  Load(metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_images_LoadImageResponse__Output>): grpc.ClientWritableStream<_images_LoadImageRequest>;
  Load(metadata: grpc.Metadata, callback: grpc.requestCallback<_images_LoadImageResponse__Output>): grpc.ClientWritableStream<_images_LoadImageRequest>;
  Load(options: grpc.CallOptions, callback: grpc.requestCallback<_images_LoadImageResponse__Output>): grpc.ClientWritableStream<_images_LoadImageRequest>;
  Load(callback: grpc.requestCallback<_images_LoadImageResponse__Output>): grpc.ClientWritableStream<_images_LoadImageRequest>;
  load(metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_images_LoadImageResponse__Output>): grpc.ClientWritableStream<_images_LoadImageRequest>;
  load(metadata: grpc.Metadata, callback: grpc.requestCallback<_images_LoadImageResponse__Output>): grpc.ClientWritableStream<_images_LoadImageRequest>;
  load(options: grpc.CallOptions, callback: grpc.requestCallback<_images_LoadImageResponse__Output>): grpc.ClientWritableStream<_images_LoadImageRequest>;
  load(callback: grpc.requestCallback<_images_LoadImageResponse__Output>): grpc.ClientWritableStream<_images_LoadImageRequest>;
  
  Save(argument: _images_SaveImageRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_images_SaveImageResponse__Output>;
  Save(argument: _images_SaveImageRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_images_SaveImageResponse__Output>;
  save(argument: _images_SaveImageRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_images_SaveImageResponse__Output>;
  save(argument: _images_SaveImageRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_images_SaveImageResponse__Output>;
  
  Tag(argument: _images_TagImageRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_images_TagImageResponse__Output>): grpc.ClientUnaryCall;
  Tag(argument: _images_TagImageRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_images_TagImageResponse__Output>): grpc.ClientUnaryCall;
  Tag(argument: _images_TagImageRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_images_TagImageResponse__Output>): grpc.ClientUnaryCall;
  Tag(argument: _images_TagImageRequest, callback: grpc.requestCallback<_images_TagImageResponse__Output>): grpc.ClientUnaryCall;
  tag(argument: _images_TagImageRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_images_TagImageResponse__Output>): grpc.ClientUnaryCall;
  tag(argument: _images_TagImageRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_images_TagImageResponse__Output>): grpc.ClientUnaryCall;
  tag(argument: _images_TagImageRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_images_TagImageResponse__Output>): grpc.ClientUnaryCall;
  tag(argument: _images_TagImageRequest, callback: grpc.requestCallback<_images_TagImageResponse__Output>): grpc.ClientUnaryCall;
  
}

export interface ImagesServiceHandlers extends grpc.UntypedServiceImplementation {
  Delete: grpc.handleUnaryCall<_images_DeleteImageRequest__Output, _images_DeleteImageResponse>;
  
  Import: grpc.handleClientStreamingCall<_images_ImportRequest__Output, _images_ImportResponse>;
  
  Inspect: grpc.handleUnaryCall<_images_InspectImageRequest__Output, _images_InspectImageResponse>;
  
  List: grpc.handleUnaryCall<_images_ListImagesRequest__Output, _images_ListImagesResponse>;
  
  Load: grpc.handleClientStreamingCall<_images_LoadImageRequest__Output, _images_LoadImageResponse>;
  
  Save: grpc.handleServerStreamingCall<_images_SaveImageRequest__Output, _images_SaveImageResponse>;
  
  Tag: grpc.handleUnaryCall<_images_TagImageRequest__Output, _images_TagImageResponse>;
  
}

export interface ImagesServiceDefinition extends grpc.ServiceDefinition {
  Delete: MethodDefinition<_images_DeleteImageRequest, _images_DeleteImageResponse, _images_DeleteImageRequest__Output, _images_DeleteImageResponse__Output>
  Import: MethodDefinition<_images_ImportRequest, _images_ImportResponse, _images_ImportRequest__Output, _images_ImportResponse__Output>
  Inspect: MethodDefinition<_images_InspectImageRequest, _images_InspectImageResponse, _images_InspectImageRequest__Output, _images_InspectImageResponse__Output>
  List: MethodDefinition<_images_ListImagesRequest, _images_ListImagesResponse, _images_ListImagesRequest__Output, _images_ListImagesResponse__Output>
  Load: MethodDefinition<_images_LoadImageRequest, _images_LoadImageResponse, _images_LoadImageRequest__Output, _images_LoadImageResponse__Output>
  Save: MethodDefinition<_images_SaveImageRequest, _images_SaveImageResponse, _images_SaveImageRequest__Output, _images_SaveImageResponse__Output>
  Tag: MethodDefinition<_images_TagImageRequest, _images_TagImageResponse, _images_TagImageRequest__Output, _images_TagImageResponse__Output>
}
