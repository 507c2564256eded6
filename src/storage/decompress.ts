// Layer blobs arrive gzip'd, zstd'd (OCI allows it) or plain; the first bytes say which. A rootfs
// tarball for `import` may also be xz'd (iSulad reads those through libarchive): xz-utils' own
// decoder runs as a child process for it (no xz in node:zlib).
import { spawn } from 'node:child_process';
import { Readable, Transform, pipeline } from 'node:stream';
import type { TransformCallback } from 'node:stream';
import * as zlib from 'node:zlib';
import { notImplemented } from '../util/errors.ts';

export type Compression = 'gzip' | 'zstd' | 'xz' | 'none';

const XZ_MAGIC = Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]);

export function detectCompression(head: Buffer): Compression {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.length >= 4 && head.readUInt32LE(0) === 0xfd2fb528) return 'zstd';
  if (head.length >= 6 && head.subarray(0, 6).equals(XZ_MAGIC)) return 'xz';
  return 'none';
}

/** `xz -dc` as a transform: input to its stdin, its stdout pushed on; a failed decode is an error. */
class XzDecompress extends Transform {
  readonly #child = spawn('xz', ['-dc'], { stdio: ['pipe', 'pipe', 'pipe'] });
  #stderr = '';
  #closed: Promise<number | null>;

  constructor() {
    super();
    const c = this.#child;
    c.stdout.on('data', (d: Buffer) => {
      if (!this.push(d)) c.stdout.pause();
    });
    c.stderr.on('data', (d: Buffer) => (this.#stderr += d.toString()));
    c.stdin.on('error', () => undefined); // EPIPE when xz gave up: its exit status says why
    this.#closed = new Promise((resolve) => {
      c.once('error', (e) => {
        this.#stderr ||= e.message;
        resolve(null);
      });
      c.once('close', (code) => resolve(code));
    });
  }

