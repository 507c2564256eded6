// Pushes an image to a registry (iSulad has no push; this follows the distribution spec):
// for each blob (config, then layers) nothing if the repository has it, a cross-repository mount
// when a repository on the same registry does, else an upload (monolithic PUT for blobs up to one
// chunk, chunked PATCH + final PUT above that); last the manifest, PUT with its own media type.
// The manifest and config go up as the exact bytes given, so an image that was pulled pushes back
// with the same digest. Blob bytes are read chunk by chunk from the caller's source and verified
// against their digest on the way, so a wrong source fails before the registry would.
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import type { Readable } from 'node:stream';
import { createGzip } from 'node:zlib';
import { dataLoss, invalidArgument, unavailable } from '../../util/errors.ts';
import { log } from '../../util/log.ts';
import type { RegistryClient } from './client.ts';
import { pushScope } from './client.ts';
import { algorithmOf, digestOf } from './digest.ts';
import { discardBody, headerOf } from './http.ts';
import type { Descriptor } from './manifest.ts';
import { registryError } from './registry-error.ts';

export interface PushBlob {
  descriptor: Pick<Descriptor, 'digest' | 'size'>;
  /** a fresh stream of the blob's bytes (called at most once, only when an upload is needed) */
  open(signal?: AbortSignal): Promise<Readable>;
  /** repositories on the same registry that may already hold it (cross-repo mount) */
  mountFrom?: string[];
}

export interface PushOptions {
  signal?: AbortSignal;
  /** blobs above this go up in chunks of this size (default 8 MiB; bounded memory either way) */
  chunkSize?: number;
  onEvent?: (ev: PushEvent) => void;
}

export type PushEvent = { type: 'blob'; digest: string; status: 'exists' | 'mounted' | 'pushing' | 'pushed'; done?: number; total?: number } | { type: 'manifest'; digest: string };

export interface PushResult {
  digest: string;
  /** how each blob got there: for logs and tests */
  blobs: Record<string, 'exists' | 'mounted' | 'uploaded'>;
}

const DEFAULT_CHUNK = 8 << 20;

export async function pushImage(
  client: RegistryClient,
  repo: string,
  tag: string,
  manifest: { bytes: Buffer; mediaType: string },
  blobs: PushBlob[],
  opts: PushOptions = {},
): Promise<PushResult> {
  const { signal } = opts;
  const scope = pushScope(repo);
  const result: PushResult = { digest: digestOf(manifest.bytes), blobs: {} };
  for (const b of blobs) {
    const { digest } = b.descriptor;
    if (result.blobs[digest]) continue;
    if (await client.hasBlob(repo, digest, signal, scope)) {
      result.blobs[digest] = 'exists';
      opts.onEvent?.({ type: 'blob', digest, status: 'exists' });
      continue;
    }
    let location: URL | undefined;
    for (const from of b.mountFrom ?? []) {
      if (from === repo) continue;
      const res = await client.send({ method: 'POST', target: `/v2/${repo}/blobs/uploads/?mount=${encodeURIComponent(digest)}&from=${encodeURIComponent(from)}`, scope: `${scope} repository:${from}:pull`, signal });
      if (res.status === 201) {
        await discardBody(res.body);
        location = undefined;
        result.blobs[digest] = 'mounted';
        opts.onEvent?.({ type: 'blob', digest, status: 'mounted' });
        break;
      }
      if (res.status === 202) {
        // Not mountable: the registry opened a regular upload session instead; use it.
        location = uploadLocation(res.headers.location, client);
        await discardBody(res.body);
        break;
      }
      throw await registryError(res.body, `mount blob ${digest} from ${from}`);
    }
    if (result.blobs[digest] === 'mounted') continue;
    await uploadBlob(client, repo, b, location, opts);
    result.blobs[digest] = 'uploaded';
  }
  const res = await client.send({ method: 'PUT', target: `/v2/${repo}/manifests/${tag}`, scope, headers: { 'Content-Type': manifest.mediaType }, body: manifest.bytes, signal });
  if (res.status !== 201 && res.status !== 200) throw await registryError(res.body, `push manifest ${repo}:${tag}`);
  await discardBody(res.body);
  const echoed = headerOf(res.headers, 'docker-content-digest');
  if (echoed && echoed !== result.digest) log.with({ repo, tag, echoed, digest: result.digest }).warn('registry reports another manifest digest');
  opts.onEvent?.({ type: 'manifest', digest: result.digest });
  return result;
}

