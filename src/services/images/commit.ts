// `isula commit`: a container's writable layer becomes a new layer on top of its image's layers,
// and a new image config (commit-config.ts) names it. The container side (freezing it, reading its
// layer as a tar) is the containers service's, reached through the CommitSource the daemon wires
// in, so this module knows nothing of containers beyond that plain data.
import type { Readable } from 'node:stream';
import type { ImageStore } from '../../image/image-store.ts';
import { hostPlatform } from '../../image/archive/image-plans.ts';
import type { ImageRecord } from '../../image/types.ts';
import type { LayerInfo } from '../../storage/types.ts';
import { internal, notFound } from '../../util/errors.ts';
import { committedConfig } from './commit-config.ts';
import type { CommitRuntimeConfig } from './commit-config.ts';
import type { ImageLayers } from './types.ts';

/** What a commit reads from a container (the containers service fills it). */
export interface CommitSource {
  id: string;
  /** config digest hex of the container's image ('' when it has none) */
  imageId: string;
  config: CommitRuntimeConfig;
  path: string;
  args: string[];
  /** the writable layer as a layer tar */
  tar: Readable;
}

/** Runs fn with a container's changes, the container held still meanwhile. */
export type ContainerChangesReader = <T>(ref: string, opts: { pause: boolean; signal?: AbortSignal }, fn: (src: CommitSource) => Promise<T>) => Promise<T>;

export interface CommitOptions {
  /** normalised repo:tag, or undefined for an untagged image */
  name?: string;
  author?: string;
  message?: string;
  changes?: readonly string[];
  signal?: AbortSignal;
}

export async function commitContainer(layers: ImageLayers, images: ImageStore, src: CommitSource, opts: CommitOptions): Promise<ImageRecord> {
  const base = src.imageId === '' ? undefined : images.get(src.imageId);
  if (src.imageId !== '' && !base) throw notFound(`No such image: ${src.imageId} (the image of container ${src.id})`);
  const staged = await layers.stage(src.tar, opts.signal ? { signal: opts.signal } : {});
  const held: LayerInfo[] = [];
  let handedOver = false;
  try {
    for (const chain of base?.layers ?? []) {
      const info = layers.stat(chain);
      if (!info) throw internal(`layer ${chain} of image ${base?.id} is missing from the layer store`);
      layers.hold(chain);
      held.push(info);
    }
    const top = await layers.commitStaged(staged, base?.topLayer ?? null);
    held.push(top);
    const created = new Date().toISOString();
    const config = committedConfig({
      base: base?.config as (ImageRecord['config'] & Record<string, unknown>) | undefined,
      platform: hostPlatform(),
      containerId: src.id,
      runtime: src.config,
      createdBy: [src.path, ...src.args].join(' '),
      diffId: top.diffId,
      created,
      ...(opts.author ? { author: opts.author } : {}),
      ...(opts.message ? { message: opts.message } : {}),
      ...(opts.changes ? { changes: opts.changes } : {}),
    });
    handedOver = true; // add() releases every layer reference it is given, on success or not
    return await images.add({ configBytes: Buffer.from(JSON.stringify(config)), layers: held, names: opts.name ? [opts.name] : [] });
  } finally {
    if (!handedOver) for (const l of held) await layers.release(l.chainId);
    await staged.discard();
  }
}
