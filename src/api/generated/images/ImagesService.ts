// Original file: proto/images.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { CommitRequest as _images_CommitRequest, CommitRequest__Output as _images_CommitRequest__Output } from '../images/CommitRequest.ts';
import type { CommitResponse as _images_CommitResponse, CommitResponse__Output as _images_CommitResponse__Output } from '../images/CommitResponse.ts';
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
import type { LoginRequest as _images_LoginRequest, LoginRequest__Output as _images_LoginRequest__Output } from '../images/LoginRequest.ts';
import type { LoginResponse as _images_LoginResponse, LoginResponse__Output as _images_LoginResponse__Output } from '../images/LoginResponse.ts';
import type { LogoutRequest as _images_LogoutRequest, LogoutRequest__Output as _images_LogoutRequest__Output } from '../images/LogoutRequest.ts';
import type { LogoutResponse as _images_LogoutResponse, LogoutResponse__Output as _images_LogoutResponse__Output } from '../images/LogoutResponse.ts';
import type { PullImageRequest as _images_PullImageRequest, PullImageRequest__Output as _images_PullImageRequest__Output } from '../images/PullImageRequest.ts';
import type { PullImageResponse as _images_PullImageResponse, PullImageResponse__Output as _images_PullImageResponse__Output } from '../images/PullImageResponse.ts';
import type { PushImageRequest as _images_PushImageRequest, PushImageRequest__Output as _images_PushImageRequest__Output } from '../images/PushImageRequest.ts';
import type { PushImageResponse as _images_PushImageResponse, PushImageResponse__Output as _images_PushImageResponse__Output } from '../images/PushImageResponse.ts';
import type { SaveImageRequest as _images_SaveImageRequest, SaveImageRequest__Output as _images_SaveImageRequest__Output } from '../images/SaveImageRequest.ts';
import type { SaveImageResponse as _images_SaveImageResponse, SaveImageResponse__Output as _images_SaveImageResponse__Output } from '../images/SaveImageResponse.ts';
import type { SearchRequest as _images_SearchRequest, SearchRequest__Output as _images_SearchRequest__Output } from '../images/SearchRequest.ts';
import type { SearchResponse as _images_SearchResponse, SearchResponse__Output as _images_SearchResponse__Output } from '../images/SearchResponse.ts';
import type { TagImageRequest as _images_TagImageRequest, TagImageRequest__Output as _images_TagImageRequest__Output } from '../images/TagImageRequest.ts';
import type { TagImageResponse as _images_TagImageResponse, TagImageResponse__Output as _images_TagImageResponse__Output } from '../images/TagImageResponse.ts';

export interface ImagesServiceClient extends grpc.Client {
  Commit(argument: _images_CommitRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_images_CommitResponse__Output>): grpc.ClientUnaryCall;
  Commit(argument: _images_CommitRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_images_CommitResponse__Output>): grpc.ClientUnaryCall;
  Commit(argument: _images_CommitRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_images_CommitResponse__Output>): grpc.ClientUnaryCall;
  Commit(argument: _images_CommitRequest, callback: grpc.requestCallback<_images_CommitResponse__Output>): grpc.ClientUnaryCall;
  commit(argument: _images_CommitRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_images_CommitResponse__Output>): grpc.ClientUnaryCall;
  commit(argument: _images_CommitRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_images_CommitResponse__Output>): grpc.ClientUnaryCall;
  commit(argument: _images_CommitRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_images_CommitResponse__Output>): grpc.ClientUnaryCall;
  commit(argument: _images_CommitRequest, callback: grpc.requestCallback<_images_CommitResponse__Output>): grpc.ClientUnaryCall;
  
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
  
  Login(argument: _images_LoginRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_images_LoginResponse__Output>): grpc.ClientUnaryCall;
  Login(argument: _images_LoginRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_images_LoginResponse__Output>): grpc.ClientUnaryCall;
  Login(argument: _images_LoginRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_images_LoginResponse__Output>): grpc.ClientUnaryCall;
  Login(argument: _images_LoginRequest, callback: grpc.requestCallback<_images_LoginResponse__Output>): grpc.ClientUnaryCall;
  login(argument: _images_LoginRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_images_LoginResponse__Output>): grpc.ClientUnaryCall;
  login(argument: _images_LoginRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_images_LoginResponse__Output>): grpc.ClientUnaryCall;
  login(argument: _images_LoginRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_images_LoginResponse__Output>): grpc.ClientUnaryCall;
  login(argument: _images_LoginRequest, callback: grpc.requestCallback<_images_LoginResponse__Output>): grpc.ClientUnaryCall;
  
  Logout(argument: _images_LogoutRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_images_LogoutResponse__Output>): grpc.ClientUnaryCall;
  Logout(argument: _images_LogoutRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_images_LogoutResponse__Output>): grpc.ClientUnaryCall;
  Logout(argument: _images_LogoutRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_images_LogoutResponse__Output>): grpc.ClientUnaryCall;
  Logout(argument: _images_LogoutRequest, callback: grpc.requestCallback<_images_LogoutResponse__Output>): grpc.ClientUnaryCall;
  logout(argument: _images_LogoutRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_images_LogoutResponse__Output>): grpc.ClientUnaryCall;
  logout(argument: _images_LogoutRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_images_LogoutResponse__Output>): grpc.ClientUnaryCall;
  logout(argument: _images_LogoutRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_images_LogoutResponse__Output>): grpc.ClientUnaryCall;
  logout(argument: _images_LogoutRequest, callback: grpc.requestCallback<_images_LogoutResponse__Output>): grpc.ClientUnaryCall;
  
