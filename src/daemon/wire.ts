// Service wiring — the ONE place where the daemon's services are built, started and closed.
//
// HOW TO ADD A SERVICE (images, containers, registry, ...):
//   1. Add a field to `Services` below, typed with your service's interface.
//   2. Build it in `buildServices` (it receives config, store, events and the services built
//      before it); push it onto `lifecycle` so it gets start() at boot and close() at shutdown.
//   3. If it feeds `isula info`, fill the matching CountSources function.
//   4. Register its gRPC handlers with one line in src/api/isula/index.ts.
// Services are started in the order they are pushed and closed in reverse order. start() may be
// slow (images seeds the embedded busybox, containers restores from the store); the socket is
// opened only after every start() resolved, so a client never sees a half-booted daemon.

import type { StateStore } from '../store/types.ts';
import type { EventBus } from '../events/bus.ts';
import { createEventBus } from '../events/bus.ts';
import type { DaemonConfig } from './config.ts';
import { createSystemInfoService, type CountSources, type SystemInfoService } from './system-info.ts';
import { log } from '../util/log.ts';
import { ImageService } from '../services/images/image-service.ts';
import type { ContainerService } from '../services/containers/service.ts';
import { createContainerService } from '../services/containers/setup.ts';
import { RegistryService } from '../services/registry/service.ts';
import { VolumeService } from '../services/volumes/service.ts';
import { volumeUsersOf } from '../services/containers/volume-mounts.ts';
import type { ContainerRecord } from '../services/containers/types.ts';

/** What the daemon needs from a long-lived service. */
export interface Lifecycle {
  start?(): Promise<void>;
  /** idempotent; must not stop containers */
  close(): Promise<void>;
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
}

export interface WiredServices {
  services: Services;
  /** in start order */
  lifecycle: Array<{ name: string; service: Lifecycle }>;
}

export function buildServices(config: DaemonConfig, store: StateStore): WiredServices {
  const lifecycle: WiredServices['lifecycle'] = [];
  const events = createEventBus();
  const images = new ImageService({ graph: config.graph, store, events });
  lifecycle.push({ name: 'images', service: images });
  // pull/push/login/search over the image service's stores (which exist once images started)
  const registry = new RegistryService(config, () => ({
    layers: images.layers,
    addImage: (i) => images.addImage(i),
    resolve: (r) => images.resolve(r),
    manifestBytes: (id) => images.images.manifestBytes(id),
    configBytes: (id) => images.images.configBytes(id),
  }), events);
  lifecycle.push({ name: 'registry', service: registry });
  // volume users are read from the container records on each question (no count to drift)
  const volumes = new VolumeService({ graph: config.graph, store });
  volumes.setUsers(() => volumeUsersOf(store.list<ContainerRecord>('container')));
  lifecycle.push({ name: 'volumes', service: volumes });
  // after images: it needs the layer store, and restores containers from the store at start
  const containers = createContainerService({
    volumes,
    graph: config.graph, state: config.state, cgroupParent: config.cgroupParent, defaultRuntime: config.defaultRuntime,
    containerLogOpts: config.containerLog.opts, store, events, images,
    pull: (ref, signal) => registry.pull(ref, signal ? { signal } : {}),
  });
  images.setImageUseChecker((imageId) => containers.containersUsingImage(imageId));
  lifecycle.push({ name: 'containers', service: containers });
  const counts: CountSources = {
    containers: () => containers.counts(),
    images: () => images.count(),
  };
  const system = createSystemInfoService(config, counts);
  lifecycle.push({ name: 'system', service: system });
  const services: Services = { config, store, events, system, images, containers, registry, volumes };
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
