// Archive parsing without a layer store: readArchive with a stager that only hashes, then
// imagePlans for docker-save, OCI layouts (nested, multi-arch) and manifests that point outside.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { gzipSync, zstdCompressSync } from 'node:zlib';
import { readArchive } from '../../../src/image/archive/read-archive.ts';
import type { Stager } from '../../../src/image/archive/read-archive.ts';
import { imagePlans, platformMatches } from '../../../src/image/archive/image-plans.ts';
import type { StagedLayer } from '../../../src/storage/types.ts';
import { AutoDecompress } from '../../../src/storage/decompress.ts';
import { dockerArchive, hostileCases, miniBase, multiImageArchive, ociArchive, whiteoutImage } from '../../fixtures/images/make.ts';
import { MEDIA, ociIndex, ociLayoutArchive, ociManifest, makeLayer, imageConfig } from '../../../rootfs-fixtures/image-archive.mjs';
import { tarArchive } from '../../../rootfs-fixtures/tar-writer.mjs';

const sha = (b: Buffer) => 'sha256:' + createHash('sha256').update(b).digest('hex');

/** Stages by hashing the decompressed stream: the diff ID the real store would compute. */
const hashingStager: Stager = {
  async stage(tar): Promise<StagedLayer> {
    const blob = createHash('sha256');
    const diff = createHash('sha256');
    const auto = new AutoDecompress();
    tar.on('data', (c: Buffer) => blob.update(c));
    for await (const c of tar.pipe(auto)) diff.update(c as Buffer);
    return { dir: '', diffId: 'sha256:' + diff.digest('hex'), blobDigest: 'sha256:' + blob.digest('hex'), size: 0, tarSize: 0, discard: async () => {} };
  },
};

async function plansOf(archive: Buffer) {
  const c = await readArchive(Readable.from([archive]), hashingStager);
  return { c, plans: imagePlans(c) };
}

test('docker-save with two images sharing a layer', async () => {
  const base = miniBase();
  const wo = whiteoutImage(base);
  const { c, plans } = await plansOf(multiImageArchive(base));
  assert.deepEqual(plans.map((p) => sha(p.configBytes)).sort(), [base.id, wo.id].sort());
  const woPlan = plans.find((p) => sha(p.configBytes) === wo.id)!;
  assert.deepEqual(woPlan.names, [wo.repoTag]);
  assert.equal(woPlan.layerPaths.length, 3);
  for (const [i, path] of woPlan.layerPaths.entries()) {
    const m = c.members.get(path);
    assert.equal(m?.kind, 'layer');
    if (m?.kind === 'layer') assert.equal(m.staged.diffId, wo.layers[i]!.diffId);
  }
});

test('gzip-wrapped archives and OCI layouts give the same plan', async () => {
  const wo = whiteoutImage(miniBase());
  // The fixture's OCI ref.name is the bare tag ("latest"): no repository, so no name (docker's rule).
  for (const [archive, names] of [[gzipSync(dockerArchive(wo)), [wo.repoTag]], [ociArchive(wo), []]] as const) {
    const { plans } = await plansOf(archive);
    assert.equal(plans.length, 1);
    assert.equal(sha(plans[0]!.configBytes), wo.id);
    assert.deepEqual(plans[0]!.names, names);
  }
});

