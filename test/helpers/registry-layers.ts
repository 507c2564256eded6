// A layer store for the registry client's tests that does what the real one must do with a layer
// stream (decompress, hash to the diff ID, check it) but keeps only records, so pulls can be
// tested without root or the overlay store. It follows the PullLayerAccess reference contract
// (apply returns one reference; hold/release count) so tests can assert nothing leaks.
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import type { PullLayerAccess } from '../../src/image/registry/pull-image.ts';
import type { ChainId, LayerInfo } from '../../src/storage/types.ts';

export class RecordingLayerStore implements PullLayerAccess {
  readonly layers = new Map<ChainId, LayerInfo>();
  readonly refs = new Map<ChainId, number>();
  /** chain IDs in the order apply() stored them */
  readonly applied: ChainId[] = [];
  /** compressed bytes read by apply() in total */
  bytesRead = 0;

  has(id: ChainId): boolean {
    return this.layers.has(id);
  }

  stat(id: ChainId): LayerInfo | undefined {
    return this.layers.get(id);
  }

  hold(id: ChainId): void {
    if (!this.layers.has(id)) throw new Error(`hold of unknown layer ${id}`);
    this.refs.set(id, (this.refs.get(id) ?? 0) + 1);
  }

  async release(id: ChainId): Promise<void> {
    const n = (this.refs.get(id) ?? 0) - 1;
    if (n < 0) throw new Error(`layer ${id} released more often than held`);
    if (n > 0) {
      this.refs.set(id, n);
      return;
    }
    this.refs.delete(id);
    // Unheld layers are deleted, as the real store does (a failed pull must leave nothing), and
    // a deleted child drops its hold on its parent.
    const parent = this.layers.get(id)?.parent ?? null;
    this.layers.delete(id);
    if (parent !== null) await this.release(parent);
  }

  async apply(parent: ChainId | null, tar: Readable, opts: { expectedDiffId?: string; signal?: AbortSignal }): Promise<LayerInfo> {
    const diff = createHash('sha256');
    let size = 0;
    const head: Buffer[] = [];
    // Sniff gzip from the first bytes, like the real store's AutoDecompress.
    const chunks: AsyncIterable<Buffer> = tar;
    const self = this;
    async function* count(src: AsyncIterable<Buffer>) {
      for await (const c of src) {
        self.bytesRead += c.length;
        yield c;
      }
    }
    const iter = count(chunks)[Symbol.asyncIterator]();
    const firstChunk = await iter.next();
    if (!firstChunk.done) head.push(firstChunk.value);
    const gz = head[0] !== undefined && head[0][0] === 0x1f && head[0][1] === 0x8b;
    async function* replay() {
      for (const h of head) yield h;
      for (;;) {
        const n = await iter.next();
        if (n.done) return;
        yield n.value;
      }
    }
    const sink = async (src: AsyncIterable<Buffer>) => {
      for await (const c of src) {
        diff.update(c);
        size += c.length;
      }
    };
    if (gz) await pipeline(replay(), createGunzip(), sink, opts.signal ? { signal: opts.signal } : {});
    else await pipeline(replay(), sink, opts.signal ? { signal: opts.signal } : {});
    const diffId = `sha256:${diff.digest('hex')}`;
    if (opts.expectedDiffId && opts.expectedDiffId !== diffId) throw new Error(`layer diff ID mismatch: expected ${opts.expectedDiffId}, got ${diffId}`);
    const chainId = parent === null ? diffId : `sha256:${createHash('sha256').update(`${parent} ${diffId}`).digest('hex')}`;
    const existing = this.layers.get(chainId);
    if (existing) {
      this.hold(chainId);
      return existing;
    }
    if (parent !== null) this.hold(parent); // the child's hold on its parent
    const info = { chainId, diffId, parent, size };
    this.layers.set(chainId, info);
    this.refs.set(chainId, 1);
    this.applied.push(chainId);
    return info;
  }

  /** Total references held (0 after a failed pull on an empty store). */
  totalRefs(): number {
    let n = 0;
    for (const v of this.refs.values()) n += v;
    return n;
  }
}
