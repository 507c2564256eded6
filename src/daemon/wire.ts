// Service wiring — the ONE place where the daemon's services are built, started and closed.
//
// The daemon opens what the services share before building them (boot.ts): the state store, the
// layer and image stores (storage.ts) and the runtimes (runtimes.ts). Each service receives the
// open stores it needs; none waits for another's start().
//
// HOW TO ADD A SERVICE (images, containers, registry, ...):
//   1. Add a field to `Services` below, typed with your service's interface.
//   2. Build it in `buildServices` (it receives config, the opened stores and the services built
//      before it); push it onto `lifecycle` so it gets start() at boot and close() at shutdown.
//   3. If it feeds `isula info`, fill the matching CountSources function.
//   4. Register its gRPC handlers with one line in src/api/isula/index.ts.
// Services are started in the order they are pushed and closed in reverse order. start() may be
// slow (images seeds the embedded busybox, containers restores from the store); the socket is
// opened only after every start() resolved, so a client never sees a half-booted daemon.

import type { StateStore } from '../store/types.ts';
import type { CgroupLayout } from '../cgroups/hierarchy.ts';
import type { CgroupFeatures } from '../cgroups/features.ts';
import type { EventBus } from '../events/bus.ts';
import { createEventBus } from '../events/bus.ts';
import type { RuntimeRegistry } from '../runtime/registry.ts';
import { isUnusable } from '../runtime/unusable.ts';
import type { DaemonConfig } from './config.ts';
import type { ImageStorage } from './storage.ts';
import { cgroupParentOf, defaultRuntimeOf } from './runtimes.ts';
import { createSystemInfoService, type CountSources, type SystemInfoService } from './system-info.ts';
import { log } from '../util/log.ts';
import { ImageService } from '../services/images/image-service.ts';
import type { ContainerService } from '../services/containers/service.ts';
import { createContainerService } from '../services/containers/setup.ts';
import { RegistryService } from '../services/registry/service.ts';
import { VolumeService } from '../services/volumes/service.ts';
import { volumeUsersOf } from '../services/containers/volume-mounts.ts';
import type { ContainerRecord } from '../services/containers/types.ts';
import { createCriServices, type CriServices } from '../services/pods/setup.ts';
import { cniPodNetwork } from '../services/pods/network.ts';
import { buildInfo } from '../api/build-info.ts';
import { NetworkService } from '../services/networks/service.ts';
import { DEFAULT_CNI_BIN_DIRS } from '../network/plugin.ts';
import { join } from 'node:path';

/** What the daemon needs from a long-lived service. */
export interface Lifecycle {
  start?(): Promise<void>;
  /** idempotent; must not stop containers */
  close(): Promise<void>;
}

/** What boot.ts opened before the services: they share these and the wiring closes them last. */
export interface OpenedStores extends ImageStorage {
  store: StateStore;
  runtimes: RuntimeRegistry;
  /** the host's cgroup mounts and what they can limit (probed once at boot) */
  cgroups?: { layout: CgroupLayout; features: CgroupFeatures };
}

export interface Services {
  config: DaemonConfig;
  store: StateStore;
  events: EventBus;
  system: SystemInfoService;
  images: ImageService;
  containers: ContainerService;
  registry: RegistryService;
  volumes: VolumeService;
  /** Kubernetes CRI (runtime.v1): pods and the CRI's image view */
  cri: CriServices;
  /** native networks and the CNI layer containers use */
  networks: NetworkService;
}

export interface WiredServices {
  services: Services;
  /** in start order */
  lifecycle: Array<{ name: string; service: Lifecycle }>;
}