test('multi-arch nested index picks the host platform; ref.name without a repo is no name', async () => {
  const files = tarArchive([{ name: 'f', type: 'file', data: 'x', mode: 0o644, mtime: 0 }]);
  const layer = makeLayer(files, { gzip: true });
  const mk = (arch: string) => {
    const config = imageConfig({ arch, created: '2024-01-01T00:00:00Z', diffIds: [layer.diffId] });
    return { config, m: ociManifest({ config, layers: [layer], platform: { os: 'linux', architecture: arch } }) };
  };
  const host = process.arch === 'arm64' ? 'arm64' : 'amd64';
  const a = mk('amd64');
  const b = mk('arm64');
  const s390 = mk('s390x');
  const idx = ociIndex([s390.m.descriptor, a.m.descriptor, b.m.descriptor]);
  const archive = ociLayoutArchive({ refs: [{ name: 'latest', descriptor: idx.descriptor }], blobs: [idx.bytes, ...a.m.blobs, ...b.m.blobs, ...s390.m.blobs] });
  const { plans } = await plansOf(archive);
  assert.equal(plans.length, 1);
  assert.equal(sha(plans[0]!.configBytes), sha(host === 'amd64' ? a.config : b.config));
  assert.deepEqual(plans[0]!.names, []);
  assert.equal(plans[0]!.layerDigests[0], layer.digest);
  // No matching platform at all: a clear error.
  const only = ociIndex([s390.m.descriptor]);
  const none = ociLayoutArchive({ refs: [{ name: 'x:1', descriptor: only.descriptor }], blobs: [only.bytes, ...s390.m.blobs] });
  const c = await readArchive(Readable.from([none]), hashingStager);
  assert.throws(() => imagePlans(c), /no image for platform/);
  assert.equal(MEDIA.ociIndex, 'application/vnd.oci.image.index.v1+json');
});

test('zstd layers are decompressed', async () => {
  const files = tarArchive([{ name: 'z', type: 'file', data: 'zstd!', mode: 0o644, mtime: 0 }]);
  const z = zstdCompressSync(files);
  const staged = await hashingStager.stage(Readable.from([z]), {});
  assert.equal(staged.diffId, sha(files));
  assert.equal(staged.blobDigest, sha(z));
});

test('manifests pointing outside the archive are refused', async () => {
  for (const name of ['manifest-layer-escape', 'manifest-config-escape']) {
    const h = hostileCases().find((x) => x.name === name)!;
    const c = await readArchive(Readable.from([h.docker]), hashingStager);
    assert.throws(() => imagePlans(c), /outside the archive/, name);
  }
});

test('not an image archive', async () => {
  const c = await readArchive(Readable.from([tarArchive([{ name: 'hello', type: 'file', data: '{}', mode: 0o644, mtime: 0 }])]), hashingStager);
  assert.throws(() => imagePlans(c), /not an image archive/);
});

test('platform matching: a missing variant matches', () => {
  const host = { os: 'linux', architecture: 'arm64', variant: 'v8' };
  assert.ok(platformMatches({ os: 'linux', architecture: 'arm64' }, host));
  assert.ok(platformMatches({ os: 'linux', architecture: 'arm64', variant: 'v8' }, host));
  assert.ok(!platformMatches({ os: 'linux', architecture: 'arm64', variant: 'v7' }, host));
  assert.ok(!platformMatches({ os: 'windows', architecture: 'arm64' }, host));
  assert.ok(platformMatches(undefined, host));
});

test('an archive that breaks off inside a layer leaves no staging behind (the stager is told, its layer discarded)', async () => {
  let open = 0;
  const tracking: Stager = {
    async stage(tar): Promise<StagedLayer> {
      open++;
      try {
        for await (const _ of tar) { /* consume */ }
      } catch (err) {
        open--; // the real stager removes its dir when its input fails
        throw err;
      }
      return { dir: '', diffId: 'sha256:x', blobDigest: 'sha256:x', size: 0, tarSize: 0, discard: async () => { open--; } };
    },
  };
  const archive = dockerArchive(miniBase());
  let broken = 0;
  for (let cut = 512; cut < archive.length - 1024; cut += 512) {
    const r = await readArchive(Readable.from([archive.subarray(0, cut + 100)]), tracking).then(
      (c) => c.discard().then(() => 'read'),
      () => 'failed',
    );
    if (r === 'failed') broken++;
    assert.equal(open, 0, `cut at ${cut + 100}: ${open} staging(s) left (${r})`);
  }
  assert.ok(broken > 0);
});
