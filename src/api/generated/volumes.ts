import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { ListVolumeRequest as _volume_ListVolumeRequest, ListVolumeRequest__Output as _volume_ListVolumeRequest__Output } from './volume/ListVolumeRequest.ts';
import type { ListVolumeResponse as _volume_ListVolumeResponse, ListVolumeResponse__Output as _volume_ListVolumeResponse__Output } from './volume/ListVolumeResponse.ts';
import type { PruneVolumeRequest as _volume_PruneVolumeRequest, PruneVolumeRequest__Output as _volume_PruneVolumeRequest__Output } from './volume/PruneVolumeRequest.ts';
import type { PruneVolumeResponse as _volume_PruneVolumeResponse, PruneVolumeResponse__Output as _volume_PruneVolumeResponse__Output } from './volume/PruneVolumeResponse.ts';
import type { RemoveVolumeRequest as _volume_RemoveVolumeRequest, RemoveVolumeRequest__Output as _volume_RemoveVolumeRequest__Output } from './volume/RemoveVolumeRequest.ts';
import type { RemoveVolumeResponse as _volume_RemoveVolumeResponse, RemoveVolumeResponse__Output as _volume_RemoveVolumeResponse__Output } from './volume/RemoveVolumeResponse.ts';
import type { Volume as _volume_Volume, Volume__Output as _volume_Volume__Output } from './volume/Volume.ts';
import type { VolumeServiceClient as _volume_VolumeServiceClient, VolumeServiceDefinition as _volume_VolumeServiceDefinition } from './volume/VolumeService.ts';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  volume: {
    ListVolumeRequest: MessageTypeDefinition<_volume_ListVolumeRequest, _volume_ListVolumeRequest__Output>
    ListVolumeResponse: MessageTypeDefinition<_volume_ListVolumeResponse, _volume_ListVolumeResponse__Output>
    PruneVolumeRequest: MessageTypeDefinition<_volume_PruneVolumeRequest, _volume_PruneVolumeRequest__Output>
    PruneVolumeResponse: MessageTypeDefinition<_volume_PruneVolumeResponse, _volume_PruneVolumeResponse__Output>
    RemoveVolumeRequest: MessageTypeDefinition<_volume_RemoveVolumeRequest, _volume_RemoveVolumeRequest__Output>
    RemoveVolumeResponse: MessageTypeDefinition<_volume_RemoveVolumeResponse, _volume_RemoveVolumeResponse__Output>
    Volume: MessageTypeDefinition<_volume_Volume, _volume_Volume__Output>
    VolumeService: SubtypeConstructor<typeof grpc.Client, _volume_VolumeServiceClient> & { service: _volume_VolumeServiceDefinition }
  }
}