  override _read(size: number): void {
    this.#child.stdout.resume();
    super._read(size);
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    if (this.#child.stdin.write(chunk)) cb();
    else this.#child.stdin.once('drain', () => cb());
  }

  override _flush(cb: TransformCallback): void {
    this.#child.stdin.end();
    this.#child.stdout.resume();
    void this.#closed.then((code) => cb(code === 0 ? null : new Error(`xz: ${this.#stderr.trim() || 'decompression failed'}`)));
  }

  override _destroy(err: Error | null, cb: (error: Error | null) => void): void {
    if (this.#child.exitCode === null) this.#child.kill('SIGKILL');
    cb(err);
  }
}

type ZstdFactory = (opts?: { chunkSize?: number }) => Transform;

const OUT_CHUNK = 256 << 10;

function zstdDecompressor(): Transform {
  // Node >= 22.15 has zstd in zlib; the armv7 build runs Node 20 which does not.
  const make = (zlib as unknown as { createZstdDecompress?: ZstdFactory }).createZstdDecompress;
  if (typeof make !== 'function') throw notImplemented('zstd-compressed layers need a Node build with zlib zstd support');
  return make({ chunkSize: OUT_CHUNK });
}

/** A transform that sniffs the first bytes and decompresses accordingly. */
export class AutoDecompress extends Transform {
  #head: Buffer[] = [];
  #headBytes = 0;
  #inner: Transform | undefined;
  #passthrough = false;
  // gunzip ends its output at the end of the last member when what follows is not another
  // member (tape padding: zeros after the gzip data) and then takes no more input without ever
  // asking for more: whatever still comes is dropped here, as gunzip(1) ignores it.
  #innerEnded = false;
  compression: Compression | undefined;

  #start(): void {
    const head = Buffer.concat(this.#head);
    this.#head = [];
    this.compression = detectCompression(head);
    if (this.compression === 'none') {
      this.#passthrough = true;
      if (head.length) this.push(head);
      return;
    }
    // 256 KiB output chunks instead of zlib's 16 KiB: a sixteenth of the thread-pool round trips,
    // callbacks, buffers and writev calls downstream (measured in docs/registry.md).
    const inner = this.compression === 'gzip' ? zlib.createGunzip({ chunkSize: OUT_CHUNK }) : this.compression === 'xz' ? new XzDecompress() : zstdDecompressor();
    this.#inner = inner;
    inner.on('data', (c: Buffer) => {
      if (!this.push(c)) inner.pause();
    });
    inner.on('error', (e) => this.destroy(e));
    inner.once('end', () => { this.#innerEnded = true; inner.emit('drain'); });
    if (head.length) inner.write(head);
  }

  override _read(size: number): void {
    this.#inner?.resume();
    super._read(size);
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    if (this.compression === undefined) {
      this.#head.push(chunk);
      this.#headBytes += chunk.length;
      if (this.#headBytes < XZ_MAGIC.length) return cb();
      try {
        this.#start();
      } catch (e) {
        return cb(e as Error);
      }
      return cb();
    }
    if (this.#passthrough) return cb(null, chunk);
    if (this.#innerEnded) return cb();
    const inner = this.#inner as Transform;
    if (inner.write(chunk)) cb();
    else inner.once('drain', () => cb());
  }

  override _flush(cb: TransformCallback): void {
    if (this.compression === undefined) {
      try {
        this.#start();
      } catch (e) {
        return cb(e as Error);
      }
    }
    const inner = this.#inner;
    if (!inner || this.#innerEnded) return cb();
    inner.once('end', () => cb());
    inner.once('error', (e) => cb(e));
    inner.resume();
    inner.end();
  }
}

/**
 * What node:zlib's synchronous calls use inside (lib/zlib.js processChunkSync): the native
 * handle's writeSync and the two-word state it writes back (output room left, input left).
 */
interface NativeHandle {
  writeSync(flush: number, input: Buffer, inOff: number, inLen: number, out: Buffer, outOff: number, outLen: number): void;
  onerror: (message: string, errno: number, code: string) => void;
}
interface HandleOwner {
  _handle?: NativeHandle | null;
  _writeState?: Uint32Array;
  _defaultFlushFlag?: number;
  _finishFlushFlag?: number;
  close(): void;
}

/**
 * A gzip or zstd decoder that inflates on the calling thread, output chunk by output chunk.
 * The streams of node:zlib send every chunk to libuv's thread pool and back (~400 round trips
 * for a 100 MB layer); inflating 256 KiB takes well under a millisecond (stored blocks are a
 * copy), less than the hand-off itself, and under load the wake-ups were the pull's critical
 * path. Each call yields at most one 256 KiB chunk before it inflates more, so a
 * decompression bomb costs no more memory than a normal layer. Undefined when this Node's
 * zlib objects do not have the synchronous handle (then the stream is used).
 */
class InlineDecoder {
  readonly #owner: HandleOwner;
  readonly #handle: NativeHandle;
  readonly #state: Uint32Array;
  readonly #flush: number;
  readonly #finish: number;
  #out = Buffer.allocUnsafe(OUT_CHUNK);
  #off = 0;
  #error: Error | undefined;

  private constructor(owner: HandleOwner, handle: NativeHandle, state: Uint32Array, flush: number, finish: number) {
    this.#owner = owner;
    this.#handle = handle;
    this.#state = state;
    this.#flush = flush;
    this.#finish = finish;
    handle.onerror = (message, errno, code) => {
      this.#error ??= Object.assign(new Error(`${message}`), { errno, code });
    };
  }

  static create(kind: 'gzip' | 'zstd'): InlineDecoder | undefined {
    let owner: HandleOwner;
    if (kind === 'gzip') owner = zlib.createGunzip() as unknown as HandleOwner;
    else {
      const make = (zlib as unknown as { createZstdDecompress?: ZstdFactory }).createZstdDecompress;
      if (typeof make !== 'function') return undefined;
      owner = make() as unknown as HandleOwner;
    }
    const h = owner._handle;
    const st = owner._writeState;
    if (!h || typeof h.writeSync !== 'function' || !(st instanceof Uint32Array) || st.length < 2 || typeof owner._defaultFlushFlag !== 'number' || typeof owner._finishFlushFlag !== 'number') {
      owner.close();
      return undefined;
    }
    return new InlineDecoder(owner, h, st, owner._defaultFlushFlag, owner._finishFlushFlag);
  }

  /** Inflates input; `last` ends the stream (a truncated one is an error). */
  *write(input: Buffer, last = false): Generator<Buffer> {
    let inOff = 0;
    let inLen = input.length;
    for (;;) {
      const room = OUT_CHUNK - this.#off;
      this.#handle.writeSync(last ? this.#finish : this.#flush, input, inOff, inLen, this.#out, this.#off, room);
      if (this.#error) throw this.#error;
      const roomAfter = this.#state[0] as number;
      const inAfter = this.#state[1] as number;
      inOff += inLen - inAfter;
      inLen = inAfter;
      const have = room - roomAfter;
      if (have > 0) {
        // a view: the buffer is never written again below this offset
        const chunk = this.#out.subarray(this.#off, this.#off + have);
        this.#off += have;
        if (this.#off >= OUT_CHUNK) {
          this.#out = Buffer.allocUnsafe(OUT_CHUNK);
          this.#off = 0;
        }
        yield chunk;
      }
      // room left in the output: the decoder took all it could from this input
      if (roomAfter !== 0) return;
    }
  }

  close(): void {
    this.#owner.close();
  }
}

/**
 * The decompressed bytes of a layer blob (gzip, zstd, xz or plain, sniffed from the first bytes),
 * gzip and zstd inflated inline (InlineDecoder) when this Node allows it, else through
 * AutoDecompress. `info.compression` is set once known. `recycle` gets each input chunk back once
 * it is inflated and nothing here refers to it (storage/types.ts RecyclingByteSource).
 */
export async function* decompressInline(src: AsyncIterable<Buffer>, info: { compression?: Compression }, recycle?: (chunk: Buffer) => void): AsyncGenerator<Buffer> {
  const it = src[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let headBytes = 0;
  let ended = false;
  while (headBytes < XZ_MAGIC.length) {
    const r = await it.next();
    if (r.done) {
      ended = true;
      break;
    }
    head.push(r.value);
    headBytes += r.value.length;
  }
  const first = Buffer.concat(head);
  const kind = detectCompression(first);
  info.compression = kind;
  const rest = async function* (): AsyncGenerator<Buffer> {
    if (first.length > 0) yield first;
    if (ended) return;
    for (;;) {
      const r = await it.next();
      if (r.done) return;
      yield r.value;
    }
  };
  if (kind === 'none') return yield* rest();
  const dec = kind === 'xz' ? undefined : InlineDecoder.create(kind);
  if (!dec) {
    for await (const c of pipeline(Readable.from(rest(), { objectMode: false }), new AutoDecompress(), () => {})) yield c as Buffer;
    return;
  }
  try {
    for await (const c of rest()) {
      yield* dec.write(c);
      // inflated: zlib keeps no reference to its input between calls, so the producer may reuse it
      // (never the plain or xz paths, where the chunks themselves travel on)
      if (c !== first) recycle?.(c);
    }
    yield* dec.write(Buffer.alloc(0), true);
  } finally {
    dec.close();
  }
}
