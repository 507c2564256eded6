// `load`: an archive stream → images. One pass over the archive (read-archive.ts), then each
// image's layers are committed bottom-up and the image record committed last, so a kill -9 at any
// point leaves no image listed; committed layers nobody holds are collected at the next start.
import type { Readable } from 'node:stream';
import type { ImageLayers } from './types.ts';
import type { LayerInfo } from '../../storage/types.ts';
import type { ImageStore } from '../../image/image-store.ts';
import { parseImageConfig } from '../../image/image-config.ts';
import { readArchive } from '../../image/archive/read-archive.ts';
import { imagePlans } from '../../image/archive/image-plans.ts';
import type { ImagePlan } from '../../image/archive/image-plans.ts';
import type { ImageRecord } from '../../image/types.ts';
import { invalidArgument, wrap } from '../../util/errors.ts';
import { formatPlatform, parsePlatform, selectPlatform, type Platform } from '../../image/registry/platform.ts';
import { chainIdsOf } from '../../image/registry/pull-image.ts';

export interface LoadOptions {
  /** rename: only when the archive holds exactly one image (normalised "repo:tag") */
  tag?: string;
  /** --platform: pick it from a multi-arch OCI archive, and refuse images of another platform */
  platform?: string;
  signal?: AbortSignal;
  /** archive bytes read so far (progress) */
  onBytes?: (n: number) => void;
}

export async function loadArchive(layers: ImageLayers, images: ImageStore, input: Readable, opts: LoadOptions = {}): Promise<ImageRecord[]> {
  // parsed before reading: a bad --platform fails without consuming the archive
  const want = opts.platform ? parsePlatform(opts.platform) : undefined;
  const contents = await readArchive(input, layers, opts.signal, opts.onBytes);
  try {
    const plans = want ? imagePlans(contents, want) : imagePlans(contents);
    if (plans.length === 0) throw invalidArgument('archive holds no image');
    if (want) for (const plan of plans) checkPlanPlatform(plan, want);
    if (opts.tag !== undefined) {
      if (plans.length !== 1) throw invalidArgument('--tag can only be used when the archive holds exactly one image');
      (plans[0] as ImagePlan).names = [opts.tag];
    }
    const out: ImageRecord[] = [];
    for (const plan of plans) out.push(await commitPlan(layers, images, contents.members, plan));
    return out;
  } finally {
    await contents.discard();
  }
}

/** A docker-save archive is single-arch per image: with --platform, its config must match. */
function checkPlanPlatform(plan: ImagePlan, want: Platform): void {
  const c = parseImageConfig(plan.configBytes);
  const have: Platform = c.variant ? { os: c.os, architecture: c.architecture, variant: c.variant } : { os: c.os, architecture: c.architecture };
  if (selectPlatform([{ platform: have }], want) < 0) {
    const name = plan.names[0] ?? plan.configPath;
    throw invalidArgument(`image ${name} in the archive is ${formatPlatform(have)}, not the requested platform ${formatPlatform(want)}`);
  }
}

async function commitPlan(
  layers: ImageLayers,
  images: ImageStore,
  members: Awaited<ReturnType<typeof readArchive>>['members'],
  plan: ImagePlan,
): Promise<ImageRecord> {
  const config = parseImageConfig(plan.configBytes);
  const diffIds = config.rootfs.diff_ids;
  if (diffIds.length !== plan.layerPaths.length) {
    throw invalidArgument(`image ${plan.configPath}: config lists ${diffIds.length} layers, manifest ${plan.layerPaths.length}`);
  }
  const held: LayerInfo[] = [];
  const chainIds = chainIdsOf(diffIds);
  try {
    let parent: string | null = null;
    for (let i = 0; i < plan.layerPaths.length; i++) {
      const path = plan.layerPaths[i] as string;
      const m = members.get(path);
      if (!m || m.kind === 'json' || m.kind === 'skipped') {
        // an archive may leave out layers the store already has (iSulad's image_load_multiplex.sh:
        // an image saved on top of a base image, loaded where the base is): the same chain is held
        const have = layers.stat(chainIds[i] as string);
        if (!have) throw invalidArgument(`layer ${JSON.stringify(path)} not found in archive`);
        layers.hold(have.chainId);
        held.push(have);
        parent = have.chainId;
        continue;
      }
      if (m.kind === 'failed') throw wrap(m.error, `layer ${JSON.stringify(path)}`);
      const digest = plan.layerDigests[i];
      if (digest !== undefined && digest !== m.staged.blobDigest) {
        throw invalidArgument(`layer ${JSON.stringify(path)}: blob digest is ${m.staged.blobDigest}, manifest says ${digest}`);
      }
      const info: LayerInfo = await layers.commitStaged(m.staged, parent, diffIds[i]);
      held.push(info);
      parent = info.chainId;
    }
  } catch (err) {
    for (const l of held) await layers.release(l.chainId);
    throw err;
  }
  // add() takes over the references in `held`.
  return images.add({ configBytes: plan.configBytes, ...(plan.manifestBytes ? { manifestBytes: plan.manifestBytes } : {}), layers: held, names: plan.names });
}
