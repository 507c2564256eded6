// Builds the CRI's services for the daemon wiring: the pod service and the CRI image view.
import { join } from 'node:path';
import type { StateStore } from '../../store/types.ts';
import type { EventBus } from '../../events/bus.ts';
import { readEmbeddedAsset } from '../../util/embedded-assets.ts';
import type { ContainerService } from '../containers/service.ts';
import type { ImageService } from '../images/image-service.ts';
import type { RegistryService } from '../registry/service.ts';
import { CriImages } from './images.ts';
import { loopbackPodNetwork, type PodNetwork } from './network.ts';
import { ensureSandboxImage, PodService, readOwnOomScoreAdj, type PodServiceConfig } from './service.ts';

export interface CriServices {
  pods: PodService;
  images: CriImages;
}

export interface CriSetupDeps {
  config: PodServiceConfig & { graph: string; storageDir: string; sandboxImage: string };
  store: StateStore;
  images: ImageService;
  registry: RegistryService;
  containers: ContainerService;
  /** the pods' network (default: loopback only, no CNI) */
  network?: PodNetwork;
  /** the engine's event bus (GetContainerEvents) */
  events?: Pick<EventBus, 'subscribe'>;
}

export function createCriServices(d: CriSetupDeps): CriServices {
  const images = new CriImages({
    list: () => d.images.list(),
    resolve: (ref) => d.images.resolve(ref),
    removeImage: (id) => d.images.remove(id, true),
    pull: (ref, opts) => d.registry.pull(ref, opts),
    storageDir: d.config.storageDir,
    sandboxImage: () => d.config.sandboxImage || 'pause:3.9',
  });
  let sandboxImage: Promise<string> | undefined;
  const pods = new PodService(d.config, {
    store: d.store,
    containers: d.containers,
    network: d.network ?? loopbackPodNetwork(d.config.cniConfDir),
    sandboxImage: () => {
      // one load at a time; a failure is retried by the next RunPodSandbox
      sandboxImage ??= ensureSandboxImage(d.config.sandboxImage, {
        resolve: (r) => d.images.resolve(r),
        load: (r) => d.images.load(r),
        pull: (r) => d.registry.pull(r),
        embedded: () => readEmbeddedAsset('pause.tar'),
      }).finally(() => { sandboxImage = undefined; });
      return sandboxImage;
    },
    sandboxesDir: join(d.config.graph, 'cri', 'sandboxes'),
    hostOomScoreAdj: readOwnOomScoreAdj,
    ...(d.events ? { events: d.events } : {}),
  });
  return { pods, images };
}
