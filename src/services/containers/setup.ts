// Builds the container service for the daemon wiring (src/daemon/wire.ts) from what the wiring
// opened: the state store, the layer store, the image resolver and the runtimes. Here: the spec
// builder, the paths, and the adapter from the service's events to the daemon's event bus.
import { join } from 'node:path';
import type { EventBus } from '../../events/bus.ts';
import type { ImageRecord, ImageResolver } from '../../image/types.ts';
import type { Runtime } from '../../runtime/runtime.ts';
import type { ContainerLayers } from '../../storage/types.ts';
import type { StateStore } from '../../store/types.ts';
import type { ContainerNetworking, ContainerServiceDeps, ContainerVolumes } from './types.ts';
import type { CgroupLayout } from '../../cgroups/hierarchy.ts';
import type { CgroupFeatures } from '../../cgroups/features.ts';
import { writeCpuRtParents } from '../../cgroups/features.ts';
import { ContainerService } from './service.ts';
import { specBuilder } from './spec-input.ts';
import { defaultUlimitsKey } from './default-ulimits.ts';
import type { IdRemap } from './userns.ts';

export interface ContainerSetup {
  graph: string;
  /** the daemon's state dir */
  state?: string;
  /** the daemon's --userns-remap */
  usernsRemap?: IdRemap;
  /** the daemon's container-log driver and opts */
  containerLog?: { driver: string; opts: Record<string, string> };
  /** images the daemon's layer check removed at this start */
  droppedImages?: ReadonlySet<string>;
  /** the daemon's cgroup parent (defaulted: "isulad") */
  cgroupParent: string;
  /** the daemon's default ulimits (--default-ulimit, daemon.json default-ulimits), by name */
  defaultUlimits?: Readonly<Record<string, { Name: string; Soft: number; Hard: number }>>;
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
  /** the host's cgroups: what they can limit, and the daemon's cpu rt budget for container parents */
  cgroups?: { layout: CgroupLayout; features: CgroupFeatures; cpuRtPeriod: number; cpuRtRuntime: number };
}

export function createContainerService(s: ContainerSetup): ContainerService {
  return new ContainerService({
    store: s.store,
    images: s.images,
    layers: s.layers,
    runtimes: s.runtimes,
    defaultRuntime: s.defaultRuntime,
    events: { publish: (e) => void s.events.publish({ type: e.type, action: e.action, id: e.id, attributes: e.attributes }) },
    buildSpec: specBuilder({
      cgroupParent: s.cgroupParent,
      ...(s.defaultUlimits ? { defaultUlimits: Object.values(s.defaultUlimits).map((u) => ({ name: u.Name, soft: u.Soft, hard: u.Hard })) } : {}),
      ...(s.cgroups ? { kernelMemory: s.cgroups.features.kernelMemory, defaultHugePageSize: s.cgroups.features.defaultHugePageSize } : {}),
    }),
    ...(s.defaultUlimits ? { defaultUlimits: defaultUlimitsKey(s.defaultUlimits) } : {}),
    containersDir: join(s.graph, 'containers'),
    ...(s.state !== undefined ? { stateDir: s.state } : {}),
    ...(s.usernsRemap ? { usernsRemap: s.usernsRemap } : {}),
    ...(s.pull ? { pullImage: s.pull } : {}),
    ...(s.droppedImages ? { droppedImages: s.droppedImages } : {}),
    ...(s.containerLog ? { containerLog: s.containerLog } : {}),
    ...(s.volumes ? { volumes: s.volumes } : {}),
    ...(s.network ? { network: s.network } : {}),
    ...(s.logMaxSize !== undefined ? { logMaxSize: s.logMaxSize } : {}),
    ...(s.logMaxFile !== undefined ? { logMaxFile: s.logMaxFile } : {}),
    ...(s.cgroups ? cgroupDeps(s.cgroupParent, s.cgroups) : {}),
  });
}

function cgroupDeps(daemonParent: string, c: NonNullable<ContainerSetup['cgroups']>): Pick<ContainerServiceDeps, 'hostSupport' | 'beforeStart'> {
  return {
    hostSupport: { features: c.features, cpuRtRuntime: c.cpuRtRuntime },
    beforeStart: (rec) => writeCpuRtParents(c.layout, `/${(rec.HostConfig.CgroupParent || daemonParent).replace(/^\/+|\/+$/g, '')}/${rec.Id}`, { period: c.cpuRtPeriod, runtime: c.cpuRtRuntime }),
  };
}
