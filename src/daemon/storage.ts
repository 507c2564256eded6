// Opens the layer store and the image store over the state store, in the daemon wiring right
// after the state store (boot.ts), so every service receives open stores and none has to wait for
// another's start(). The image store holds each image's top layer and container layers hold
// theirs, so what nothing holds once both are open is a kill -9 leftover: collected here.
import { join } from 'node:path';
import type { StateStore } from '../store/types.ts';
import { OverlayLayerStore } from '../storage/overlay/layer-store.ts';
import type { IdShift } from '../storage/extract.ts';
import { ImageStore } from '../image/image-store.ts';
import { log } from '../util/log.ts';
import { checkImageLayers } from './layer-check.ts';

export interface ImageStorage {
  /** <graph>/storage/overlay */
  layers: OverlayLayerStore;
  /** <graph>/storage/overlay-images */
  images: ImageStore;
  /** images the layer check removed (their containers go at restore) */
  droppedImages: ReadonlySet<string>;
}

export async function openImageStorage(graph: string, store: StateStore, check: { state: string; enabled: boolean } = { state: '', enabled: false }, idShift?: IdShift): Promise<ImageStorage> {
  const storage = join(graph, 'storage');
  const layers = await OverlayLayerStore.open(join(storage, 'overlay'), store, idShift ? { idShift } : {});
  const images = await ImageStore.open(store, layers, join(storage, 'overlay-images'));
  // daemon.json image-layer-check after an unclean stop (layer-check.ts)
  const droppedImages = await checkImageLayers({ graph, state: check.state, enabled: check.enabled, layers, images });
  try {
    const removed = await layers.collectGarbage();
    if (removed > 0) log.info(`removed ${removed} unused layers left by an interrupted operation`);
  } catch (err) {
    // Unused layers only cost disk; a failed clean-up must not keep the daemon from booting.
    log.warn('collecting unused layers failed; will retry at the next start', err);
  }
  return { layers, images, droppedImages };
}