  PullImage(argument: _images_PullImageRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_images_PullImageResponse__Output>;
  PullImage(argument: _images_PullImageRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_images_PullImageResponse__Output>;
  pullImage(argument: _images_PullImageRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_images_PullImageResponse__Output>;
  pullImage(argument: _images_PullImageRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_images_PullImageResponse__Output>;
  
  PushImage(argument: _images_PushImageRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_images_PushImageResponse__Output>;
  PushImage(argument: _images_PushImageRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_images_PushImageResponse__Output>;
  pushImage(argument: _images_PushImageRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_images_PushImageResponse__Output>;
  pushImage(argument: _images_PushImageRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_images_PushImageResponse__Output>;
  
  Save(argument: _images_SaveImageRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_images_SaveImageResponse__Output>;
  Save(argument: _images_SaveImageRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_images_SaveImageResponse__Output>;
  save(argument: _images_SaveImageRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_images_SaveImageResponse__Output>;
  save(argument: _images_SaveImageRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_images_SaveImageResponse__Output>;
  
  Search(argument: _images_SearchRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_images_SearchResponse__Output>): grpc.ClientUnaryCall;
  Search(argument: _images_SearchRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_images_SearchResponse__Output>): grpc.ClientUnaryCall;
  Search(argument: _images_SearchRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_images_SearchResponse__Output>): grpc.ClientUnaryCall;
  Search(argument: _images_SearchRequest, callback: grpc.requestCallback<_images_SearchResponse__Output>): grpc.ClientUnaryCall;
  search(argument: _images_SearchRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_images_SearchResponse__Output>): grpc.ClientUnaryCall;
  search(argument: _images_SearchRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_images_SearchResponse__Output>): grpc.ClientUnaryCall;
  search(argument: _images_SearchRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_images_SearchResponse__Output>): grpc.ClientUnaryCall;
  search(argument: _images_SearchRequest, callback: grpc.requestCallback<_images_SearchResponse__Output>): grpc.ClientUnaryCall;
  
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
  Commit: grpc.handleUnaryCall<_images_CommitRequest__Output, _images_CommitResponse>;
  
  Delete: grpc.handleUnaryCall<_images_DeleteImageRequest__Output, _images_DeleteImageResponse>;
  
  Import: grpc.handleClientStreamingCall<_images_ImportRequest__Output, _images_ImportResponse>;
  
  Inspect: grpc.handleUnaryCall<_images_InspectImageRequest__Output, _images_InspectImageResponse>;
  
  List: grpc.handleUnaryCall<_images_ListImagesRequest__Output, _images_ListImagesResponse>;
  
  Load: grpc.handleClientStreamingCall<_images_LoadImageRequest__Output, _images_LoadImageResponse>;
  
  Login: grpc.handleUnaryCall<_images_LoginRequest__Output, _images_LoginResponse>;
  
  Logout: grpc.handleUnaryCall<_images_LogoutRequest__Output, _images_LogoutResponse>;
  
  PullImage: grpc.handleServerStreamingCall<_images_PullImageRequest__Output, _images_PullImageResponse>;
  
  PushImage: grpc.handleServerStreamingCall<_images_PushImageRequest__Output, _images_PushImageResponse>;
  
  Save: grpc.handleServerStreamingCall<_images_SaveImageRequest__Output, _images_SaveImageResponse>;
  
  Search: grpc.handleUnaryCall<_images_SearchRequest__Output, _images_SearchResponse>;
  
  Tag: grpc.handleUnaryCall<_images_TagImageRequest__Output, _images_TagImageResponse>;
  
}

export interface ImagesServiceDefinition extends grpc.ServiceDefinition {
  Commit: MethodDefinition<_images_CommitRequest, _images_CommitResponse, _images_CommitRequest__Output, _images_CommitResponse__Output>
  Delete: MethodDefinition<_images_DeleteImageRequest, _images_DeleteImageResponse, _images_DeleteImageRequest__Output, _images_DeleteImageResponse__Output>
  Import: MethodDefinition<_images_ImportRequest, _images_ImportResponse, _images_ImportRequest__Output, _images_ImportResponse__Output>
  Inspect: MethodDefinition<_images_InspectImageRequest, _images_InspectImageResponse, _images_InspectImageRequest__Output, _images_InspectImageResponse__Output>
  List: MethodDefinition<_images_ListImagesRequest, _images_ListImagesResponse, _images_ListImagesRequest__Output, _images_ListImagesResponse__Output>
  Load: MethodDefinition<_images_LoadImageRequest, _images_LoadImageResponse, _images_LoadImageRequest__Output, _images_LoadImageResponse__Output>
  Login: MethodDefinition<_images_LoginRequest, _images_LoginResponse, _images_LoginRequest__Output, _images_LoginResponse__Output>
  Logout: MethodDefinition<_images_LogoutRequest, _images_LogoutResponse, _images_LogoutRequest__Output, _images_LogoutResponse__Output>
  PullImage: MethodDefinition<_images_PullImageRequest, _images_PullImageResponse, _images_PullImageRequest__Output, _images_PullImageResponse__Output>
  PushImage: MethodDefinition<_images_PushImageRequest, _images_PushImageResponse, _images_PushImageRequest__Output, _images_PushImageResponse__Output>
  Save: MethodDefinition<_images_SaveImageRequest, _images_SaveImageResponse, _images_SaveImageRequest__Output, _images_SaveImageResponse__Output>
  Search: MethodDefinition<_images_SearchRequest, _images_SearchResponse, _images_SearchRequest__Output, _images_SearchResponse__Output>
  Tag: MethodDefinition<_images_TagImageRequest, _images_TagImageResponse, _images_TagImageRequest__Output, _images_TagImageResponse__Output>
}
