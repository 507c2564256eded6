// Assembles image configs, docker-save archives and OCI image layouts from layer tars, in memory
// and deterministically (a fixed entry order, one fixed mtime, uid/gid 0, canonical JSON key order).
//
// Entry order: metadata first (manifest.json / index.json, then manifests and configs), layers
// last, in manifest order. A loader that meets the metadata first can verify and extract each
// layer as it streams past, in one pass with no spooling: worth it on a small device. (docker
// itself writes manifest.json last, so loaders must handle both; test/fixtures/images' big image
// keeps docker's order.)
// Shared by make-image.mjs (busybox, run by the system node) and test/fixtures/images/make.ts.

import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { tarArchive } from './tar-writer.mjs';

export const MEDIA = {
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  ociLayer: 'application/vnd.oci.image.layer.v1.tar',
  ociLayerGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
};

export const DEFAULT_PATH = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export function sha256(buf) {
  return createHash('sha256').update(buf).digest('hex');
}

/**
 * gzip through GNU gzip (`-n`: no name, no mtime) rather than node:zlib: Node's bundled zlib
 * picks CPU-specific match finders (SIMD hashing), so its output may differ between machines,
 * while Debian's gzip 1.12 gives the same bytes everywhere.
 */
export function gzipDeterministic(buf) {
  const r = spawnSync('gzip', ['-9', '-n', '-c'], { input: buf, maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`gzip failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

/** A layer: the uncompressed tar (its sha256 is the diff ID) and the blob that is shipped. */
export function makeLayer(tar, { gzip = false } = {}) {
  const blob = gzip ? gzipDeterministic(tar) : tar;
  return {
    diffId: `sha256:${sha256(tar)}`,
    blob,
    digest: `sha256:${sha256(blob)}`,
    mediaType: gzip ? MEDIA.ociLayerGzip : MEDIA.ociLayer,
  };
}

/**
 * Image config JSON (the Docker/OCI config; its sha256 is the image ID).
 * history: one { created_by, empty_layer? } per step; defaults to one step per layer.
 * cmd: null leaves Cmd out (an image that runs its Entrypoint alone).
 */
export function imageConfig({ arch, variant, created, diffIds, env = [DEFAULT_PATH], cmd = ['sh'], history, extra = {} }) {
  const config = {
    architecture: arch,
    ...(variant ? { variant } : {}),
    config: { Env: env, ...(cmd === null ? {} : { Cmd: cmd }), ...extra },
    created,
    history: (history ?? diffIds.map((_, i) => ({ created_by: `layer ${i + 1}` }))).map((h) => ({ created, ...h })),
    os: 'linux',
    rootfs: { type: 'layers', diff_ids: diffIds },
  };
  return Buffer.from(JSON.stringify(config));
}

function blobPath(digest) {
  return `blobs/sha256/${digest.replace(/^sha256:/, '')}`;
}

/** Tar entries for a blob store: blobs/ and blobs/sha256/, then one file per unique blob in the order given. */
function blobEntries(blobs, mtime) {
  const byPath = new Map();
  for (const b of blobs) byPath.set(blobPath(`sha256:${sha256(b)}`), b);
  return [
    { name: 'blobs', type: 'dir', mtime },
    { name: 'blobs/sha256', type: 'dir', mtime },
    ...[...byPath].map(([name, data]) => ({ name, data, mtime })),
  ];
}

/**
 * docker-save archive holding one or more images:
 * images = [{ config: Buffer, layers: [makeLayer(...)], repoTags: ['name:tag'] }].
 * Files are content-addressed (blobs/sha256/<hex>, as Docker >= 25 writes them), so a layer shared
 * by two images is stored once. `repositories` maps each tag to the image's top layer.
 */
export function dockerSaveArchive(images, { mtime = 0 } = {}) {
  const manifest = images.map((img) => ({
    Config: blobPath(`sha256:${sha256(img.config)}`),
    RepoTags: img.repoTags,
    Layers: img.layers.map((l) => blobPath(l.digest)),
  }));
  const repositories = {};
  for (const img of images) {
    const top = img.layers.at(-1)?.digest.replace(/^sha256:/, '') ?? '';
    for (const tag of img.repoTags) {
      const i = tag.lastIndexOf(':');
      (repositories[tag.slice(0, i)] ??= {})[tag.slice(i + 1)] = top;
    }
  }
  return tarArchive([
    { name: 'manifest.json', data: JSON.stringify(manifest), mtime },
    { name: 'repositories', data: JSON.stringify(repositories), mtime },
    ...blobEntries([...images.map((img) => img.config), ...images.flatMap((img) => img.layers.map((l) => l.blob))], mtime),
  ]);
}

/** An OCI image manifest for a config + layers; returns its bytes and a descriptor for an index. */
export function ociManifest({ config, layers, platform }) {
  const bytes = Buffer.from(JSON.stringify({
    schemaVersion: 2,
    mediaType: MEDIA.ociManifest,
    config: { mediaType: MEDIA.ociConfig, digest: `sha256:${sha256(config)}`, size: config.length },
    layers: layers.map((l) => ({ mediaType: l.mediaType, digest: l.digest, size: l.blob.length })),
  }));
  const descriptor = {
    mediaType: MEDIA.ociManifest,
    digest: `sha256:${sha256(bytes)}`,
    size: bytes.length,
    ...(platform ? { platform } : {}),
  };
  return { bytes, descriptor, blobs: [bytes, config, ...layers.map((l) => l.blob)] };
}

/** An OCI image index listing descriptors (e.g. one manifest per platform). */
export function ociIndex(descriptors) {
  const bytes = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MEDIA.ociIndex, manifests: descriptors }));
  return { bytes, descriptor: { mediaType: MEDIA.ociIndex, digest: `sha256:${sha256(bytes)}`, size: bytes.length } };
}

/**
 * OCI image layout archive: oci-layout, index.json naming each top descriptor with the
 * org.opencontainers.image.ref.name annotation, and every blob under blobs/sha256/ in the order
 * given (pass indexes, manifests and configs before layers).
 * refs = [{ name: 'latest', descriptor }].
 */
export function ociLayoutArchive({ refs, blobs, mtime = 0 }) {
  const index = {
    schemaVersion: 2,
    mediaType: MEDIA.ociIndex,
    manifests: refs.map(({ name, descriptor }) => ({
      ...descriptor,
      annotations: { 'org.opencontainers.image.ref.name': name },
    })),
  };
  return tarArchive([
    { name: 'oci-layout', data: JSON.stringify({ imageLayoutVersion: '1.0.0' }), mtime },
    { name: 'index.json', data: JSON.stringify(index), mtime },
    ...blobEntries(blobs, mtime),
  ]);
}