function uploadLocation(header: string | string[] | undefined, client: RegistryClient): URL {
  const v = Array.isArray(header) ? header[0] : header;
  if (!v) throw unavailable('registry opened an upload without a Location');
  // Relative or absolute; keep the query string: it carries the upload state.
  return new URL(v, client.baseUrl);
}

async function startUpload(client: RegistryClient, repo: string, signal?: AbortSignal): Promise<URL> {
  const res = await client.send({ method: 'POST', target: `/v2/${repo}/blobs/uploads/`, scope: pushScope(repo), signal });
  if (res.status !== 202) throw await registryError(res.body, `start upload to ${repo}`);
  await discardBody(res.body);
  return uploadLocation(res.headers.location, client);
}

async function uploadBlob(client: RegistryClient, repo: string, b: PushBlob, location: URL | undefined, opts: PushOptions): Promise<void> {
  const { signal } = opts;
  const { digest, size } = b.descriptor;
  const chunkSize = opts.chunkSize ?? DEFAULT_CHUNK;
  let url = location ?? (await startUpload(client, repo, signal));
  const hash = createHash(algorithmOf(digest));
  const stream = await b.open(signal);
  let sent = 0;
  opts.onEvent?.({ type: 'blob', digest, status: 'pushing', done: 0, total: size });
  try {
    const chunks = readChunks(stream, chunkSize);
    let pending = await chunks.next();
    // One chunk only: a monolithic PUT with the digest (one round trip).
    for (;;) {
      if (pending.done) break;
      const chunk = pending.value;
      hash.update(chunk);
      sent += chunk.length;
      if (sent > size) throw dataLoss(`blob ${digest}: source has more than ${size} bytes`);
      const next = await chunks.next();
      if (next.done && sent === chunk.length) {
        url = await finishUpload(client, repo, url, digest, chunk, signal, hash, size, sent);
        opts.onEvent?.({ type: 'blob', digest, status: 'pushed' });
        return;
      }
      const res = await client.send({
        method: 'PATCH',
        target: url,
        scope: pushScope(repo),
        headers: { 'Content-Type': 'application/octet-stream', 'Content-Range': `${sent - chunk.length}-${sent - 1}` },
        body: chunk,
        signal,
      });
      if (res.status !== 202) throw await registryError(res.body, `upload blob ${digest}`);
      await discardBody(res.body);
      url = uploadLocation(res.headers.location, client);
      opts.onEvent?.({ type: 'blob', digest, status: 'pushing', done: sent, total: size });
      pending = next;
    }
    await finishUpload(client, repo, url, digest, Buffer.alloc(0), signal, hash, size, sent);
    opts.onEvent?.({ type: 'blob', digest, status: 'pushed' });
  } finally {
    stream.destroy();
  }
}

async function finishUpload(
  client: RegistryClient,
  repo: string,
  url: URL,
  digest: string,
  last: Buffer,
  signal: AbortSignal | undefined,
  hash: ReturnType<typeof createHash>,
  size: number,
  sent: number,
): Promise<URL> {
  if (sent !== size) throw dataLoss(`blob ${digest}: source has ${sent} bytes, expected ${size}`);
  const actual = `${algorithmOf(digest)}:${hash.digest('hex')}`;
  if (actual !== digest) throw dataLoss(`blob ${digest}: source content hashes to ${actual}`);
  const put = new URL(url.href);
  put.searchParams.set('digest', digest);
  const res = await client.send({ method: 'PUT', target: put, scope: pushScope(repo), headers: { 'Content-Type': 'application/octet-stream' }, body: last, signal });
  if (res.status !== 201) throw await registryError(res.body, `upload blob ${digest}`);
  await discardBody(res.body);
  return put;
}

export interface CompressedUpload {
  /** the uncompressed tar, e.g. rebuilt from the layer store */
  source: AsyncIterable<Buffer>;
  /** its digest ("sha256:..."): checked while it streams; a mismatch fails before the final PUT */
  diffId: string;
  /** gzip level (see docs/registry.md for the measurement behind the default) */
  level: number;
  signal?: AbortSignal;
  chunkSize?: number;
  /** uncompressed bytes read so far */
  onProgress?: (read: number) => void;
  /**
   * Called once the compressed digest is known, before the final PUT: it depends only on the
   * content and level, so the caller may remember it even if the upload then fails.
   */
  onDigest?: (d: { digest: string; size: number }) => Promise<void>;
}

