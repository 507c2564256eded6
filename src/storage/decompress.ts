// Layer blobs arrive gzip'd, zstd'd (OCI allows it) or plain; the first bytes say which. A rootfs
// tarball for `import` may also be xz'd (iSulad reads those through libarchive): xz-utils' own
// decoder runs as a child process for it (no xz in node:zlib).
import { spawn } from 'node:child_process';
import { Transform } from 'node:stream';
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
    if (!inner) return cb();
    inner.once('end', () => cb());
    inner.once('error', (e) => cb(e));
    inner.resume();
    inner.end();
  }
}
