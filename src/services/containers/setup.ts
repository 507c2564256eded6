// Builds the container service for the daemon wiring (src/daemon/wire.ts) from what the wiring
// opened: the state store, the layer store, the image resolver and the runtimes. Here: the spec
// builder, the paths, and the adapter from the service's events to the daemon's event bus.
import { join } from 'node:path';
import type { EventBus } from '../../events/bus.ts';
import type { ImageRecord, ImageResolver } from '../../image/types.ts';
import type { Runtime } from '../../runtime/runtime.ts';
import type { ContainerLayers } from '../../storage/types.ts';
import type { StateStore } from '../../store/types.ts';
import type { ContainerNetworking, ContainerVolumes } from './types.ts';
import { ContainerService } from './service.ts';
import { specBuilder } from './spec-input.ts';

export interface ContainerSetup {
  graph: string;
  /** the daemon's cgroup parent (defaulted: "isulad") */
  cgroupParent: string;
  /** the daemon's default runtime (defaulted: "lcr") */
  defaultRuntime: string;
  /** json-file defaults from daemon.json container-log opts (max-size bytes, max-file) */
  logMaxSize?: number;
  logMaxFile?: number;
  store: StateStore;
  events: EventBus;
  images: ImageResolver;
  layers: ContainerLayers;
  runtimes: ReadonlyMap<string, Runtime>;
  /** registry pull for --pull missing|always (absent: a missing image is "No such image") */
  pull?: (ref: string, signal?: AbortSignal, platform?: string) => Promise<ImageRecord>;
  /** the volume service (named/anonymous volumes, copy-up) */
  volumes?: ContainerVolumes;
  /** CNI networks (src/services/networks) */
  network?: ContainerNetworking;
}

export function createContainerService(s: ContainerSetup): ContainerService {
  return new ContainerService({
    store: s.store,
    images: s.images,
    layers: s.layers,
    runtimes: s.runtimes,
    defaultRuntime: s.defaultRuntime,
    events: { publish: (e) => void s.events.publish({ type: e.type, action: e.action, id: e.id, attributes: e.attributes }) },
    buildSpec: specBuilder(s.cgroupParent),
    containersDir: join(s.graph, 'containers'),
    ...(s.pull ? { pullImage: s.pull } : {}),
    ...(s.volumes ? { volumes: s.volumes } : {}),
    ...(s.network ? { network: s.network } : {}),
    ...(s.logMaxSize !== undefined ? { logMaxSize: s.logMaxSize } : {}),
    ...(s.logMaxFile !== undefined ? { logMaxFile: s.logMaxFile } : {}),
  });
}
