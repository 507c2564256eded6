// `import`: a rootfs tarball (plain or compressed) → a single-layer image with a synthesised
// config (iSulad: §5.6). The config is ours, so its bytes (and the image ID) depend on the time.
import type { Readable } from 'node:stream';
import { invalidArgument } from '../../util/errors.ts';
import type { ImageLayers } from './types.ts';
import type { ImageStore } from '../../image/image-store.ts';
import { hostPlatform } from '../../image/archive/image-plans.ts';
import type { ImageRecord } from '../../image/types.ts';

export async function importRootfs(layers: ImageLayers, images: ImageStore, input: Readable, name: string | undefined, signal?: AbortSignal): Promise<ImageRecord> {
  const staged = await layers.stage(input, signal ? { signal } : {});
  try {
    // an empty input (or an empty compressed stream) is no tarball: iSulad refuses it too
    if (staged.tarSize === 0) throw invalidArgument('import: the archive is empty, not a tar file');
    const layer = await layers.commitStaged(staged, null);
    const created = new Date().toISOString();
    const p = hostPlatform();
    const config = {
      architecture: p.architecture,
      ...(p.variant ? { variant: p.variant } : {}),
      config: { Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'] },
      created,
      history: [{ created, comment: 'Imported from tarball' }],
      os: p.os,
      rootfs: { type: 'layers', diff_ids: [layer.diffId] },
    };
    return await images.add({ configBytes: Buffer.from(JSON.stringify(config)), layers: [layer], names: name ? [name] : [] });
  } finally {
    await staged.discard();
  }
}
