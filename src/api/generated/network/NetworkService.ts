// Original file: proto/networks.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { NetworkCreateRequest as _network_NetworkCreateRequest, NetworkCreateRequest__Output as _network_NetworkCreateRequest__Output } from '../network/NetworkCreateRequest.ts';
import type { NetworkCreateResponse as _network_NetworkCreateResponse, NetworkCreateResponse__Output as _network_NetworkCreateResponse__Output } from '../network/NetworkCreateResponse.ts';
import type { NetworkInspectRequest as _network_NetworkInspectRequest, NetworkInspectRequest__Output as _network_NetworkInspectRequest__Output } from '../network/NetworkInspectRequest.ts';
import type { NetworkInspectResponse as _network_NetworkInspectResponse, NetworkInspectResponse__Output as _network_NetworkInspectResponse__Output } from '../network/NetworkInspectResponse.ts';
import type { NetworkListRequest as _network_NetworkListRequest, NetworkListRequest__Output as _network_NetworkListRequest__Output } from '../network/NetworkListRequest.ts';
import type { NetworkListResponse as _network_NetworkListResponse, NetworkListResponse__Output as _network_NetworkListResponse__Output } from '../network/NetworkListResponse.ts';
import type { NetworkPruneRequest as _network_NetworkPruneRequest, NetworkPruneRequest__Output as _network_NetworkPruneRequest__Output } from '../network/NetworkPruneRequest.ts';
import type { NetworkPruneResponse as _network_NetworkPruneResponse, NetworkPruneResponse__Output as _network_NetworkPruneResponse__Output } from '../network/NetworkPruneResponse.ts';
import type { NetworkRemoveRequest as _network_NetworkRemoveRequest, NetworkRemoveRequest__Output as _network_NetworkRemoveRequest__Output } from '../network/NetworkRemoveRequest.ts';
import type { NetworkRemoveResponse as _network_NetworkRemoveResponse, NetworkRemoveResponse__Output as _network_NetworkRemoveResponse__Output } from '../network/NetworkRemoveResponse.ts';

export interface NetworkServiceClient extends grpc.Client {
  Create(argument: _network_NetworkCreateRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_network_NetworkCreateResponse__Output>): grpc.ClientUnaryCall;
  Create(argument: _network_NetworkCreateRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_network_NetworkCreateResponse__Output>): grpc.ClientUnaryCall;
  Create(argument: _network_NetworkCreateRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_network_NetworkCreateResponse__Output>): grpc.ClientUnaryCall;
  Create(argument: _network_NetworkCreateRequest, callback: grpc.requestCallback<_network_NetworkCreateResponse__Output>): grpc.ClientUnaryCall;
  create(argument: _network_NetworkCreateRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_network_NetworkCreateResponse__Output>): grpc.ClientUnaryCall;
  create(argument: _network_NetworkCreateRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_network_NetworkCreateResponse__Output>): grpc.ClientUnaryCall;
  create(argument: _network_NetworkCreateRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_network_NetworkCreateResponse__Output>): grpc.ClientUnaryCall;
  create(argument: _network_NetworkCreateRequest, callback: grpc.requestCallback<_network_NetworkCreateResponse__Output>): grpc.ClientUnaryCall;
  
  Inspect(argument: _network_NetworkInspectRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_network_NetworkInspectResponse__Output>): grpc.ClientUnaryCall;
  Inspect(argument: _network_NetworkInspectRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_network_NetworkInspectResponse__Output>): grpc.ClientUnaryCall;
  Inspect(argument: _network_NetworkInspectRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_network_NetworkInspectResponse__Output>): grpc.ClientUnaryCall;
  Inspect(argument: _network_NetworkInspectRequest, callback: grpc.requestCallback<_network_NetworkInspectResponse__Output>): grpc.ClientUnaryCall;
  inspect(argument: _network_NetworkInspectRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_network_NetworkInspectResponse__Output>): grpc.ClientUnaryCall;
  inspect(argument: _network_NetworkInspectRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_network_NetworkInspectResponse__Output>): grpc.ClientUnaryCall;
  inspect(argument: _network_NetworkInspectRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_network_NetworkInspectResponse__Output>): grpc.ClientUnaryCall;
  inspect(argument: _network_NetworkInspectRequest, callback: grpc.requestCallback<_network_NetworkInspectResponse__Output>): grpc.ClientUnaryCall;
  
