// Original file: proto/volumes.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { ListVolumeRequest as _volume_ListVolumeRequest, ListVolumeRequest__Output as _volume_ListVolumeRequest__Output } from '../volume/ListVolumeRequest.ts';
import type { ListVolumeResponse as _volume_ListVolumeResponse, ListVolumeResponse__Output as _volume_ListVolumeResponse__Output } from '../volume/ListVolumeResponse.ts';
import type { PruneVolumeRequest as _volume_PruneVolumeRequest, PruneVolumeRequest__Output as _volume_PruneVolumeRequest__Output } from '../volume/PruneVolumeRequest.ts';
import type { PruneVolumeResponse as _volume_PruneVolumeResponse, PruneVolumeResponse__Output as _volume_PruneVolumeResponse__Output } from '../volume/PruneVolumeResponse.ts';
import type { RemoveVolumeRequest as _volume_RemoveVolumeRequest, RemoveVolumeRequest__Output as _volume_RemoveVolumeRequest__Output } from '../volume/RemoveVolumeRequest.ts';
import type { RemoveVolumeResponse as _volume_RemoveVolumeResponse, RemoveVolumeResponse__Output as _volume_RemoveVolumeResponse__Output } from '../volume/RemoveVolumeResponse.ts';

export interface VolumeServiceClient extends grpc.Client {
  List(argument: _volume_ListVolumeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_volume_ListVolumeResponse__Output>): grpc.ClientUnaryCall;
  List(argument: _volume_ListVolumeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_volume_ListVolumeResponse__Output>): grpc.ClientUnaryCall;
  List(argument: _volume_ListVolumeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_volume_ListVolumeResponse__Output>): grpc.ClientUnaryCall;
  List(argument: _volume_ListVolumeRequest, callback: grpc.requestCallback<_volume_ListVolumeResponse__Output>): grpc.ClientUnaryCall;
  list(argument: _volume_ListVolumeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_volume_ListVolumeResponse__Output>): grpc.ClientUnaryCall;
  list(argument: _volume_ListVolumeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_volume_ListVolumeResponse__Output>): grpc.ClientUnaryCall;
  list(argument: _volume_ListVolumeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_volume_ListVolumeResponse__Output>): grpc.ClientUnaryCall;
  list(argument: _volume_ListVolumeRequest, callback: grpc.requestCallback<_volume_ListVolumeResponse__Output>): grpc.ClientUnaryCall;
  
  Prune(argument: _volume_PruneVolumeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_volume_PruneVolumeResponse__Output>): grpc.ClientUnaryCall;
  Prune(argument: _volume_PruneVolumeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_volume_PruneVolumeResponse__Output>): grpc.ClientUnaryCall;
  Prune(argument: _volume_PruneVolumeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_volume_PruneVolumeResponse__Output>): grpc.ClientUnaryCall;
  Prune(argument: _volume_PruneVolumeRequest, callback: grpc.requestCallback<_volume_PruneVolumeResponse__Output>): grpc.ClientUnaryCall;
  prune(argument: _volume_PruneVolumeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_volume_PruneVolumeResponse__Output>): grpc.ClientUnaryCall;
  prune(argument: _volume_PruneVolumeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_volume_PruneVolumeResponse__Output>): grpc.ClientUnaryCall;
  prune(argument: _volume_PruneVolumeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_volume_PruneVolumeResponse__Output>): grpc.ClientUnaryCall;
  prune(argument: _volume_PruneVolumeRequest, callback: grpc.requestCallback<_volume_PruneVolumeResponse__Output>): grpc.ClientUnaryCall;
  
  Remove(argument: _volume_RemoveVolumeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_volume_RemoveVolumeResponse__Output>): grpc.ClientUnaryCall;
  Remove(argument: _volume_RemoveVolumeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_volume_RemoveVolumeResponse__Output>): grpc.ClientUnaryCall;
  Remove(argument: _volume_RemoveVolumeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_volume_RemoveVolumeResponse__Output>): grpc.ClientUnaryCall;
  Remove(argument: _volume_RemoveVolumeRequest, callback: grpc.requestCallback<_volume_RemoveVolumeResponse__Output>): grpc.ClientUnaryCall;
  remove(argument: _volume_RemoveVolumeRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_volume_RemoveVolumeResponse__Output>): grpc.ClientUnaryCall;
  remove(argument: _volume_RemoveVolumeRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_volume_RemoveVolumeResponse__Output>): grpc.ClientUnaryCall;
  remove(argument: _volume_RemoveVolumeRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_volume_RemoveVolumeResponse__Output>): grpc.ClientUnaryCall;
  remove(argument: _volume_RemoveVolumeRequest, callback: grpc.requestCallback<_volume_RemoveVolumeResponse__Output>): grpc.ClientUnaryCall;
  
}

export interface VolumeServiceHandlers extends grpc.UntypedServiceImplementation {
  List: grpc.handleUnaryCall<_volume_ListVolumeRequest__Output, _volume_ListVolumeResponse>;
  
  Prune: grpc.handleUnaryCall<_volume_PruneVolumeRequest__Output, _volume_PruneVolumeResponse>;
  
  Remove: grpc.handleUnaryCall<_volume_RemoveVolumeRequest__Output, _volume_RemoveVolumeResponse>;
  
}

export interface VolumeServiceDefinition extends grpc.ServiceDefinition {
  List: MethodDefinition<_volume_ListVolumeRequest, _volume_ListVolumeResponse, _volume_ListVolumeRequest__Output, _volume_ListVolumeResponse__Output>
  Prune: MethodDefinition<_volume_PruneVolumeRequest, _volume_PruneVolumeResponse, _volume_PruneVolumeRequest__Output, _volume_PruneVolumeResponse__Output>
  Remove: MethodDefinition<_volume_RemoveVolumeRequest, _volume_RemoveVolumeResponse, _volume_RemoveVolumeRequest__Output, _volume_RemoveVolumeResponse__Output>
}