/**
 * Uploads a blob whose bytes do not exist yet: the source is gzip-compressed on the fly (native
 * zlib, back-pressured) and hashed as it goes up in PATCH chunks; the digest is only known at the
 * end, which the final PUT ?digest= names. Memory: one chunk plus zlib's window.
 */
export async function uploadCompressed(client: RegistryClient, repo: string, o: CompressedUpload): Promise<{ digest: string; size: number }> {
  const { signal } = o;
  const chunkSize = o.chunkSize ?? DEFAULT_CHUNK;
  let url = await startUpload(client, repo, signal);
  const gz = createGzip({ level: o.level });
  gz.on('error', () => {}); // surfaces through the chunk reader below
  const stop = new AbortController();
  const feedSignal = signal ? AbortSignal.any([signal, stop.signal]) : stop.signal;
  const tarHash = createHash('sha256');
  const hash = createHash('sha256');
  let read = 0;
  const feed = (async () => {
    for await (const c of o.source) {
      feedSignal.throwIfAborted();
      tarHash.update(c);
      read += c.length;
      o.onProgress?.(read);
      if (!gz.write(c)) await once(gz, 'drain', { signal: feedSignal });
    }
    const got = `sha256:${tarHash.digest('hex')}`;
    if (got !== o.diffId) throw dataLoss(`layer ${o.diffId} rebuilt with digest ${got}: its files changed since it was stored`);
    gz.end();
  })();
  feed.catch((err: unknown) => gz.destroy(err as Error));
  let sent = 0;
  try {
    for await (const chunk of readChunks(gz, chunkSize)) {
      hash.update(chunk);
      const res = await client.send({
        method: 'PATCH',
        target: url,
        scope: pushScope(repo),
        headers: { 'Content-Type': 'application/octet-stream', 'Content-Range': `${sent}-${sent + chunk.length - 1}` },
        body: chunk,
        signal,
      });
      if (res.status !== 202) throw await registryError(res.body, `upload layer ${o.diffId}`);
      await discardBody(res.body);
      url = uploadLocation(res.headers.location, client);
      sent += chunk.length;
    }
    await feed;
  } catch (err) {
    stop.abort();
    gz.destroy();
    await feed.catch(() => {});
    throw err;
  }
  const d = { digest: `sha256:${hash.digest('hex')}`, size: sent };
  await o.onDigest?.(d);
  const put = new URL(url.href);
  put.searchParams.set('digest', d.digest);
  const res = await client.send({ method: 'PUT', target: put, scope: pushScope(repo), headers: { 'Content-Type': 'application/octet-stream' }, body: Buffer.alloc(0), signal });
  if (res.status !== 201) throw await registryError(res.body, `upload layer ${o.diffId}`);
  await discardBody(res.body);
  return d;
}

/** Tries to mount digest from each repository in turn; true once one worked. */
export async function mountBlob(client: RegistryClient, repo: string, digest: string, from: string[], signal?: AbortSignal): Promise<boolean> {
  const scope = pushScope(repo);
  for (const f of from) {
    if (f === repo) continue;
    const res = await client.send({ method: 'POST', target: `/v2/${repo}/blobs/uploads/?mount=${encodeURIComponent(digest)}&from=${encodeURIComponent(f)}`, scope: `${scope} repository:${f}:pull`, signal });
    await discardBody(res.body);
    if (res.status === 201) return true;
    if (res.status === 202) {
      // An upload session was opened instead: cancel it (best effort) and try the next one.
      const loc = uploadLocation(res.headers.location, client);
      const del = await client.send({ method: 'DELETE', target: loc, scope, signal }).catch(() => undefined);
      if (del) await discardBody(del.body);
    }
  }
  return false;
}

/** Re-chunks a stream into Buffers of exactly `size` bytes (the last may be shorter). */
async function* readChunks(stream: Readable, size: number): AsyncGenerator<Buffer> {
  if (size <= 0) throw invalidArgument('chunk size must be positive');
  let parts: Buffer[] = [];
  let have = 0;
  for await (const c of stream as AsyncIterable<Buffer>) {
    let chunk = c;
    while (chunk.length > 0) {
      const take = Math.min(size - have, chunk.length);
      parts.push(chunk.subarray(0, take));
      have += take;
      chunk = chunk.subarray(take);
      if (have === size) {
        yield Buffer.concat(parts, have);
        parts = [];
        have = 0;
      }
    }
  }
  if (have > 0) yield Buffer.concat(parts, have);
}
