// Content digests ("sha256:<hex>", "sha512:<hex>"): validation and a hashing pass-through used to
// verify every blob while it streams.
import { createHash } from 'node:crypto';
import type { Hash } from 'node:crypto';
import { Transform } from 'node:stream';
import type { TransformCallback } from 'node:stream';

const DIGEST = /^(sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$/;

export function isDigest(s: unknown): s is string {
  return typeof s === 'string' && DIGEST.test(s);
}

export function algorithmOf(digest: string): 'sha256' | 'sha512' {
  return digest.startsWith('sha512:') ? 'sha512' : 'sha256';
}

export function hexOf(digest: string): string {
  return digest.slice(digest.indexOf(':') + 1);
}

export function digestOf(data: Buffer | string, algorithm: 'sha256' | 'sha512' = 'sha256'): string {
  return `${algorithm}:${createHash(algorithm).update(data).digest('hex')}`;
}

/** Counts and hashes the bytes that pass through; `digest()` is valid after the stream ended. */
export class DigestCounter extends Transform {
  readonly hash: Hash;
  readonly algorithm: 'sha256' | 'sha512';
  bytes = 0;
  private readonly limit: number;
  private readonly onChunk: ((n: number) => void) | undefined;

  constructor(opts: { algorithm: 'sha256' | 'sha512'; hash?: Hash; startBytes?: number; limit?: number; onChunk?: (n: number) => void }) {
    super();
    this.algorithm = opts.algorithm;
    this.hash = opts.hash ?? createHash(opts.algorithm);
    this.bytes = opts.startBytes ?? 0;
    this.limit = opts.limit ?? Number.POSITIVE_INFINITY;
    this.onChunk = opts.onChunk;
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.limit) {
      cb(new SizeExceededError(this.limit));
      return;
    }
    this.hash.update(chunk);
    this.onChunk?.(chunk.length);
    cb(null, chunk);
  }

  digest(): string {
    return `${this.algorithm}:${this.hash.digest('hex')}`;
  }
}

/** Thrown by DigestCounter when a body runs past the size the manifest declared. */
export class SizeExceededError extends Error {
  readonly limit: number;
  constructor(limit: number) {
    super(`more than the ${limit} bytes declared`);
    this.limit = limit;
  }
}
