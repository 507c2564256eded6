// Registers the isula services (ContainerService, VolumeService, later ImagesService) on a
// server. Each handler file exports a factory taking the services it needs and returning part of
// one service's handlers; ONE LINE here per factory:
//
//   server.addService(g.containers.ContainerService.service, {
//     ...systemHandlers(services),
//     ...containerHandlers(services),     <- src/api/isula/containers.ts (containers developer)
//   });
//
// RPCs with no handler answer UNIMPLEMENTED (../grpc-server.ts), so a service can grow one
// RPC at a time. Handler files follow system.ts: decode → call the service → encode, with the
// wrappers of ../handler.ts (unary/serverStream/clientStream/bidiStream) doing errors and cancel.

import type { GrpcServer } from '../grpc-server.ts';
import type { ContainerServiceHandlers } from '../generated/containers/ContainerService.ts';
import type { VolumeServiceHandlers } from '../generated/volume/VolumeService.ts';
import { isulaServices } from '../protos.ts';
import { systemHandlers } from './system.ts';
import { containerHandlers } from './containers.ts';
import { imageHandlers } from './images.ts';
import { registryHandlers } from './registry.ts';
import { copyHandlers } from './copy.ts';
import { updateHandlers } from './update.ts';
import { volumeHandlers } from './volumes.ts';
import { execHandlers } from './exec.ts';
import { statsHandlers } from './stats.ts';
import { networkHandlers } from './networks.ts';

/** What the handlers need: the intersection of their factories' parameters (the daemon's Services has it all). */
export type IsulaServices = Parameters<typeof systemHandlers>[0] & Parameters<typeof containerHandlers>[0] & Parameters<typeof copyHandlers>[0]
  & Parameters<typeof updateHandlers>[0] & Parameters<typeof execHandlers>[0] & Parameters<typeof statsHandlers>[0]
  & Parameters<typeof volumeHandlers>[0] & Parameters<typeof networkHandlers>[0] & Parameters<typeof imageHandlers>[0]
  & Parameters<typeof registryHandlers>[0];

export function registerIsulaServices(server: GrpcServer, services: IsulaServices): void {
  const g = isulaServices();
  const containerService: Partial<ContainerServiceHandlers> = {
    ...systemHandlers(services),
    ...containerHandlers(services),
    ...copyHandlers(services),
    ...updateHandlers(services),
    ...execHandlers(services),
    ...statsHandlers(services),
  };
  server.addService(g.containers.ContainerService, containerService as Record<string, unknown>);
  const volumeService: Partial<VolumeServiceHandlers> = { ...volumeHandlers(services) };
  server.addService(g.volume.VolumeService, volumeService as Record<string, unknown>);
  server.addService(g.network.NetworkService, networkHandlers(services) as Record<string, unknown>);
  server.addService(g.images.ImagesService, { ...imageHandlers(services), ...registryHandlers(services) });
}
