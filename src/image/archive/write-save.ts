// `save`: images → a docker-save archive (content-addressed, as Docker >= 25 writes it), which is
// also an OCI image layout (oci-layout, index.json, one OCI manifest per image), so both our
// loader and other tools read it. Layers are written uncompressed, rebuilt byte for byte from
// tar-split (so blobs/sha256/<diff-id> really has that digest), and the config bytes are the
// originals: a saved image loads back with the same ID. A layer shared by images is written once.
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type * as tarStream from 'tar-stream';
import type { ImageRecord } from '../types.ts';
import { splitTaggedName } from '../reference.ts';
import { dataLoss } from '../../util/errors.ts';

export interface SaveSource {
  configBytes(id: string): Promise<Buffer>;
  layerTar(chainId: string): { size: number; diffId: string; stream: AsyncIterable<Buffer> };
}

const MTIME = new Date(0);
const MT_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const MT_CONFIG = 'application/vnd.oci.image.config.v1+json';
const MT_LAYER = 'application/vnd.oci.image.layer.v1.tar';

/** p, or a rejection as soon as signal aborts (a destroyed pack never calls its callbacks). */
function orAbort<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  signal.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

async function writeEntry(pack: tarStream.Pack, name: string, data: Buffer, signal: AbortSignal): Promise<void> {
  await orAbort(new Promise<void>((resolve, reject) => pack.entry({ name, size: data.length, mtime: MTIME, mode: 0o644 }, data, (e) => (e ? reject(e) : resolve()))), signal);
}

async function writeStreamEntry(pack: tarStream.Pack, name: string, size: number, src: AsyncIterable<Buffer>, expect: string, signal: AbortSignal): Promise<void> {
  const hash = createHash('sha256');
  let done!: Promise<void>;
  const entry = await new Promise<Writable>((resolve) => {
    done = new Promise<void>((res, rej) => {
      const w = pack.entry({ name, size, mtime: MTIME, mode: 0o644 }, (e) => (e ? rej(e) : res())) as unknown as Writable;
      w.on('error', () => {}); // reported through the entry callback; a cancel must not crash the daemon
      resolve(w);
    });
  });
  done.catch(() => {}); // awaited below; observed now in case the loop throws first
  for await (const c of src) {
    signal.throwIfAborted(); // leaving the loop closes the layer file (the generator's finally)
    hash.update(c);
    if (!entry.write(c)) await once(entry, 'drain', { signal });
  }
  const got = 'sha256:' + hash.digest('hex');
  if (got !== expect) {
    entry.destroy();
    throw dataLoss(`layer ${expect} rebuilt with digest ${got}: its files changed since it was stored`);
  }
  entry.end();
  await orAbort(done, signal);
}

/** Streams the archive for `images` into a tar-stream pack (the caller pipes pack somewhere). */
export async function writeSaveArchive(pack: tarStream.Pack, images: Array<{ record: ImageRecord; names: string[] }>, src: SaveSource, signal: AbortSignal): Promise<void> {
  const written = new Set<string>();
  const manifest: Array<{ Config: string; RepoTags: string[]; Layers: string[] }> = [];
  const repositories: Record<string, Record<string, string>> = {};
  const index: Array<Record<string, unknown>> = [];
  await writeEntry(pack, 'oci-layout', Buffer.from('{"imageLayoutVersion":"1.0.0"}'), signal);
  for (const { record, names } of images) {
    const config = await src.configBytes(record.id);
    const configPath = `blobs/sha256/${record.id}`;
    const layerDescs: Array<{ mediaType: string; digest: string; size: number }> = [];
    const layerPaths: string[] = [];
    for (const chainId of record.layers) {
      const t = src.layerTar(chainId);
      const path = `blobs/sha256/${t.diffId.slice(7)}`;
      layerPaths.push(path);
      layerDescs.push({ mediaType: MT_LAYER, digest: t.diffId, size: t.size });
      if (written.has(path)) continue;
      await writeStreamEntry(pack, path, t.size, t.stream, t.diffId, signal);
      written.add(path);
    }
    if (!written.has(configPath)) {
      await writeEntry(pack, configPath, config, signal);
      written.add(configPath);
    }
    const ociManifest = Buffer.from(
      JSON.stringify({ schemaVersion: 2, mediaType: MT_MANIFEST, config: { mediaType: MT_CONFIG, digest: `sha256:${record.id}`, size: config.length }, layers: layerDescs }),
    );
    const mDigest = 'sha256:' + createHash('sha256').update(ociManifest).digest('hex');
    if (!written.has(mDigest)) {
      await writeEntry(pack, `blobs/sha256/${mDigest.slice(7)}`, ociManifest, signal);
      written.add(mDigest);
    }
    manifest.push({ Config: configPath, RepoTags: names, Layers: layerPaths });
    const top = layerPaths.at(-1)?.slice('blobs/sha256/'.length) ?? '';
    for (const n of names) {
      const { repo, tag } = splitTaggedName(n);
      (repositories[repo] ??= {})[tag] = top;
    }
    const desc = { mediaType: MT_MANIFEST, digest: mDigest, size: ociManifest.length };
    if (names.length === 0) index.push(desc);
    for (const n of names) index.push({ ...desc, annotations: { 'io.containerd.image.name': n, 'org.opencontainers.image.ref.name': splitTaggedName(n).tag } });
  }
  await writeEntry(pack, 'index.json', Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: index })), signal);
  await writeEntry(pack, 'manifest.json', Buffer.from(JSON.stringify(manifest)), signal);
  await writeEntry(pack, 'repositories', Buffer.from(JSON.stringify(repositories)), signal);
  pack.finalize();
}
