// The images use-cases: load, import, list, inspect, tag, remove, save, and the seeding of the
// embedded busybox image, over the layer store and image store the daemon opened and injected
// (src/daemon/storage.ts).
//
// Embedded image: a build may carry "busybox.tar" (docker-save) inside the executable. The first
// start on a root loads it and writes a 'meta' record ("images-seeded"), so a fresh device runs
// `isula run busybox ...` without a network, and an image the user removed does not come back.
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { StateStore } from '../../store/types.ts';
import type { EventBus } from '../../events/bus.ts';
import type { ImageStore } from '../../image/image-store.ts';
import type { ImageRecord } from '../../image/types.ts';
import { normaliseTagName, parseReference, RESERVED_NAMES, taggedName } from '../../image/reference.ts';
import { readEmbeddedAsset } from '../../util/embedded-assets.ts';
import { conflict, invalidArgument, messageOf, notFound } from '../../util/errors.ts';
import { log } from '../../util/log.ts';
import { loadArchive } from './load.ts';
import { importRootfs } from './import.ts';
import { imageMatcher } from './list-filter.ts';
import type { ImageFilters } from './list-filter.ts';
import { imageInspectFrom } from './image-json.ts';
import type { ImageInspect } from './image-json.ts';
import type { ImageLayers } from './types.ts';
import { commitContainer } from './commit.ts';
import type { ContainerChangesReader } from './commit.ts';

/** Returns the containers (names or IDs) using an image (the containers service answers). */
export type ImageUseChecker = (imageId: string) => string[];

export interface ImageServiceDeps {
  store: StateStore;
  layers: ImageLayers;
  images: ImageStore;
  /** rmi refuses an image these containers use (absent: nothing uses images) */
  inUse?: ImageUseChecker;
  events?: EventBus;
  /** reads a container's changes for commit (absent: commit is refused) */
  containerChanges?: ContainerChangesReader;
  /** embedded default image loader (tests pass their own); default readEmbeddedAsset('busybox.tar') */
  embeddedImage?: () => Buffer | undefined;
}

function openInput(input: Readable | { path: string }): Readable {
  return input instanceof Readable ? input : createReadStream(input.path, { highWaterMark: 1 << 20 });
}

export const SEED_META_ID = 'images-seeded';
const SEED_ASSET = 'busybox.tar';

export class ImageService {
  readonly #deps: ImageServiceDeps;
  readonly #layers: ImageLayers;
  readonly #images: ImageStore;
  readonly #inUse: ImageUseChecker;

  constructor(deps: ImageServiceDeps) {
    this.#deps = deps;
    this.#layers = deps.layers;
    this.#images = deps.images;
    this.#inUse = deps.inUse ?? (() => []);
  }

  /** The resolver containers use (name, digest, full or short ID). */
  resolve(ref: string): ImageRecord | undefined {
    return this.#images.resolve(ref);
  }

  /** Seeds the embedded image on a root's first start. */
  async start(): Promise<void> {
    await this.#seed();
  }

  async close(): Promise<void> {
    // Nothing to flush: every write was durable when its call returned.
  }

