// Builds the CRI's services for the daemon wiring: the pod service and the CRI image view.
import type { ImageService } from '../images/image-service.ts';
import type { RegistryService } from '../registry/service.ts';
import { CriImages } from './images.ts';
import { PodService, type PodServiceConfig } from './service.ts';

export interface CriServices {
  pods: PodService;
  images: CriImages;
}

export interface CriSetupDeps {
  config: PodServiceConfig & { storageDir: string; sandboxImage: string };
  images: ImageService;
  registry: RegistryService;
}

export function createCriServices(d: CriSetupDeps): CriServices {
  const images = new CriImages({
    list: () => d.images.list(),
    resolve: (ref) => d.images.resolve(ref),
    removeImage: (id) => d.images.remove(id, true),
    pull: (ref, opts) => d.registry.pull(ref, opts),
    storageDir: d.config.storageDir,
    sandboxImage: () => d.config.sandboxImage,
  });
  const pods = new PodService(d.config);
  return { pods, images };
}
