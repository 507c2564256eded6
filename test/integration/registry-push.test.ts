// Push with the engine's client into real docker-registry setups, then pull back: what was pulled
// pushes back byte-identical (same manifest digest), monolithic and chunked uploads, cross-repo
// mounts, and Basic / Bearer push scopes (a pull-only token cannot push).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import type { Credentials } from '../../src/image/registry/auth.ts';
import { BlobDownloader } from '../../src/image/registry/blob-download.ts';
import { RegistryClient } from '../../src/image/registry/client.ts';
import { parseManifest } from '../../src/image/registry/manifest.ts';
import type { ImageManifest } from '../../src/image/registry/manifest.ts';
import { parsePlatform } from '../../src/image/registry/platform.ts';
import { pushImage } from '../../src/image/registry/push-image.ts';
import type { PushBlob } from '../../src/image/registry/push-image.ts';
import { Puller } from '../../src/image/registry/pull-image.ts';
import type { PulledImage } from '../../src/image/registry/pull-image.ts';
import { rootfsFixture } from '../fixtures/images/make.ts';
import { REGISTRY_PASSWORD, REGISTRY_USER, skopeoCopy, startProxy, startRegistry, startTokenServer } from '../helpers/registry.ts';
import type { Registry, TokenServer } from '../helpers/registry.ts';
import { RecordingLayerStore } from '../helpers/registry-layers.ts';

const platform = parsePlatform('linux/amd64');
const good: Credentials = { username: REGISTRY_USER, password: REGISTRY_PASSWORD };

const clientFor = (host: string, credentials?: Credentials) => new RegistryClient({ endpoint: { host, url: new URL(`http://${host}/`), tls: {}, insecure: true }, credentials });

/** Blobs of a pulled image, read back from where it came from (the origin registry). */
function blobsOf(img: PulledImage, origin: RegistryClient, originRepo: string, mountFrom?: string[]): PushBlob[] {
  const m = parseManifest(img.manifest.bytes, img.manifest.mediaType) as ImageManifest;
  return [
    { descriptor: m.config, open: async () => Readable.from([img.configBytes]), ...(mountFrom ? { mountFrom } : {}) },
    ...m.layers.map((l) => ({ descriptor: l, open: async (signal?: AbortSignal) => (await origin.openBlob(originRepo, l.digest, 0, signal)).body, ...(mountFrom ? { mountFrom } : {}) })),
  ];
}