  List(argument: _network_NetworkListRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_network_NetworkListResponse__Output>): grpc.ClientUnaryCall;
  List(argument: _network_NetworkListRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_network_NetworkListResponse__Output>): grpc.ClientUnaryCall;
  List(argument: _network_NetworkListRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_network_NetworkListResponse__Output>): grpc.ClientUnaryCall;
  List(argument: _network_NetworkListRequest, callback: grpc.requestCallback<_network_NetworkListResponse__Output>): grpc.ClientUnaryCall;
  list(argument: _network_NetworkListRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_network_NetworkListResponse__Output>): grpc.ClientUnaryCall;
  list(argument: _network_NetworkListRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_network_NetworkListResponse__Output>): grpc.ClientUnaryCall;
  list(argument: _network_NetworkListRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_network_NetworkListResponse__Output>): grpc.ClientUnaryCall;
  list(argument: _network_NetworkListRequest, callback: grpc.requestCallback<_network_NetworkListResponse__Output>): grpc.ClientUnaryCall;
  
  Prune(argument: _network_NetworkPruneRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_network_NetworkPruneResponse__Output>): grpc.ClientUnaryCall;
  Prune(argument: _network_NetworkPruneRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_network_NetworkPruneResponse__Output>): grpc.ClientUnaryCall;
  Prune(argument: _network_NetworkPruneRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_network_NetworkPruneResponse__Output>): grpc.ClientUnaryCall;
  Prune(argument: _network_NetworkPruneRequest, callback: grpc.requestCallback<_network_NetworkPruneResponse__Output>): grpc.ClientUnaryCall;
  prune(argument: _network_NetworkPruneRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_network_NetworkPruneResponse__Output>): grpc.ClientUnaryCall;
  prune(argument: _network_NetworkPruneRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_network_NetworkPruneResponse__Output>): grpc.ClientUnaryCall;
  prune(argument: _network_NetworkPruneRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_network_NetworkPruneResponse__Output>): grpc.ClientUnaryCall;
  prune(argument: _network_NetworkPruneRequest, callback: grpc.requestCallback<_network_NetworkPruneResponse__Output>): grpc.ClientUnaryCall;
  
  Remove(argument: _network_NetworkRemoveRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_network_NetworkRemoveResponse__Output>): grpc.ClientUnaryCall;
  Remove(argument: _network_NetworkRemoveRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_network_NetworkRemoveResponse__Output>): grpc.ClientUnaryCall;
  Remove(argument: _network_NetworkRemoveRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_network_NetworkRemoveResponse__Output>): grpc.ClientUnaryCall;
  Remove(argument: _network_NetworkRemoveRequest, callback: grpc.requestCallback<_network_NetworkRemoveResponse__Output>): grpc.ClientUnaryCall;
  remove(argument: _network_NetworkRemoveRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_network_NetworkRemoveResponse__Output>): grpc.ClientUnaryCall;
  remove(argument: _network_NetworkRemoveRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_network_NetworkRemoveResponse__Output>): grpc.ClientUnaryCall;
  remove(argument: _network_NetworkRemoveRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_network_NetworkRemoveResponse__Output>): grpc.ClientUnaryCall;
  remove(argument: _network_NetworkRemoveRequest, callback: grpc.requestCallback<_network_NetworkRemoveResponse__Output>): grpc.ClientUnaryCall;
  
}

export interface NetworkServiceHandlers extends grpc.UntypedServiceImplementation {
  Create: grpc.handleUnaryCall<_network_NetworkCreateRequest__Output, _network_NetworkCreateResponse>;
  
  Inspect: grpc.handleUnaryCall<_network_NetworkInspectRequest__Output, _network_NetworkInspectResponse>;
  
  List: grpc.handleUnaryCall<_network_NetworkListRequest__Output, _network_NetworkListResponse>;
  
  Prune: grpc.handleUnaryCall<_network_NetworkPruneRequest__Output, _network_NetworkPruneResponse>;
  
  Remove: grpc.handleUnaryCall<_network_NetworkRemoveRequest__Output, _network_NetworkRemoveResponse>;
  
}

export interface NetworkServiceDefinition extends grpc.ServiceDefinition {
  Create: MethodDefinition<_network_NetworkCreateRequest, _network_NetworkCreateResponse, _network_NetworkCreateRequest__Output, _network_NetworkCreateResponse__Output>
  Inspect: MethodDefinition<_network_NetworkInspectRequest, _network_NetworkInspectResponse, _network_NetworkInspectRequest__Output, _network_NetworkInspectResponse__Output>
  List: MethodDefinition<_network_NetworkListRequest, _network_NetworkListResponse, _network_NetworkListRequest__Output, _network_NetworkListResponse__Output>
  Prune: MethodDefinition<_network_NetworkPruneRequest, _network_NetworkPruneResponse, _network_NetworkPruneRequest__Output, _network_NetworkPruneResponse__Output>
  Remove: MethodDefinition<_network_NetworkRemoveRequest, _network_NetworkRemoveResponse, _network_NetworkRemoveRequest__Output, _network_NetworkRemoveResponse__Output>
}
