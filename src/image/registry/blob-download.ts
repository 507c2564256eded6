// Resumable, verified, shared blob downloads.
//
// A blob is written to <dir>/<alg>-<hex>.partial while its bytes are hashed. When the connection
// drops, the next attempt asks for `Range: bytes=<partial size>-` and appends, so bytes already on
// disk are never fetched again: across retries within one pull and, because the partial file is
// keyed by digest under the graph's tmp dir, across a daemon restart. A finished blob is checked
// (size and digest) and renamed to <alg>-<hex>.blob; anything that fails verification is deleted.
// Pulls that need the same blob at the same time share one download (one set of bytes on the wire).
import { createHash } from 'node:crypto';
import type { Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { mkdir, open, readdir, rename, rm, stat, truncate } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { EngineError, canceled, dataLoss, kindOf, messageOf, unavailable, wrap } from '../../util/errors.ts';
import { log } from '../../util/log.ts';
import { GcPacer } from '../../util/gc-pacer.ts';
import type { RegistryClient } from './client.ts';
import { algorithmOf, hexOf } from './digest.ts';
import type { RecyclingByteSource } from '../../storage/types.ts';

export interface BlobRef {
  digest: string;
  size: number;
}

export interface BlobLease {
  path: string;
  /** the holder is done with the file; it is deleted once nobody holds it */
  release(): Promise<void>;
}

export type ProgressFn = (done: number, total: number) => void;

/** a recycling follower's read buffers: the one it may read into, the one its consumer holds */
interface ReadBuffers {
  spare: Buffer | undefined;
  lent: Buffer | undefined;
}

export interface DownloaderOptions {
  /** where partial and finished blobs live (the graph's tmp dir) */
  dir: string;
  /** attempts per blob when the connection fails (default 5, like iSulad) */
  maxAttempts?: number;
  /** first retry delay; doubles up to 2 s (default 250 ms) */
  retryDelayMs?: number;
}

interface Shared {
  promise: Promise<string>;
  holders: number;
  interested: number;
  controller: AbortController;
  progress: Set<ProgressFn>;
  /** bytes written to the partial file so far */
  done: number;
  /** bumped whenever the file starts over from a smaller size (registry ignored Range) */
  epoch: number;
  settled: 'running' | 'ok' | 'failed';
  error?: unknown;
  /** woken on every write and when the download settles (followers) */
  waiters: Set<() => void>;
}

export class BlobDownloader {
  private readonly dir: string;
  private readonly maxAttempts: number;
  private readonly retryDelayMs: number;
  private readonly inflight = new Map<string, Shared>();

  constructor(opts: DownloaderOptions) {
    this.dir = opts.dir;
    this.maxAttempts = opts.maxAttempts ?? 5;
    this.retryDelayMs = opts.retryDelayMs ?? 250;
  }

  partialPath(digest: string): string {
    return join(this.dir, `${algorithmOf(digest)}-${hexOf(digest)}.partial`);
  }

  blobPath(digest: string): string {
    return join(this.dir, `${algorithmOf(digest)}-${hexOf(digest)}.blob`);
  }

  /**
   * Deletes partial and finished blob files older than `maxAgeMs` that no download holds: an
   * abandoned pull must not keep its bytes on a small disk forever. Called at daemon start.
   */
  async prune(maxAgeMs: number): Promise<number> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch {
      return 0;
    }
    const now = Date.now();
    let removed = 0;
    for (const n of names) {
      const m = /^(sha256|sha512)-([a-f0-9]+)\.(partial|blob)$/.exec(n);
      if (!m || this.inflight.has(`${m[1]}:${m[2]}`)) continue;
      const path = join(this.dir, n);
      const st = await stat(path).catch(() => undefined);
      if (st && now - st.mtimeMs > maxAgeMs) {
        await rm(path, { force: true });
        removed++;
      }
    }
    return removed;
  }

  /** Downloads (or joins the running download of) one blob; resolves with a lease on the file. */
  async fetch(client: RegistryClient, repo: string, blob: BlobRef, opts: { signal?: AbortSignal; onProgress?: ProgressFn } = {}): Promise<BlobLease> {
    const { signal, onProgress } = opts;
    if (signal?.aborted) throw canceled(`blob ${blob.digest}: canceled`);
    let s = this.inflight.get(blob.digest);
    if (!s) {
      const controller = new AbortController();
      const shared: Shared = { promise: Promise.resolve(''), holders: 0, interested: 0, controller, progress: new Set(), done: 0, epoch: 0, settled: 'running', waiters: new Set() };
      const wake = () => {
        const ws = [...shared.waiters];
        shared.waiters.clear();
        for (const w of ws) w();
      };
      shared.promise = this.download(client, repo, blob, controller.signal, (done, total) => {
        if (done < shared.done) shared.epoch++;
        shared.done = done;
        for (const p of shared.progress) p(done, total);
        wake();
      });
      shared.promise.then(
        () => {
          shared.settled = 'ok';
          wake();
        },
        (err: unknown) => {
          shared.settled = 'failed';
          shared.error = err;
          wake();
          // A failed download leaves the map so the next pull starts afresh (resuming the partial).
          if (this.inflight.get(blob.digest) === shared) this.inflight.delete(blob.digest);
        },
      );
      this.inflight.set(blob.digest, shared);
      s = shared;
    }
    const shared = s;
    shared.holders++;
    shared.interested++;
    if (onProgress) {
      shared.progress.add(onProgress);
      if (shared.done > 0) onProgress(shared.done, blob.size);
    }
    // The shared download stops only when every pull waiting for it has given up.
    const onAbort = () => {
      if (--shared.interested === 0) shared.controller.abort();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    let path: string;
    try {
      path = await shared.promise;
    } catch (err) {
      shared.holders--;
      if (signal?.aborted) throw canceled(`blob ${blob.digest}: canceled`, { cause: err });
      throw err;
    } finally {
      signal?.removeEventListener('abort', onAbort);
      if (onProgress) shared.progress.delete(onProgress);
    }
    let released = false;
    return {
      path,
      release: async () => {
        if (released) return;
        released = true;
        if (--shared.holders > 0) return;
        if (this.inflight.get(blob.digest) === shared) this.inflight.delete(blob.digest);
        await rm(path, { force: true });
      },
    };
  }

  /**
   * The bytes of a download that is still running, as they land in the partial file: lets the
   * layer store extract a layer while it arrives. The stream ends only after the download has
   * verified size and digest, so nothing unverified can be committed; it errors if the download
   * fails or starts over (then the caller applies from the finished file instead). Undefined
   * when no download of `digest` is running. Call while holding a lease from fetch().
   */
  follow(digest: string): Readable | undefined {
    const bytes = this.#followBytes(digest, undefined);
    return bytes && Readable.from(bytes, { objectMode: false });
  }

  /**
   * follow(), as a source whose consumer hands each chunk back once done with it: the next read
   * goes into that buffer instead of a fresh one (storage/types.ts RecyclingByteSource).
   */
  followRecycling(digest: string): RecyclingByteSource | undefined {
    const pool: ReadBuffers = { spare: undefined, lent: undefined };
    const bytes = this.#followBytes(digest, pool);
    if (!bytes) return undefined;
    return {
      [Symbol.asyncIterator]: () => bytes,
      recycle(chunk) {
        const lent = pool.lent;
        // only the buffer it lent last, and only once
        if (lent !== undefined && chunk.buffer === lent.buffer && chunk.byteOffset === lent.byteOffset) {
          pool.spare = lent;
          pool.lent = undefined;
        }
      },
      close: async () => {
        await bytes.return(undefined);
      },
    };
  }

  #followBytes(digest: string, pool: ReadBuffers | undefined): AsyncGenerator<Buffer> | undefined {
    const found = this.inflight.get(digest);
    if (!found || found.settled !== 'running') return undefined;
    const shared: Shared = found;
    const partial = this.partialPath(digest);
    const final = this.blobPath(digest);
    const epoch = shared.epoch;
    async function* bytes(): AsyncGenerator<Buffer> {
      let fh: FileHandle | undefined;
      let pos = 0;
      try {
        for (;;) {
          if (shared.epoch !== epoch) throw unavailable('download started over');
          if (pos < shared.done) {
            fh ??= await open(partial, 'r').catch(() => open(final, 'r'));
            const want = Math.min(shared.done - pos, FOLLOW_CHUNK);
            // a recycled buffer when the consumer gave the last one back; a lent one is never reused
            const spare = pool?.spare;
            if (pool) pool.spare = undefined;
            const buf = spare ?? Buffer.allocUnsafe(pool ? FOLLOW_CHUNK : want);
            const { bytesRead } = await fh.read(buf, 0, want, pos);
            if (bytesRead === 0) throw unavailable('partial blob shorter than written');
            pos += bytesRead;
            // Paced here too: on a fast link the download ends long before the extraction, and
            // without scavenges the read and gunzip buffers of the rest piled up (docs/registry.md).
            PULL_GC.add(bytesRead);
            if (pool) pool.lent = buf;
            yield buf.subarray(0, bytesRead);
            continue;
          }
          if (shared.settled === 'ok') return;
          if (shared.settled === 'failed') throw shared.error;
          await new Promise<void>((resolve) => shared.waiters.add(resolve));
        }
      } finally {
        await fh?.close();
      }
    }
    return bytes();
  }

  private async download(client: RegistryClient, repo: string, blob: BlobRef, signal: AbortSignal, progress: ProgressFn): Promise<string> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const partial = this.partialPath(blob.digest);
    const final = this.blobPath(blob.digest);
    if ((await sizeOf(final)) === blob.size) {
      progress(blob.size, blob.size);
      return final;
    }
    for (let attempt = 1; ; attempt++) {
      try {
        await this.attempt(client, repo, blob, partial, signal, progress);
        await rename(partial, final);
        return final;
      } catch (err) {
        const kind = kindOf(err);
        const retriable = (kind === 'unavailable' || kind === 'deadline') && !signal.aborted;
        if (!retriable || attempt >= this.maxAttempts) {
          // Keep a partial that may resume later (a network failure); drop one that is wrong.
          if (kind === 'data-loss' || kind === 'invalid-argument') await rm(partial, { force: true });
          throw wrap(err, `fetch blob ${blob.digest}`);
        }
        log.with({ blob: blob.digest, attempt }).warn('blob download interrupted, resuming', err);
        await sleep(Math.min(this.retryDelayMs * 2 ** (attempt - 1), 2000), undefined, { signal }).catch(() => {});
      }
    }
  }

  private async attempt(client: RegistryClient, repo: string, blob: BlobRef, partial: string, signal: AbortSignal, progress: ProgressFn): Promise<void> {
    const algorithm = algorithmOf(blob.digest);
    let have = (await sizeOf(partial)) ?? 0;
    if (have > blob.size) {
      await truncate(partial, 0);
      have = 0;
    }
    let hash: Hash = createHash(algorithm);
    if (have > 0) hash = await hashPrefix(partial, have, algorithm);
    if (have === blob.size) {
      verify(blob, have, `${algorithm}:${hash.copy().digest('hex')}`);
      // followers read up to the progress they were told: without it a layer extracted while it
      // "arrives" got no bytes (a pull resumed after a kill that came once the blob was all on disk)
      progress(have, blob.size);
      return;
    }
    const { body, start } = await client.openBlob(repo, blob.digest, have, signal);
    if (start === 0 && have > 0) {
      // The registry ignored our Range: take the whole blob again.
      have = 0;
      hash = createHash(algorithm);
    }
    progress(have, blob.size);
    const fh = await open(partial, have > 0 ? 'r+' : 'w', 0o600);
    let bytes = have;
    // Socket chunks (often 16-64 KiB) are gathered into one writev of up to WRITE_BATCH: fewer
    // thread-pool round trips and syscalls. What was received is written even when the
    // connection then breaks, so a resume never fetches it again.
    let written = have;
    let batch: Buffer[] = [];
    let batched = 0;
    const flush = async () => {
      if (batched === 0) return;
      let bufs = batch;
      const n = batched;
      batch = [];
      batched = 0;
      let pos = written;
      while (bufs.length > 0) {
        let w = (await fh.writev(bufs, pos)).bytesWritten;
        pos += w;
        while (bufs.length > 0 && w >= (bufs[0] as Buffer).length) w -= (bufs.shift() as Buffer).length;
        if (w > 0) bufs[0] = (bufs[0] as Buffer).subarray(w);
      }
      written += n;
      progress(written, blob.size);
    };
    try {
      const q = { queued: 0 };
      for await (const chunk of drainFully(body, signal, q)) {
        bytes += chunk.length;
        if (bytes > blob.size) throw dataLoss(`registry sent more than the ${blob.size} bytes the manifest declares`);
        hash.update(chunk);
        PULL_GC.add(chunk.length);
        batch.push(chunk);
        batched += chunk.length;
        // Written when the batch is full or nothing more is waiting: a stalled connection's bytes
        // are on disk (a kill -9 then loses nothing that arrived).
        if (batched >= WRITE_BATCH || q.queued === 0) await flush();
      }
      await flush();
    } catch (err) {
      if (!(err instanceof EngineError && err.kind === 'data-loss')) await flush().catch(() => {});
      if (err instanceof EngineError) throw err;
      if (signal.aborted) throw canceled('canceled', { cause: err });
      throw new EngineError('unavailable', `connection lost after ${bytes} of ${blob.size} bytes: ${messageOf(err)}`, { cause: err });
    } finally {
      await fh.close();
    }
    verify(blob, bytes, `${algorithm}:${hash.digest('hex')}`);
  }
}

