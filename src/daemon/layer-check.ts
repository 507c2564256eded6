// daemon.json `image-layer-check` (iSulad CI image_cases/integration_check.sh): after an unclean
// stop, every image's layers are checked against what was extracted, and an image with a damaged
// layer is dropped. As iSulad:
// - `<graph>/storage/NEED_CHECK` is made at every start and removed at a clean stop, so it is
//   there at a start only after a kill, crash or power loss; the check runs only then, and only
//   with the key on;
// - layers found whole are listed in `<state>/storage/checked-layers` (the state dir is a tmpfs:
//   the list lasts until the host reboots), and are not read again at the next unclean start;
// - an image with a layer that is not whole is removed, and so are its containers that are not
//   running (done by the container service's restore, which receives the dropped image ids);
//   layers then held by nothing are collected.
// A layer is whole when its tar, rebuilt from its tar-split and its diff directory, still hashes
// to its diff ID: any file whose bytes, size, mode or owner changed, or that is gone, fails it.
import { createHash } from 'node:crypto';
import { appendFile, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { OverlayLayerStore } from '../storage/overlay/layer-store.ts';
import type { ImageStore } from '../image/image-store.ts';
import type { ChainId } from '../storage/types.ts';
import { log } from '../util/log.ts';

export const checkFlagFile = (graph: string) => join(graph, 'storage', 'NEED_CHECK');
export const checkedLayersFile = (state: string) => join(state, 'storage', 'checked-layers');

/** True when the layer's rebuilt tar hashes to its diff ID. */
export async function layerIsWhole(layers: OverlayLayerStore, chainId: ChainId): Promise<boolean> {
  try {
    const t = layers.layerTar(chainId);
    const h = createHash('sha256');
    for await (const c of t.stream) h.update(c);
    return `sha256:${h.digest('hex')}` === t.diffId;
  } catch (err) {
    log.with({ layer: chainId }).warn('layer check: cannot rebuild the layer', err);
    return false;
  }
}

/**
 * Runs the check when `enabled` and the last stop was not clean, then marks this run as not yet
 * stopped cleanly. Returns the ids of the images removed.
 */
export async function checkImageLayers(o: { graph: string; state: string; enabled: boolean; layers: OverlayLayerStore; images: ImageStore }): Promise<Set<string>> {
  const flag = checkFlagFile(o.graph);
  const dropped = new Set<string>();
  const unclean = await stat(flag).then(() => true, () => false);
  if (o.enabled && unclean) {
    const memo = checkedLayersFile(o.state);
    await mkdir(join(o.state, 'storage'), { recursive: true, mode: 0o700 });
    const whole = new Set((await readFile(memo, 'utf8').catch(() => '')).split('\n').filter((l) => l !== ''));
    const broken = new Set<string>();
    log.info('image layer check: the last stop was not clean, checking image layers');
    for (const img of o.images.list()) {
      if (img.topLayer === null) continue;
      let ok = true;
      for (let id: ChainId | null = img.topLayer; id !== null && ok; id = o.layers.stat(id)?.parent ?? null) {
        if (whole.has(id)) continue;
        if (broken.has(id) || !(await layerIsWhole(o.layers, id))) {
          broken.add(id);
          ok = false;
          log.with({ image: img.id, layer: id }).warn('image layer check: the layer is damaged, removing its image');
          break;
        }
        whole.add(id);
        await appendFile(memo, `${id}\n`, { mode: 0o600 });
      }
      if (ok) continue;
      await o.images.delete(img.id).then(
        () => dropped.add(img.id),
        (err: unknown) => log.with({ image: img.id }).error(err, 'image layer check: removing the image failed'),
      );
    }
  }
  await mkdir(join(o.graph, 'storage'), { recursive: true, mode: 0o700 });
  await writeFile(flag, '', { mode: 0o600 });
  return dropped;
}

/** A clean stop: the next start needs no check. */
export async function markCleanStop(graph: string): Promise<void> {
  await rm(checkFlagFile(graph), { force: true });
}
