// What the images service needs from the stores the daemon opened (src/daemon/storage.ts): the
// layer store's staging (load/import), its writer (references) and its layer tars (save).
import type { LayerStager, LayerTarSource, LayerWriter } from '../../storage/types.ts';

export type ImageLayers = LayerStager & LayerWriter & LayerTarSource;