/**
 * One pace for every download and follower in the process (util/gc-pacer.ts): a scavenge per
 * 2 MiB received or read back for extraction (docs/registry.md: less RSS and less CPU than 4 MiB).
 */
const PULL_GC = new GcPacer(2 << 20);

/**
 * Read size of a follower (bounded memory while extracting a layer as it arrives): 256 KiB, a
 * quarter of the thread-pool reads of 64 KiB, once the reads are paced (docs/registry.md).
 */
const FOLLOW_CHUNK = 256 << 10;
/** Received bytes gathered into one write. */
const WRITE_BATCH = 256 << 10;

/**
 * Queue bounds: reading pauses above the high mark and resumes below the low one. Kept small
 * (with 256 KiB follower reads and extraction writes): less in flight per layer, measured
 * as -4 MiB of daemon RSS growth on a 100 MB pull for ~5 % more CPU (docs/registry.md).
 */
const QUEUE_HIGH = 256 << 10;
const QUEUE_LOW = 256 << 10;

/**
 * Yields every chunk the socket delivered, even when the connection then breaks. A plain
 * pipeline() or async iterator drops what is still buffered when the response errors, and those
 * bytes would have to be fetched again on resume; here each chunk is taken off the stream as it
 * arrives (bounded queue, backpressure by pause/resume) and the error is raised only after the
 * chunks that came before it were handed out.
 */
