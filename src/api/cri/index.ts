// Registers runtime.v1.RuntimeService and runtime.v1.ImageService on the daemon's server (the
// isula socket, as iSulad does). RPCs without a handler answer UNIMPLEMENTED (../grpc-server.ts does that),
// and so does any unknown service or method. Loaded only by the daemon (dynamic import in boot).
import type { GrpcServer } from '../grpc-server.ts';
import type { CriServices } from '../../services/pods/setup.ts';
import type { RuntimeServiceHandlers } from '../generated/runtime/v1/RuntimeService.ts';
import { criServices } from './protos.ts';
import { criImageHandlers } from './images.ts';
import { criInfoHandlers } from './runtime-info.ts';
import { criPodHandlers } from './pods.ts';
import { criStreamingHandlers } from './streaming.ts';
import { StreamServer } from './stream/server.ts';

/** Registers the CRI services and starts their streaming server (127.0.0.1, ephemeral port). */
export async function registerCriServices(server: GrpcServer, cri: CriServices): Promise<{ close(): Promise<void> }> {
  const g = criServices();
  const streams = new StreamServer(cri.pods);
  await streams.start('127.0.0.1', 0);
  const runtime: Partial<RuntimeServiceHandlers> = {
    ...criInfoHandlers(cri.pods),
    ...criPodHandlers(cri.pods),
    ...criStreamingHandlers(cri.pods, streams),
  };
  server.addService(g.runtime.v1.RuntimeService, runtime as Record<string, unknown>);
  server.addService(g.runtime.v1.ImageService, criImageHandlers(cri.images) as Record<string, unknown>);
  return streams;
}
