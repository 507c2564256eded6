// Registers runtime.v1.RuntimeService and runtime.v1.ImageService on the daemon's server (the
// isula socket, as iSulad does). RPCs without a handler answer UNIMPLEMENTED (grpc-js does that),
// and so does any unknown service or method. Loaded only by the daemon (dynamic import in boot).
import type * as grpc from '@grpc/grpc-js';
import type { CriServices } from '../../services/pods/setup.ts';
import type { RuntimeServiceHandlers } from '../generated/runtime/v1/RuntimeService.ts';
import { criGrpc } from './protos.ts';
import { criImageHandlers } from './images.ts';
import { criInfoHandlers } from './runtime-info.ts';
import { criPodHandlers } from './pods.ts';
import { criStreamingHandlers } from './streaming.ts';
import { StreamServer } from './stream/server.ts';

/** Registers the CRI services and starts their streaming server (127.0.0.1, ephemeral port). */
export async function registerCriServices(server: grpc.Server, cri: CriServices): Promise<{ close(): Promise<void> }> {
  const g = criGrpc();
  const streams = new StreamServer(cri.pods);
  await streams.start('127.0.0.1', 0);
  const runtime: Partial<RuntimeServiceHandlers> = {
    ...criInfoHandlers(cri.pods),
    ...criPodHandlers(cri.pods),
    ...criStreamingHandlers(cri.pods, streams),
  };
  server.addService(g.runtime.v1.RuntimeService.service, runtime as grpc.UntypedServiceImplementation);
  server.addService(g.runtime.v1.ImageService.service, criImageHandlers(cri.images) as grpc.UntypedServiceImplementation);
  return streams;
}
