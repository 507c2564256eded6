// The image store: ImageRecords in the StateStore (kind 'image'), the original config bytes (and
// manifest, when one came with the image) as files under <graph>/storage/overlay-images/<id>/.
// The config bytes must survive untouched: their sha256 is the image ID, and `save` writes them
// back so an image round-trips with the same ID. They are files, not store values, because the
// store keeps every value in memory and the parsed config already lives in the record.
//
// Write order: files (fsync'd) → record commit → hold the top layer. Removal: record → files →
// release. A directory without a record is a crash leftover, removed at open.
import { mkdir, readFile, readdir, rm } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { StateStore } from '../store/types.ts';
import type { ChainId, LayerInfo } from '../storage/types.ts';
import type { ImageRecord, ImageResolver } from './types.ts';
import { parseFullId, parseIdPrefix, parseReference, taggedName, RESERVED_NAMES } from './reference.ts';
import { KeyedMutex } from '../util/keyed-mutex.ts';
import { syncDir, writeFileDurable } from '../util/durable-file.ts';
import { invalidArgument, notFound } from '../util/errors.ts';
import { parseImageConfig } from './image-config.ts';
import { log } from '../util/log.ts';

/** What the image store needs from the layer store. */
export interface ImageLayerAccess {
  has(chainId: ChainId): boolean;
  stat(chainId: ChainId): LayerInfo | undefined;
  hold(chainId: ChainId): void;
  release(chainId: ChainId): Promise<void>;
}

export interface NewImage {
  /** the config JSON exactly as received; its sha256 is the image ID */
  configBytes: Buffer;
  /** the manifest it came with, if any (kept for pulled images) */
  manifestBytes?: Buffer;
  /** the image's layers bottom → top, each holding one reference from apply()/commitStaged() */
  layers: LayerInfo[];
  names: string[];
  digests?: string[];
}

const CONFIG_FILE = 'config.json';
const MANIFEST_FILE = 'manifest.json';

export class ImageStore implements ImageResolver {
  readonly #store: StateStore;
  readonly #layers: ImageLayerAccess;
  readonly #dir: string;
  // Every mutation is read-modify-write over several records (names move between images), so
  // they run one at a time; they are short (a few small files and one store batch).
  readonly #mutex = new KeyedMutex();

  private constructor(store: StateStore, layers: ImageLayerAccess, dir: string) {
    this.#store = store;
    this.#layers = layers;
    this.#dir = dir;
  }

  /** Opens the store; holds every image's top layer (call the layer GC after this). */
  static async open(store: StateStore, layers: ImageLayerAccess, dir: string): Promise<ImageStore> {
    const s = new ImageStore(store, layers, dir);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const ids = new Set(store.ids('image'));
    for (const name of await readdir(dir)) {
      if (!ids.has(name)) await rm(join(dir, name), { recursive: true, force: true });
    }
    for (const r of s.list()) {
      if (r.topLayer !== null && layers.has(r.topLayer)) layers.hold(r.topLayer);
      else if (r.topLayer !== null) log.with({ image: r.id }).warn('image top layer is missing');
    }
    return s;
  }

  list(): ImageRecord[] {
    return this.#store.list<ImageRecord>('image');
  }

  count(): number {
    return this.#store.ids('image').length;
  }

  get(id: string): ImageRecord | undefined {
    return this.#store.get<ImageRecord>('image', id);
  }

  /** name[:tag], name@digest, full ID (sha256:... or bare hex), or a unique short ID prefix. */
  resolve(ref: string): ImageRecord | undefined {
    const byId = parseFullId(ref);
    if (byId) {
      const r = this.get(byId);
      if (r) return r;
    }
    let parsed;
    try {
      parsed = parseReference(ref);
    } catch {
      parsed = undefined;
    }
    if (parsed) {
      const all = this.list();
      if (parsed.digest !== undefined) {
        const want = `${parsed.repo}@${parsed.digest}`;
        const r = all.find((i) => i.digests.includes(want));
        if (r) return r;
      } else {
        const want = taggedName(parsed);
        const r = all.find((i) => i.names.includes(want));
        if (r) return r;
      }
    }
    const prefix = parseIdPrefix(ref);
    if (prefix) {
      const hits = this.#store.ids('image').filter((id) => id.startsWith(prefix));
      if (hits.length === 1) return this.get(hits[0] as string);
    }
    return undefined;
  }

  /** resolve(), or `not-found` naming the reference. */
  mustResolve(ref: string): ImageRecord {
    const r = this.resolve(ref);
    if (!r) throw notFound(`No such image:${ref}`);
    return r;
  }