export function buildServices(config: DaemonConfig, opened: OpenedStores): WiredServices {
  const { store, layers, images: imageStore, runtimes } = opened;
  const events = createEventBus();
  // pull/push/login/search over the layer and image stores
  const registry = new RegistryService(config, {
    layers,
    addImage: (i) => imageStore.add(i),
    resolve: (r) => imageStore.resolve(r),
    manifestBytes: (id) => imageStore.manifestBytes(id),
    configBytes: (id) => imageStore.configBytes(id),
    layerTar: (c) => layers.layerTar(c),
    store,
  }, events);
  // volume users are read from the container records on each question (no count to drift)
  const remap = config.usernsRemap;
  const volumes = new VolumeService({
    graph: config.graph, store, users: () => volumeUsersOf(store.list<ContainerRecord>('container')),
    ...(remap ? { owner: { uid: remap.uid, gid: remap.gid } } : {}),
  });
  // CNI plugins: cni-bin-dir first, then the other default dirs (Debian installs to /usr/lib/cni)
  const binDirs = [config.cniBinDir, ...DEFAULT_CNI_BIN_DIRS.filter((d) => d !== config.cniBinDir)];
  const networks = new NetworkService({
    store, graph: config.graph, state: config.state, cniConfDir: config.cniConfDir, binDirs,
    defaultNetwork: config.raw['bridge'] !== 'none',
    users: (name) => store.list<ContainerRecord>('container')
      .filter((c) => networks.networkNamesOf(c.HostConfig.NetworkMode).includes(name)).map((c) => c.Name),
  });
  const containers = createContainerService({
    volumes, network: networks,
    graph: config.graph, state: config.state, ...(remap ? { usernsRemap: remap } : {}), cgroupParent: cgroupParentOf(config), defaultUlimits: config.defaultUlimits, defaultRuntime: defaultRuntimeOf(config),
    ...(config.containerLog.maxSize !== undefined ? { logMaxSize: config.containerLog.maxSize } : {}),
    ...(config.containerLog.maxFile !== undefined ? { logMaxFile: config.containerLog.maxFile } : {}), store, events, images: imageStore, layers, runtimes,
    containerLog: { driver: config.containerLog.driver, opts: config.containerLog.opts },
    ...(opened.droppedImages && opened.droppedImages.size > 0 ? { droppedImages: opened.droppedImages } : {}),
    pull: (ref, signal, platform) => registry.pull(ref, { ...(signal ? { signal } : {}), ...(platform ? { platform } : {}) }),
    ...(opened.cgroups ? { cgroups: { ...opened.cgroups, cpuRtPeriod: config.cpuRtPeriod, cpuRtRuntime: config.cpuRtRuntime } } : {}),
  });
  const images = new ImageService({
    store, layers, images: imageStore, events, inUse: (imageId) => containers.containersUsingImage(imageId),
    containerChanges: (ref, o, fn) => containers.withChanges(ref, o, fn),
  });
  const counts: CountSources = {
    containers: () => containers.counts(),
    images: () => images.count(),
    runtimes: () => {
      const all = [...runtimes.values()];
      return {
        usable: all.filter((r) => !isUnusable(r)).map((r) => r.name).sort(),
        unusable: all.filter(isUnusable).map((r) => `${r.name}: ${r.unusable}`).sort(),
      };
    },
  };
  const system = createSystemInfoService(config, counts);
  const cri = createCriServices({
    config: {
      version: buildInfo().version, cniConfDir: config.cniConfDir, systemdCgroup: config.systemdCgroup,
      graph: config.graph, storageDir: join(config.graph, 'storage'), sandboxImage: config.podSandboxImage,
      criRuntimes: config.criRuntimes,
      knownRuntime: (name) => { const r = runtimes.get(name); return r !== undefined && !isUnusable(r); },
    },
    store, images, registry, containers, events,
    // one network layer for pods and containers: one ADD cache, one netns dir, one plugin path
    network: cniPodNetwork({ layer: networks.layer, confDir: config.cniConfDir }),
  });
  // Start order: the embedded image is seeded before containers restore; the runtimes close
  // last, after the containers service stopped its timers and probes.
  const lifecycle: WiredServices['lifecycle'] = [
    { name: 'runtimes', service: { close: () => runtimes.closeAll() } },
    { name: 'images', service: images },
    { name: 'registry', service: registry },
    { name: 'volumes', service: volumes },
    { name: 'containers', service: containers },
    { name: 'system', service: system },
  ];
  const services: Services = { config, store, events, system, images, containers, registry, volumes, cri, networks };
  return { services, lifecycle };
}

export async function startServices(w: WiredServices): Promise<void> {
  for (const { name, service } of w.lifecycle) {
    if (!service.start) continue;
    const t = process.hrtime.bigint();
    await service.start();
    log.debug(`service ${name} started in ${(Number(process.hrtime.bigint() - t) / 1e6).toFixed(1)} ms`);
  }
}

/** Closes in reverse start order; one failing close does not keep the others open. */
export async function closeServices(w: WiredServices): Promise<void> {
  for (const { name, service } of [...w.lifecycle].reverse()) {
    try {
      await service.close();
    } catch (err) {
      log.with({ service: name }).error(err, 'close failed');
    }
  }
  w.services.events.close();
}
