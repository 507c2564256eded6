// Builds the container service for the daemon wiring (src/daemon/wire.ts): the lcr runtime driver
// (created at start, it reads host facts), the spec builder, the paths, and the adapter from the
// service's events to the daemon's event bus.
import { join } from 'node:path';
import type { EventBus } from '../../events/bus.ts';
import type { ImageRecord, ImageResolver } from '../../image/types.ts';
import type { Runtime } from '../../runtime/runtime.ts';
import { createLcrRuntime } from '../../runtime/lcr/driver.ts';
import type { LayerStore } from '../../storage/types.ts';
import type { StateStore } from '../../store/types.ts';
import type { ContainerVolumes } from './types.ts';
import { ContainerService } from './service.ts';
import { specBuilder } from './spec-input.ts';

export interface ContainerSetup {
  graph: string;
  state: string;
  /** daemon cgroup-parent ('' = "isulad") */
  cgroupParent: string;
  /** daemon default-runtime ('' = "lcr") */
  defaultRuntime: string;
  /** container-log opts of daemon.json: max-size / max-file defaults */
  containerLogOpts: Record<string, string>;
  store: StateStore;
  events: EventBus;
  /** the images service: resolve() and, once started, its layer store */
  images: ImageResolver & { readonly layers: LayerStore };
  /** registry pull for --pull missing|always (absent: a missing image is "No such image") */
  pull?: (ref: string, signal?: AbortSignal) => Promise<ImageRecord>;
  /** the volume service (named/anonymous volumes, copy-up) */
  volumes?: ContainerVolumes;
}

export function createContainerService(s: ContainerSetup): ContainerService {
  const runtimes = new Map<string, Runtime>();
  const cgroupParent = s.cgroupParent || 'isulad';
  const maxSize = s.containerLogOpts['max-size'];
  const maxFile = s.containerLogOpts['max-file'];
  return new ContainerService({
    store: s.store,
    images: { resolve: (ref) => s.images.resolve(ref) },
    // the layer store exists once the images service started (it starts first)
    layers: {
      createContainerLayer: (id, parent) => s.images.layers.createContainerLayer(id, parent),
      mountContainerLayer: (id) => s.images.layers.mountContainerLayer(id),
      unmountContainerLayer: (id) => s.images.layers.unmountContainerLayer(id),
      removeContainerLayer: (id) => s.images.layers.removeContainerLayer(id),
      containerLayerPaths: (id) => s.images.layers.containerLayerPaths(id),
    },
    runtimes,
    defaultRuntime: s.defaultRuntime || 'lcr',
    prepare: async () => {
      runtimes.set('lcr', await createLcrRuntime({ lxcPath: join(s.graph, 'engines', 'lcr'), stateDir: join(s.state, 'lcr'), cgroupParent }));
    },
    events: { publish: (e) => void s.events.publish({ type: e.type, action: e.action, id: e.id, attributes: e.attributes }) },
    buildSpec: specBuilder(cgroupParent),
    containersDir: join(s.graph, 'containers'),
    ...(s.pull ? { pullImage: s.pull } : {}),
    ...(s.volumes ? { volumes: s.volumes } : {}),
    ...(maxSize ? { logMaxSize: parseSizeOpt(maxSize) } : {}),
    ...(maxFile && /^\d+$/.test(maxFile) ? { logMaxFile: Number(maxFile) } : {}),
  });
}

function parseSizeOpt(v: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([kmgKMG]?)[bB]?$/.exec(v.trim());
  if (!m) return 1024 * 1024;
  const mult = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[(m[2] ?? '').toLowerCase() as '' | 'k' | 'm' | 'g'];
  return Math.floor(Number(m[1]) * mult);
}
