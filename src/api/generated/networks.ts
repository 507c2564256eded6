import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { NetworkCreateRequest as _network_NetworkCreateRequest, NetworkCreateRequest__Output as _network_NetworkCreateRequest__Output } from './network/NetworkCreateRequest.ts';
import type { NetworkCreateResponse as _network_NetworkCreateResponse, NetworkCreateResponse__Output as _network_NetworkCreateResponse__Output } from './network/NetworkCreateResponse.ts';
import type { NetworkInfo as _network_NetworkInfo, NetworkInfo__Output as _network_NetworkInfo__Output } from './network/NetworkInfo.ts';
import type { NetworkInspectRequest as _network_NetworkInspectRequest, NetworkInspectRequest__Output as _network_NetworkInspectRequest__Output } from './network/NetworkInspectRequest.ts';
import type { NetworkInspectResponse as _network_NetworkInspectResponse, NetworkInspectResponse__Output as _network_NetworkInspectResponse__Output } from './network/NetworkInspectResponse.ts';
import type { NetworkListRequest as _network_NetworkListRequest, NetworkListRequest__Output as _network_NetworkListRequest__Output } from './network/NetworkListRequest.ts';
import type { NetworkListResponse as _network_NetworkListResponse, NetworkListResponse__Output as _network_NetworkListResponse__Output } from './network/NetworkListResponse.ts';
import type { NetworkPruneRequest as _network_NetworkPruneRequest, NetworkPruneRequest__Output as _network_NetworkPruneRequest__Output } from './network/NetworkPruneRequest.ts';
import type { NetworkPruneResponse as _network_NetworkPruneResponse, NetworkPruneResponse__Output as _network_NetworkPruneResponse__Output } from './network/NetworkPruneResponse.ts';
import type { NetworkRemoveRequest as _network_NetworkRemoveRequest, NetworkRemoveRequest__Output as _network_NetworkRemoveRequest__Output } from './network/NetworkRemoveRequest.ts';
import type { NetworkRemoveResponse as _network_NetworkRemoveResponse, NetworkRemoveResponse__Output as _network_NetworkRemoveResponse__Output } from './network/NetworkRemoveResponse.ts';
import type { NetworkServiceClient as _network_NetworkServiceClient, NetworkServiceDefinition as _network_NetworkServiceDefinition } from './network/NetworkService.ts';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  network: {
    NetworkCreateRequest: MessageTypeDefinition<_network_NetworkCreateRequest, _network_NetworkCreateRequest__Output>
    NetworkCreateResponse: MessageTypeDefinition<_network_NetworkCreateResponse, _network_NetworkCreateResponse__Output>
    NetworkInfo: MessageTypeDefinition<_network_NetworkInfo, _network_NetworkInfo__Output>
    NetworkInspectRequest: MessageTypeDefinition<_network_NetworkInspectRequest, _network_NetworkInspectRequest__Output>
    NetworkInspectResponse: MessageTypeDefinition<_network_NetworkInspectResponse, _network_NetworkInspectResponse__Output>
    NetworkListRequest: MessageTypeDefinition<_network_NetworkListRequest, _network_NetworkListRequest__Output>
    NetworkListResponse: MessageTypeDefinition<_network_NetworkListResponse, _network_NetworkListResponse__Output>
    NetworkPruneRequest: MessageTypeDefinition<_network_NetworkPruneRequest, _network_NetworkPruneRequest__Output>
    NetworkPruneResponse: MessageTypeDefinition<_network_NetworkPruneResponse, _network_NetworkPruneResponse__Output>
    NetworkRemoveRequest: MessageTypeDefinition<_network_NetworkRemoveRequest, _network_NetworkRemoveRequest__Output>
    NetworkRemoveResponse: MessageTypeDefinition<_network_NetworkRemoveResponse, _network_NetworkRemoveResponse__Output>
    NetworkService: SubtypeConstructor<typeof grpc.Client, _network_NetworkServiceClient> & { service: _network_NetworkServiceDefinition }
  }
}