describe('registry push', () => {
  let src: Registry;
  let basic: Registry;
  let tokenReg: Registry;
  let ts: TokenServer;
  let tsPullOnly: TokenServer;
  let pullOnlyReg: Registry;
  let tmp: string;
  let img: PulledImage;
  let origin: RegistryClient;

  before(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'isula-push-'));
    src = await startRegistry();
    basic = await startRegistry({ auth: 'htpasswd' });
    ts = await startTokenServer();
    tokenReg = await startRegistry({ auth: { token: ts } });
    tsPullOnly = await startTokenServer({ pullOnly: true });
    pullOnlyReg = await startRegistry({ auth: { token: tsPullOnly } });
    await skopeoCopy(`oci-archive:${rootfsFixture('busybox-amd64.oci.tar')}`, `docker://${src.host}/busybox:latest`);
    origin = clientFor(src.host);
    const puller = new Puller({ layers: new RecordingLayerStore(), downloader: new BlobDownloader({ dir: join(tmp, 'dl') }) });
    img = await puller.pull(origin, 'busybox', 'latest', { platform });
  });

  after(async () => {
    origin?.close();
    for (const r of [src, basic, tokenReg, pullOnlyReg]) await r?.stop();
    await ts?.stop();
    await tsPullOnly?.stop();
    rmSync(tmp, { recursive: true, force: true });
  });

  async function assertSameImage(host: string, repo: string, tag: string, credentials?: Credentials): Promise<void> {
    const c = clientFor(host, credentials);
    const m = await c.getManifest(repo, tag);
    assert.ok(m.bytes.equals(img.manifest.bytes), 'manifest bytes identical');
    assert.equal(m.digest, img.manifest.digest);
    // And it pulls: every blob is there and verifies.
    const puller = new Puller({ layers: new RecordingLayerStore(), downloader: new BlobDownloader({ dir: join(tmp, `back-${repo}-${tag}`) }) });
    const back = await puller.pull(c, repo, tag, { platform });
    c.close();
    assert.ok(back.configBytes.equals(img.configBytes));
    assert.deepEqual(back.layers.map((l) => l.diffId), img.layers.map((l) => l.diffId));
  }

  test('htpasswd registry: monolithic push, byte-identical, pulls back', async () => {
    const c = clientFor(basic.host, good);
    const r = await pushImage(c, 'busybox', 'latest', img.manifest, blobsOf(img, origin, 'busybox'));
    c.close();
    assert.equal(r.digest, img.manifest.digest);
    assert.ok(Object.values(r.blobs).every((v) => v === 'uploaded'));
    await assertSameImage(basic.host, 'busybox', 'latest', good);
  });

  test('chunked upload (PATCH with Content-Range, then PUT)', async () => {
    const proxy = await startProxy(src.port);
    try {
      const c = clientFor(proxy.host);
      const r = await pushImage(c, 'chunked', 'v1', img.manifest, blobsOf(img, origin, 'busybox'), { chunkSize: 100_000 });
      c.close();
      assert.equal(r.digest, img.manifest.digest);
      const patches = proxy.requests.filter((x) => x.method === 'PATCH');
      const layerSize = (parseManifest(img.manifest.bytes) as ImageManifest).layers[0]?.size ?? 0;
      // The config fits one chunk (monolithic PUT); the layer goes up as ceil(size/chunk) PATCHes.
      assert.equal(patches.length, Math.ceil(layerSize / 100_000));
      assert.ok(patches.length >= 10);
      await assertSameImage(src.host, 'chunked', 'v1');
    } finally {
      await proxy.stop();
    }
  });

  test('cross-repository mount: no blob bytes uploaded', async () => {
    const proxy = await startProxy(src.port);
    try {
      const c = clientFor(proxy.host);
      const r = await pushImage(c, 'mounted', 'latest', img.manifest, blobsOf(img, origin, 'busybox', ['busybox']));
      c.close();
      assert.ok(Object.values(r.blobs).every((v) => v === 'mounted'), JSON.stringify(r.blobs));
      assert.ok(!proxy.requests.some((x) => x.method === 'PATCH' || (x.method === 'PUT' && x.path.includes('/blobs/'))), 'no upload');
      await assertSameImage(src.host, 'mounted', 'latest');
      // Pushing again: everything exists.
      const c2 = clientFor(src.host);
      const again = await pushImage(c2, 'mounted', 'latest', img.manifest, blobsOf(img, origin, 'busybox'));
      c2.close();
      assert.ok(Object.values(again.blobs).every((v) => v === 'exists'));
    } finally {
      await proxy.stop();
    }
  });

  test('token registry: push scope granted, byte-identical', async () => {
    const c = clientFor(tokenReg.host, good);
    await pushImage(c, 'team/busybox', '1.0', img.manifest, blobsOf(img, origin, 'busybox'));
    c.close();
    assert.ok(ts.scopes.includes('repository:team/busybox:pull,push'));
    await assertSameImage(tokenReg.host, 'team/busybox', '1.0', good);
  });

  test('a pull-only token cannot push: permission denied', async () => {
    const c = clientFor(pullOnlyReg.host, good);
    await assert.rejects(pushImage(c, 'busybox', 'latest', img.manifest, blobsOf(img, origin, 'busybox')), (e: Error & { kind?: string }) => e.kind === 'permission-denied');
    c.close();
  });

  test('a source whose bytes do not match the digest is refused before the registry commits it', async () => {
    const c = clientFor(src.host);
    const blobs = blobsOf(img, origin, 'busybox');
    const layer = blobs[1] as PushBlob;
    blobs[1] = { ...layer, open: async () => Readable.from([Buffer.alloc(layer.descriptor.size, 7)]) };
    await assert.rejects(pushImage(c, 'corrupt', 'latest', img.manifest, blobs), (e: Error & { kind?: string }) => e.kind === 'data-loss');
    assert.equal(await c.hasBlob('corrupt', layer.descriptor.digest), false);
    assert.equal(await c.headManifest('corrupt', 'latest'), undefined);
    c.close();
  });
});