  async #seed(): Promise<void> {
    if (this.#deps.store.get('meta', SEED_META_ID)) return;
    const bytes = (this.#deps.embeddedImage ?? (() => readEmbeddedAsset(SEED_ASSET)))();
    if (bytes) {
      try {
        const imgs = await loadArchive(this.#layers, this.#images, Readable.from([bytes]));
        log.info(`loaded the embedded image ${imgs.flatMap((i) => i.names).join(', ')}`);
      } catch (err) {
        log.warn('cannot load the embedded image', err);
        return; // try again next start
      }
    }
    await this.#deps.store.put('meta', SEED_META_ID, { seeded: new Date().toISOString(), embedded: bytes !== undefined });
  }

  #publish(action: string, id: string): void {
    this.#deps.events?.publish({ type: 'image', action, id, attributes: {} });
  }

  count(): number {
    return this.#images.count();
  }

  /** input: the archive bytes, or a path the daemon opens itself */
  async load(input: Readable | { path: string }, opts: { tag?: string; platform?: string; signal?: AbortSignal; onBytes?: (n: number) => void } = {}): Promise<ImageRecord[]> {
    const tag = opts.tag !== undefined && opts.tag !== '' ? normaliseTagName(opts.tag) : undefined;
    const imgs = await loadArchive(this.#layers, this.#images, openInput(input), { ...opts, ...(tag !== undefined ? { tag } : { tag: undefined }) });
    for (const i of imgs) for (const n of i.names.length ? i.names : [i.id]) this.#publish('load', n);
    return imgs;
  }

  async import(input: Readable | { path: string }, name: string, signal?: AbortSignal): Promise<ImageRecord> {
    const tag = name === '' ? undefined : normaliseTagName(name);
    const img = await importRootfs(this.#layers, this.#images, openInput(input), tag, signal);
    this.#publish('import', tag ?? img.id);
    return img;
  }

  /** isula commit: the container's writable layer on top of its image, as a new image. */
  async commit(container: string, repo: string, opts: { author?: string; message?: string; changes?: readonly string[]; pause: boolean; signal?: AbortSignal }): Promise<ImageRecord> {
    const read = this.#deps.containerChanges;
    if (!read) throw invalidArgument('commit is not available: no container service');
    const name = repo === '' ? undefined : normaliseTagName(repo);
    const img = await read(container, { pause: opts.pause, ...(opts.signal ? { signal: opts.signal } : {}) }, (src) =>
      commitContainer(this.#layers, this.#images, src, {
        ...(name !== undefined ? { name } : {}),
        ...(opts.author ? { author: opts.author } : {}),
        ...(opts.message ? { message: opts.message } : {}),
        ...(opts.changes?.length ? { changes: opts.changes } : {}),
        ...(opts.signal ? { signal: opts.signal } : {}),
      }));
    this.#publish('commit', name ?? img.id);
    return img;
  }

  list(filters: ImageFilters = {}): ImageRecord[] {
    const match = imageMatcher(filters, (r) => this.#images.resolve(r));
    return this.#images.list().filter(match);
  }

  inspect(ref: string): ImageInspect {
    return imageInspectFrom(this.#images.mustResolve(ref));
  }

  async tag(src: string, dest: string): Promise<void> {
    const img = this.#images.mustResolve(src);
    const name = normaliseTagName(dest);
    await this.#images.tag(img.id, name);
    this.#publish('tag', name);
  }

  /** rmi: a name removes that name (the image goes with its last name); an ID removes the image. */
  async remove(ref: string, force = false): Promise<void> {
    if (RESERVED_NAMES.has(ref)) throw invalidArgument(`image name ${JSON.stringify(ref)} is reserved`);
    const img = this.#images.mustResolve(ref);
    let byName: string | undefined;
    let byDigest: string | undefined;
    try {
      const p = parseReference(ref);
      if (p.digest === undefined && img.names.includes(taggedName(p))) byName = taggedName(p);
      if (p.digest !== undefined && img.digests.includes(`${p.repo}@${p.digest}`)) byDigest = `${p.repo}@${p.digest}`;
    } catch {
      byName = undefined;
    }
    // repo@digest of an image that still has names: that reference goes, the image stays (iSulad's
    // image_digest.sh removes the digest, then the tag; docker untags the digest the same way)
    if (byDigest !== undefined && img.names.length > 0) {
      await this.#images.untag(img.id, byDigest);
      this.#publish('remove', byDigest);
      return;
    }
    if (byName !== undefined && img.names.length > 1) {
      await this.#images.untag(img.id, byName);
      this.#publish('remove', byName); // iSulad has no untag action: the name was removed
      return;
    }
    if (byName === undefined && img.names.length > 1 && !force) {
      throw conflict(`Unable to remove the image ${JSON.stringify(ref)} (must force) - image is referenced in multiple repositories`);
    }
    const users = this.#inUse(img.id);
    if (users.length > 0) {
      throw conflict(`Image used by ${users.slice(0, 3).join(', ')}${users.length > 3 ? ', ...' : ''}`);
    }
    await this.#images.delete(img.id);
    this.#publish('remove', byName ?? img.names[0] ?? img.id);
  }

  /** Writes a docker-save archive of the named images to out. */
  async save(refs: string[], out: Writable, signal?: AbortSignal): Promise<void> {
    if (refs.length === 0) throw invalidArgument('save needs at least one image');
    const picked = new Map<string, { record: ImageRecord; names: string[] }>();
    for (const ref of refs) {
      const record = this.#images.mustResolve(ref);
      const entry = picked.get(record.id) ?? { record, names: [] };
      let name: string | undefined;
      try {
        const p = parseReference(ref);
        if (p.digest === undefined && record.names.includes(taggedName(p))) name = taggedName(p);
      } catch {
        name = undefined;
      }
      // By ID: every name of the image (docker does the same).
      for (const n of name !== undefined ? [name] : record.names) if (!entry.names.includes(n)) entry.names.push(n);
      picked.set(record.id, entry);
    }
    // tar-stream and the writer load on the first save, not at every daemon start.
    const [tarStream, { writeSaveArchive }] = await Promise.all([import('tar-stream'), import('../../image/archive/write-save.ts')]);
    const pack = tarStream.pack();
    // Errors arrive through the promises below; a stream destroyed by a cancel may still emit
    // 'error' after pipeline() let go of it, and an unheard 'error' would take the daemon down.
    (pack as unknown as Readable).on('error', () => {});
    out.on('error', () => {});
    const layers = this.#layers;
    const images = this.#images;
    // Either side failing stops the other: a cancelled client must not leave the writer waiting
    // on a destroyed pack with a layer file open.
    const stop = new AbortController();
    const both = signal ? AbortSignal.any([signal, stop.signal]) : stop.signal;
    await Promise.all([
      pipeline(pack as unknown as Readable, out, { signal: both }).catch((err: unknown) => {
        stop.abort(err);
        throw err;
      }),
      writeSaveArchive(pack, [...picked.values()], { configBytes: (id) => images.configBytes(id), layerTar: (c) => layers.layerTar(c) }, both).catch((err: unknown) => {
        stop.abort(err);
        (pack as unknown as Readable).destroy(err instanceof Error ? err : new Error(messageOf(err)));
        throw err;
      }),
    ]);
  }

  /** Throws not-found unless the image exists (for callers that only need the check). */
  mustExist(ref: string): ImageRecord {
    const r = this.#images.resolve(ref);
    if (!r) throw notFound(`No such image:${ref}`);
    return r;
  }
}
