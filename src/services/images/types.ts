// What the images service needs from the stores the daemon opened (src/daemon/storage.ts): the
// layer store's staging (load/import/commit), its writer (references), its layer tars (save) and
// layer lookups (commit).
import type { LayerReader, LayerStager, LayerTarSource, LayerWriter } from '../../storage/types.ts';

export type ImageLayers = LayerStager & LayerWriter & LayerTarSource & Pick<LayerReader, 'stat'>;
