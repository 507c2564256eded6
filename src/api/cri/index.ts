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

export function registerCriServices(server: grpc.Server, cri: CriServices): void {
  const g = criGrpc();
  const runtime: Partial<RuntimeServiceHandlers> = {
    ...criInfoHandlers(cri.pods),
    ...criPodHandlers(cri.pods),
  };
  server.addService(g.runtime.v1.RuntimeService.service, runtime as grpc.UntypedServiceImplementation);
  server.addService(g.runtime.v1.ImageService.service, criImageHandlers(cri.images) as grpc.UntypedServiceImplementation);
}
