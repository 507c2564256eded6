// The overlay2 layer store: image layers by chain ID, extracted once, shared, reference-counted.
//
// References live in memory only and are recomputed at open: a child layer holds its parent, a
// container layer holds its image's top layer, the image store holds each image's top (hold()),
// and apply() hands its caller one transient reference (released with release()). A kill -9 loses
// the transient ones, so whatever no image or container holds after a restart is garbage:
// collectGarbage() deletes it. Persisting counts would cost a store write per change and still
// leak on a crash between "layer committed" and "image committed".
//
// A layer becomes visible only after its content is extracted into tmp/, flushed (syncfs),
// renamed into place and its record committed; anything on disk without a record is removed at
// open.
import { createHash, randomBytes } from 'node:crypto';
import { chown, link, mkdir, readdir, rename, rm, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import type { StateStore, StoreOp } from '../../store/types.ts';
import type { ChainId, LayerInfo, LayerStager, LayerStore, LayerTarSource, RecyclingByteSource, StagedLayer } from '../types.ts';
import { decompressInline, type Compression } from '../decompress.ts';
import { extractTar, type IdShift } from '../extract.ts';
import { TarSplitWriter, reassembleTar } from '../tar/tar-split.ts';
import { makeSpecialNodes, runTool, syncFilesystem } from '../fs-tools.ts';
import { syncDir } from '../../util/durable-file.ts';
import { LINK_DIR, MAX_LAYER_DEPTH, OverlayLayout, TMP_DIR, hexOf, newLinkName } from './layout.ts';
import type { ContainerLayerRecord, LayerRecord } from './records.ts';
import { RW_PREFIX, isContainerLayer } from './records.ts';
import { ContainerLayers } from './container-layers.ts';
import { KeyedMutex } from '../../util/keyed-mutex.ts';
import { errnoCode, failedPrecondition, invalidArgument, notFound, wrap } from '../../util/errors.ts';
import { log } from '../../util/log.ts';

export interface ApplyOptions {
  expectedDiffId?: string;
  /** digest of the (possibly compressed) blob, verified when given */
  expectedBlobDigest?: string;
  /**
   * The caller already verified the blob against this digest (a registry download): it is not
   * hashed a second time here (the compressed bytes are then only decompressed, the diff hashed).
   */
  verifiedBlobDigest?: string;
  signal?: AbortSignal;
}

/** A pipeline stage that hashes what flows through it. */
function hashingStage(hash: ReturnType<typeof createHash>, when: () => boolean = () => true) {
  return async function* (src: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
    for await (const c of src) {
      if (when()) hash.update(c);
      yield c;
    }
  };
}

export function chainIdOf(parent: ChainId | null, diffId: string): ChainId {
  return parent === null ? diffId : 'sha256:' + createHash('sha256').update(`${parent} ${diffId}`).digest('hex');
}

export interface LayerStoreOptions {
  /** the daemon's --userns-remap: layers are extracted with their owners shifted (extract.ts), container layers are the mapped root's */
  idShift?: IdShift;
}

export class OverlayLayerStore implements LayerStore, LayerStager, LayerTarSource {
  readonly layout: OverlayLayout;
  readonly #store: StateStore;
  readonly #refs = new Map<ChainId, number>();
  readonly #lock = new KeyedMutex();
  readonly #containers: ContainerLayers;
  #whiteoutN = 0;
  #whiteoutOk: boolean | undefined;

  readonly #idShift: IdShift | undefined;

  private constructor(root: string, store: StateStore, opts: LayerStoreOptions) {
    this.layout = new OverlayLayout(root);
    this.#store = store;
    this.#idShift = opts.idShift;
    this.#containers = new ContainerLayers(this.layout, store, {
      chain: (id) => this.#chain(id),
      hold: (id) => this.hold(id),
      release: (id) => this.release(id),
    }, opts.idShift ? { uid: opts.idShift.uid, gid: opts.idShift.gid } : undefined);
  }

  /** Opens the store under <graph>/storage/overlay: removes leftovers and counts references. */
  static async open(root: string, store: StateStore, opts: LayerStoreOptions = {}): Promise<OverlayLayerStore> {
    const s = new OverlayLayerStore(root, store, opts);
    await s.#init();
    return s;
  }

  async #init(): Promise<void> {
    const root = this.layout.root;
    await mkdir(join(root, LINK_DIR), { recursive: true, mode: 0o700 });
    // remapped: the container's root traverses storage/overlay/<id> to its rootfs (LXC mounts it
    // from inside the user namespace), as the owner
    if (this.#idShift) await chown(root, this.#idShift.uid, this.#idShift.gid);
    await rm(join(root, TMP_DIR), { recursive: true, force: true });
    await mkdir(join(root, TMP_DIR), { mode: 0o700 });
    const keep = new Set<string>([LINK_DIR, TMP_DIR]);
    const links = new Set<string>();
    for (const r of this.#layers()) {
      keep.add(hexOf(r.chainId));
      links.add(r.link);
      if (r.parent) this.#refs.set(r.parent, (this.#refs.get(r.parent) ?? 0) + 1);
    }
    for (const c of this.#store.list<unknown>('layer')) {
      if (!isContainerLayer(c)) continue;
      keep.add(c.containerId);
      if (c.parent) this.#refs.set(c.parent, (this.#refs.get(c.parent) ?? 0) + 1);
    }
    for (const name of await readdir(root)) {
      if (keep.has(name) || name.startsWith('.whiteout-')) continue;
      log.with({ path: join(root, name) }).info('removing layer leftover without a record');
      await rm(join(root, name), { recursive: true, force: true });
    }
    for (const name of await readdir(join(root, LINK_DIR))) {
      if (!links.has(name)) await rm(join(root, LINK_DIR, name), { force: true });
    }
  }

  *#layers(): Generator<LayerRecord> {
    for (const v of this.#store.list<LayerRecord | ContainerLayerRecord>('layer')) if (!isContainerLayer(v)) yield v;
  }

  #record(chainId: ChainId): LayerRecord | undefined {
    if (chainId.startsWith(RW_PREFIX)) return undefined;
    return this.#store.get<LayerRecord>('layer', chainId);
  }

  stat(chainId: ChainId): LayerInfo | undefined {
    const r = this.#record(chainId);
    return r && { chainId: r.chainId, diffId: r.diffId, parent: r.parent, size: r.size };
  }

  has(chainId: ChainId): boolean {
    return this.#record(chainId) !== undefined;
  }

  /** Every image layer record (for listings and tests). */
  list(): LayerRecord[] {
    return [...this.#layers()];
  }

  /** Chain IDs from chainId down to the base layer, top first. */
  #chain(chainId: ChainId): LayerRecord[] {
    const out: LayerRecord[] = [];
    let id: ChainId | null = chainId;
    while (id !== null) {
      const r = this.#record(id);
      if (!r) throw notFound(`layer ${id} not found`);
      out.push(r);
      id = r.parent;
      if (out.length > MAX_LAYER_DEPTH) throw invalidArgument(`layer ${chainId}: more than ${MAX_LAYER_DEPTH} layers`);
    }
    return out;
  }

  /** Adds a reference (the image store holds each image's top layer). */
  hold(chainId: ChainId): void {
    if (!this.has(chainId)) throw notFound(`layer ${chainId} not found`);
    this.#refs.set(chainId, (this.#refs.get(chainId) ?? 0) + 1);
  }

  refCount(chainId: ChainId): number {
    return this.#refs.get(chainId) ?? 0;
  }

  async release(chainId: ChainId): Promise<void> {
    let id: ChainId | null = chainId;
    while (id !== null) {
      const n = (this.#refs.get(id) ?? 0) - 1;
      if (n > 0) {
        this.#refs.set(id, n);
        return;
      }
      this.#refs.delete(id);
      if (n < 0) log.with({ layer: id }).warn('layer released more often than held');
      id = await this.#delete(id);
    }
  }

  /** Deletes every layer nothing holds (after the image store has made its holds at start). */
  async collectGarbage(): Promise<number> {
    let removed = 0;
    for (;;) {
      const victims = this.list().filter((r) => !this.#refs.has(r.chainId));
      if (victims.length === 0) return removed;
      for (const r of victims) {
        const parent = await this.#delete(r.chainId);
        removed++;
        if (parent) {
          const n = (this.#refs.get(parent) ?? 1) - 1;
          if (n > 0) this.#refs.set(parent, n);
          else this.#refs.delete(parent);
        }
      }
    }
  }

  /** Removes one layer: record first (so a crash leaves only files, cleaned at open), then files. */
  async #delete(chainId: ChainId): Promise<ChainId | null> {
    return this.#lock.run(chainId, async () => {
      const r = this.#record(chainId);
      if (!r) return null;
      if ((this.#refs.get(chainId) ?? 0) > 0) return null; // re-held meanwhile
      await this.#store.delete('layer', chainId);
      await rm(this.layout.linkPath(r.link), { force: true });
      await rm(this.layout.layerDir(chainId), { recursive: true, force: true });
      log.with({ layer: chainId }).debug('layer removed');
      return r.parent;
    });
  }

  async apply(parent: ChainId | null, tar: Readable, opts: ApplyOptions = {}): Promise<LayerInfo> {
    opts.signal?.throwIfAborted();
    if (parent !== null) this.#checkDepth(parent);
    if (opts.expectedDiffId !== undefined) {
      // Known diff ID and the chain already stored: nothing to extract (the contract's idempotence).
      const existing = this.stat(chainIdOf(parent, opts.expectedDiffId));
      if (existing) {
        this.hold(existing.chainId);
        tar.destroy();
        return existing;
      }
    }
    const staged = await this.stage(tar, opts);
    try {
      return await this.commitStaged(staged, parent, opts.expectedDiffId);
    } finally {
      await staged.discard();
    }
  }

  #checkDepth(parent: ChainId): void {
    if (this.#chain(parent).length + 1 > MAX_LAYER_DEPTH) {
      throw invalidArgument(`image has more than ${MAX_LAYER_DEPTH} layers (the overlay limit)`);
    }
  }

  /**
   * Extracts a layer blob into tmp/ without knowing its parent yet (an archive may carry layers
   * before the manifest that orders them). Nothing is visible until commitStaged().
   */
  async stage(tar: Readable | RecyclingByteSource, opts: Omit<ApplyOptions, 'expectedDiffId'> = {}): Promise<StagedLayer> {
    opts.signal?.throwIfAborted();
    const tmp = join(this.layout.tmpDir(), randomBytes(8).toString('hex'));
    const discard = async () => {
      await rm(tmp, { recursive: true, force: true });
    };
    const verified = opts.verifiedBlobDigest;
    try {
      await mkdir(join(tmp, 'diff'), { recursive: true, mode: 0o755 });
      const blobHash = createHash('sha256');
      const diffHash = createHash('sha256');
      // gzip and zstd inflated inline, not through the thread pool (decompress.ts, docs/registry.md)
      const auto: { compression?: Compression } = {};
      const split = new TarSplitWriter(join(tmp, 'tar-split.gz'));
      let size = 0;
      try {
        await pipeline(
          tar,
          hashingStage(blobHash, () => verified === undefined),
          (src: AsyncIterable<Buffer>) => decompressInline(src, auto, 'recycle' in tar ? (c) => tar.recycle(c) : undefined),
          // an uncompressed blob is its own diff: hash it once (sha256 is ~10% of a load)
          hashingStage(diffHash, () => auto.compression !== 'none' || verified !== undefined),
          async (src: AsyncIterable<Buffer>) => {
            const r = await extractTar(src, {
              root: join(tmp, 'diff'),
              split,
              preserveOwners: process.getuid?.() === 0,
              ...(this.#idShift ? { idShift: this.#idShift } : {}),
              linkWhiteout: (abs) => this.#linkWhiteout(abs),
              ...(opts.signal ? { signal: opts.signal } : {}),
            });
            size = r.size;
          },
          opts.signal ? { signal: opts.signal } : {},
        );
        await split.finish();
      } catch (err) {
        split.abort();
        throw err;
      }
      const blobDigest = verified ?? 'sha256:' + blobHash.digest('hex');
      if (opts.expectedBlobDigest !== undefined && opts.expectedBlobDigest !== blobDigest) {
        throw invalidArgument(`layer blob digest mismatch: expected ${opts.expectedBlobDigest}, got ${blobDigest}`);
      }
      const diffId = auto.compression === 'none' && verified === undefined ? blobDigest : 'sha256:' + diffHash.digest('hex');
      return { dir: tmp, diffId, blobDigest, size, tarSize: split.tarSize, discard };
    } catch (err) {
      await discard();
      throw wrap(err, 'extract layer');
    }
  }

  /**
   * Makes a staged layer visible on top of parent and returns it with one reference for the
   * caller (release() it, or hand it to the image store). When the chain ID already exists the
   * staged copy is left for discard(). Committed again for another chain, it is copied (cp -a).
   */
  async commitStaged(staged: StagedLayer, parent: ChainId | null, expectedDiffId?: string): Promise<LayerInfo> {
    const [info] = await this.commitStagedChain([{ staged, ...(expectedDiffId !== undefined ? { expectedDiffId } : {}) }], parent);
    return info as LayerInfo;
  }

  /**
   * commitStaged() for several staged layers stacked bottom-up on parent, made durable together:
   * one syncfs for all their content, one fsync per directory for the renames and links, one store
   * batch for the records. Returns them bottom → top, each with one reference for the caller. On
   * failure nothing of the chain becomes visible and no reference is left taken.
   */
  async commitStagedChain(items: ReadonlyArray<{ staged: StagedLayer; expectedDiffId?: string }>, parent: ChainId | null): Promise<LayerInfo[]> {
    for (const { staged, expectedDiffId } of items) {
      if (expectedDiffId !== undefined && expectedDiffId !== staged.diffId) {
        throw invalidArgument(`layer diff ID mismatch: expected ${expectedDiffId}, got ${staged.diffId}`);
      }
    }
    if (items.length === 0) return [];
    if ((parent === null ? 0 : this.#chain(parent).length) + items.length > MAX_LAYER_DEPTH) {
      throw invalidArgument(`image has more than ${MAX_LAYER_DEPTH} layers (the overlay limit)`);
    }
    if (parent !== null) this.hold(parent); // kept while we commit on top of it
    const chainIds: ChainId[] = [];
    for (const { staged } of items) chainIds.push(chainIdOf(chainIds.at(-1) ?? parent, staged.diffId));
    const cloned: StagedLayer[] = [];
    try {
      // Locks bottom-up: a chain ID names everything below it, so any two chains take their
      // shared locks in the same order.
      return await this.#lockAll(chainIds, async () => {
        type Placed = { staged: StagedLayer; chainId: ChainId; parent: ChainId | null; linkName: string };
        const out: LayerInfo[] = [];
        const toPlace: Array<{ staged: StagedLayer; chainId: ChainId; parent: ChainId | null }> = [];
        for (let i = 0; i < items.length; i++) {
          const chainId = chainIds[i] as ChainId;
          const below = i === 0 ? parent : (chainIds[i - 1] as ChainId);
          let staged = (items[i] as { staged: StagedLayer }).staged;
          if (this.has(chainId)) continue;
          if (staged.committedAs !== undefined || toPlace.some((p) => p.staged === staged)) {
            // The same blob at a second position (e.g. a repeated empty layer): its content was
            // renamed into place for the first chain, so this chain gets a copy of it.
            const from = staged.committedAs;
            staged = from !== undefined ? await this.#cloneCommitted(staged, from) : await this.#cloneStaged(staged);
            cloned.push(staged);
          }
          toPlace.push({ staged, chainId, parent: below });
        }
        const placed: Placed[] = [];
        try {
          if (toPlace.length > 0) {
            // content durable before a record says it exists (one syncfs: same filesystem)
            await syncFilesystem((toPlace[0] as { staged: StagedLayer }).staged.dir);
            for (const p of toPlace) {
              const linkName = newLinkName();
              await rename(p.staged.dir, this.layout.layerDir(p.chainId));
              p.staged.committedAs = p.chainId;
              placed.push({ ...p, linkName });
              await symlink(`../${hexOf(p.chainId)}/diff`, this.layout.linkPath(linkName));
            }
            // The renames and links must survive a power cut before the records say they exist.
            await syncDir(this.layout.root);
            await syncDir(join(this.layout.root, LINK_DIR));
            const now = new Date().toISOString();
            await this.#store.batch(
              placed.map((p): StoreOp => {
                const rec: LayerRecord = {
                  chainId: p.chainId,
                  diffId: p.staged.diffId,
                  parent: p.parent,
                  size: p.staged.size,
                  tarSize: p.staged.tarSize,
                  link: p.linkName,
                  ...(p.staged.blobDigest !== p.staged.diffId ? { compressedDigest: p.staged.blobDigest } : {}),
                  created: now,
                };
                return { op: 'put', kind: 'layer', id: p.chainId, value: rec };
              }),
            );
          }
        } catch (err) {
          for (const p of placed) {
            await rm(this.layout.linkPath(p.linkName), { force: true });
            await rm(this.layout.layerDir(p.chainId), { recursive: true, force: true });
          }
          throw err;
        }
        // References: each new layer holds its parent; the caller holds every layer once.
        for (let i = 0; i < items.length; i++) {
          const chainId = chainIds[i] as ChainId;
          const p = placed.find((x) => x.chainId === chainId);
          if (p) {
            if (p.parent !== null) this.#refs.set(p.parent, (this.#refs.get(p.parent) ?? 0) + 1);
            this.#refs.set(chainId, (this.#refs.get(chainId) ?? 0) + 1);
            log.with({ layer: chainId, size: p.staged.size }).debug('layer stored');
          } else {
            this.hold(chainId);
          }
          out.push(this.stat(chainId) as LayerInfo);
        }
        return out;
      });
    } finally {
      for (const c of cloned) await c.discard();
      if (parent !== null) await this.release(parent);
    }
  }

  /** Runs fn holding the lock of every key, taken in the given order. */
  #lockAll<T>(keys: readonly string[], fn: () => Promise<T>): Promise<T> {
    const [first, ...rest] = keys;
    if (first === undefined) return fn();
    return this.#lock.run(first, () => this.#lockAll(rest, fn));
  }

  /** A staged layer used twice in one chain: a second staged copy (cp -a). */
  async #cloneStaged(staged: StagedLayer): Promise<StagedLayer> {
    const tmp = join(this.layout.tmpDir(), randomBytes(8).toString('hex'));
    const discard = async () => {
      await rm(tmp, { recursive: true, force: true });
    };
    try {
      await runTool('cp', ['-a', '--', staged.dir, tmp]);
    } catch (err) {
      await discard();
      throw wrap(err, 'copy staged layer');
    }
    return { dir: tmp, diffId: staged.diffId, blobDigest: staged.blobDigest, size: staged.size, tarSize: staged.tarSize, discard };
  }

  /** A new staged copy of a committed layer's directory (cp -a keeps owners, modes, xattrs, links). */
  async #cloneCommitted(staged: StagedLayer, chainId: ChainId): Promise<StagedLayer> {
    const tmp = join(this.layout.tmpDir(), randomBytes(8).toString('hex'));
    const discard = async () => {
      await rm(tmp, { recursive: true, force: true });
    };
    try {
      await runTool('cp', ['-a', '--', this.layout.layerDir(chainId), tmp]);
      await rm(join(tmp, 'link'), { force: true });
    } catch (err) {
      await discard();
      throw wrap(err, `copy layer ${chainId}`);
    }
    return { dir: tmp, diffId: staged.diffId, blobDigest: staged.blobDigest, size: staged.size, tarSize: staged.tarSize, discard };
  }

  /** Hard-links a whiteout to a shared 0:0 char device; false when none can be made (not root). */
  async #linkWhiteout(abs: string): Promise<boolean> {
    if (this.#whiteoutOk === false) return false;
    for (let attempt = 0; attempt < 3; attempt++) {
      const name = `.whiteout-${this.#whiteoutN}`;
      try {
        await link(join(this.layout.root, name), abs);
        return true;
      } catch (err) {
        const code = errnoCode(err);
        if (code === 'EMLINK') {
          this.#whiteoutN++;
          continue;
        }
        if (code !== 'ENOENT') throw err;
      }
      try {
        await makeSpecialNodes(this.layout.root, [{ path: name, type: 'char', mode: 0, major: 0, minor: 0 }]);
        this.#whiteoutOk = true;
      } catch (err) {
        log.warn('cannot make a whiteout device; whiteouts will be made one by one', err);
        this.#whiteoutOk = false;
        return false;
      }
    }
    return false;
  }

  /** The layer's tar, rebuilt byte for byte, and its size (for `save`). */
  layerTar(chainId: ChainId): { size: number; diffId: string; stream: AsyncIterable<Buffer> } {
    const r = this.#record(chainId);
    if (!r) throw notFound(`layer ${chainId} not found`);
    return { size: r.tarSize, diffId: r.diffId, stream: reassembleTar(this.layout.splitFile(chainId), this.layout.diffDir(chainId)) };
  }

  /** Absolute diff directories, top first (tests and inspect). */
  diffDirs(chainId: ChainId): string[] {
    return this.#chain(chainId).map((r) => this.layout.diffDir(r.chainId));
  }

  /** "l/A:l/B:..." for overlay, top first (relative to the overlay root). */
  lowerLinks(chainId: ChainId): string {
    return this.#chain(chainId)
      .map((r) => `${LINK_DIR}/${r.link}`)
      .join(':');
  }

  createContainerLayer(containerId: string, parent: ChainId | null, external?: string): Promise<void> {
    return this.#containers.create(containerId, parent, external);
  }
  mountContainerLayer(containerId: string): Promise<string> {
    return this.#containers.mount(containerId);
  }
  unmountContainerLayer(containerId: string): Promise<void> {
    return this.#containers.unmount(containerId);
  }
  removeContainerLayer(containerId: string): Promise<void> {
    return this.#containers.remove(containerId);
  }
  containerLayerPaths(containerId: string) {
    return this.#containers.paths(containerId);
  }
  async containerChanges(containerId: string, signal?: AbortSignal, idShift?: IdShift): Promise<Readable> {
    const paths = this.#containers.paths(containerId);
    if (!paths) throw notFound(`container layer ${JSON.stringify(containerId)} not found`);
    if (paths.external) throw failedPrecondition(`container ${containerId.slice(0, 12)} runs from an external rootfs: it has no layer of changes`);
    const { changesTar } = await import('./changes.ts'); // loaded on first commit, not at start
    return changesTar(paths.upperDir, signal, idShift);
  }
}