async function* drainFully(body: IncomingMessage, signal: AbortSignal, state: { queued: number } = { queued: 0 }): AsyncGenerator<Buffer> {
  const queue: Buffer[] = [];
  let queued = 0;
  const set = (n: number) => {
    queued = n;
    state.queued = n;
  };
  let ended = false;
  let failure: unknown;
  let wake: (() => void) | undefined;
  const poke = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  const onData = (c: Buffer) => {
    queue.push(c);
    set(queued + c.length);
    if (queued > QUEUE_HIGH) body.pause();
    poke();
  };
  const onEnd = () => {
    ended = true;
    poke();
  };
  const onError = (err: unknown) => {
    failure ??= err;
    poke();
  };
  const onClose = () => {
    // 'close' without 'end' is a cut connection even when no error was emitted.
    if (!ended) failure ??= new Error('connection closed before the body ended');
    poke();
  };
  const onAbort = () => body.destroy(canceled('canceled'));
  body.on('data', onData);
  body.once('end', onEnd);
  body.on('error', onError);
  body.once('close', onClose);
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    for (;;) {
      const c = queue.shift();
      if (c !== undefined) {
        set(queued - c.length);
        if (queued < QUEUE_LOW && body.isPaused()) body.resume();
        yield c;
        continue;
      }
      if (ended) return;
      if (failure !== undefined) throw failure;
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
  } finally {
    body.off('data', onData);
    body.off('end', onEnd);
    body.off('error', onError);
    body.off('close', onClose);
    signal.removeEventListener('abort', onAbort);
    if (!ended) body.destroy();
  }
}

function verify(blob: BlobRef, bytes: number, digest: string): void {
  if (bytes !== blob.size) throw dataLoss(`truncated: got ${bytes} of the ${blob.size} bytes the manifest declares`);
  if (digest !== blob.digest) throw dataLoss(`digest mismatch: content hashes to ${digest}`);
}

async function sizeOf(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).size;
  } catch {
    return undefined;
  }
}

/** Re-hashes the bytes already on disk so a resumed download can still be verified end to end. */
async function hashPrefix(path: string, length: number, algorithm: 'sha256' | 'sha512'): Promise<Hash> {
  const hash = createHash(algorithm);
  for await (const chunk of createReadStream(path, { start: 0, end: length - 1 })) hash.update(chunk as Buffer);
  return hash;
}