  configBytes(id: string): Promise<Buffer> {
    return readFile(join(this.#dir, id, CONFIG_FILE));
  }

  async manifestBytes(id: string): Promise<Buffer | undefined> {
    return readFile(join(this.#dir, id, MANIFEST_FILE)).catch(() => undefined);
  }

  /**
   * Stores an image (or adds names to an existing one with the same ID). Always consumes the layer
   * references in `img.layers`, on success and on failure. Names are moved from any other image
   * that held them (which may leave it untagged: `<none>`). Returns the record.
   */
  async add(img: NewImage): Promise<ImageRecord> {
    try {
      return await this.#mutex.run('images', () => this.#add(img));
    } finally {
      for (const l of img.layers) await this.#layers.release(l.chainId);
    }
  }

  async #add(img: NewImage): Promise<ImageRecord> {
    const id = createHash('sha256').update(img.configBytes).digest('hex');
    const config = parseImageConfig(img.configBytes);
    const diffIds = config.rootfs.diff_ids;
    if (diffIds.length !== img.layers.length || diffIds.some((d, i) => img.layers[i]?.diffId !== d)) {
      throw invalidArgument(`image ${id}: its layers do not match the config's rootfs.diff_ids`);
    }
    for (const n of img.names) if (RESERVED_NAMES.has(n)) throw invalidArgument(`image name ${JSON.stringify(n)} is reserved`);
    const existing = this.get(id);
    const top = img.layers.at(-1)?.chainId ?? null;
    let rec: ImageRecord;
    if (existing) {
      rec = {
        ...existing,
        names: [...new Set([...existing.names, ...img.names])],
        digests: [...new Set([...existing.digests, ...(img.digests ?? [])])],
      };
    } else {
      const dir = join(this.#dir, id);
      await rm(dir, { recursive: true, force: true });
      await mkdir(dir, { mode: 0o700 });
      await writeFileDurable(join(dir, CONFIG_FILE), img.configBytes);
      if (img.manifestBytes) await writeFileDurable(join(dir, MANIFEST_FILE), img.manifestBytes);
      await syncDir(dir);
      await syncDir(this.#dir); // the new <id> entry itself
      rec = {
        id,
        names: [...new Set(img.names)],
        digests: [...new Set(img.digests ?? [])],
        topLayer: top,
        layers: img.layers.map((l) => l.chainId),
        size: img.layers.reduce((a, l) => a + l.size, 0),
        created: typeof config.created === 'string' ? config.created : new Date(0).toISOString(),
        loaded: new Date().toISOString(),
        config,
      };
    }
    await this.#store.batch([...this.#takeNames(rec.names, id), { op: 'put', kind: 'image', id, value: rec }]);
    if (!existing && top !== null) this.#layers.hold(top);
    return this.get(id) as ImageRecord;
  }

  /** Store ops removing `names` from every image other than `id`. */
  #takeNames(names: string[], id: string) {
    const ops = [];
    for (const other of this.list()) {
      if (other.id === id || !other.names.some((n) => names.includes(n))) continue;
      ops.push({ op: 'put' as const, kind: 'image' as const, id: other.id, value: { ...other, names: other.names.filter((n) => !names.includes(n)) } });
    }
    return ops;
  }

  /** Adds a name (already normalised "repo:tag") to an image, moving it from any other image. */
  tag(id: string, name: string): Promise<ImageRecord> {
    return this.#mutex.run('images', () => this.#tag(id, name));
  }

  async #tag(id: string, name: string): Promise<ImageRecord> {
    const r = this.get(id);
    if (!r) throw notFound(`No such image:${id}`);
    if (RESERVED_NAMES.has(name)) throw invalidArgument(`image name ${JSON.stringify(name)} is reserved`);
    if (r.names.includes(name)) return r;
    await this.#store.batch([...this.#takeNames([name], id), { op: 'put', kind: 'image', id, value: { ...r, names: [...r.names, name] } }]);
    return this.get(id) as ImageRecord;
  }

  /** Removes one name (or one repo@digest reference) from an image (the image stays, maybe untagged). */
  untag(id: string, name: string): Promise<void> {
    return this.#mutex.run('images', () => this.#untag(id, name));
  }

  async #untag(id: string, name: string): Promise<void> {
    const r = this.get(id);
    if (!r) throw notFound(`No such image:${id}`);
    await this.#store.put('image', id, { ...r, names: r.names.filter((n) => n !== name), digests: r.digests.filter((d) => d !== name) });
  }

  /** Deletes an image: record, then files, then its hold on the top layer (layers go when unused). */
  async delete(id: string): Promise<void> {
    const r = await this.#mutex.run('images', async () => {
      const rec = this.get(id);
      if (!rec) throw notFound(`No such image:${id}`);
      await this.#store.delete('image', id);
      await rm(join(this.#dir, id), { recursive: true, force: true });
      return rec;
    });
    if (r.topLayer !== null) await this.#layers.release(r.topLayer);
  }
}
