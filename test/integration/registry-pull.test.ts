// Pull from a real distribution registry (Debian's docker-registry 2.8) with the engine's registry
// client: OCI and Docker v2s2 manifests, multi-arch selection, layers already present skipped,
// identical layers pulled concurrently fetched once, schema1 read-only. Images are pushed into the
// registry by skopeo from the busybox fixtures.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { BlobDownloader } from '../../src/image/registry/blob-download.ts';
import { RegistryClient } from '../../src/image/registry/client.ts';
import type { Endpoint } from '../../src/image/registry/client.ts';
import { MT } from '../../src/image/registry/media-types.ts';
import { parsePlatform } from '../../src/image/registry/platform.ts';
import { Puller } from '../../src/image/registry/pull-image.ts';
import type { PullEvent } from '../../src/image/registry/pull-image.ts';
import { busyboxBase, rootfsFixture } from '../fixtures/images/make.ts';
import type { FixtureImage } from '../fixtures/images/make.ts';
import { freePort, startProxy, startRegistry, skopeoCopy } from '../helpers/registry.ts';
import { pullImage } from '../../src/services/registry/pull.ts';
import { CredentialStore } from '../../src/image/registry/credentials.ts';
import type { RegistrySettings } from '../../src/image/registry/endpoints.ts';
import type { NewImage } from '../../src/image/image-store.ts';
import type { ImageRecord } from '../../src/image/types.ts';
import type { Registry } from '../helpers/registry.ts';
import { RecordingLayerStore } from '../helpers/registry-layers.ts';

const amd64 = parsePlatform('linux/amd64');

function openEndpoint(host: string): Endpoint {
  return { host, url: new URL(`http://${host}/`), tls: {}, insecure: true };
}

describe('registry pull (open registry)', () => {
  let reg: Registry;
  let tmp: string;
  let bbAmd: FixtureImage;
  let bbArm: FixtureImage;

  before(async () => {
    reg = await startRegistry();
    tmp = mkdtempSync(join(tmpdir(), 'isula-pull-'));
    bbAmd = await busyboxBase('amd64');
    bbArm = await busyboxBase('arm64');
    await skopeoCopy(`oci-archive:${rootfsFixture('busybox-amd64.oci.tar')}`, `docker://${reg.host}/busybox:latest`);
    await skopeoCopy(`oci-archive:${rootfsFixture('busybox-amd64.oci.tar')}`, `docker://${reg.host}/busybox:v2s2`, { format: 'v2s2' });
    await skopeoCopy(`oci-archive:${rootfsFixture('busybox-multiarch.oci.tar')}`, `docker://${reg.host}/multi:latest`, { all: true });
    await skopeoCopy(`oci-archive:${rootfsFixture('busybox-multiarch.oci.tar')}`, `docker://${reg.host}/multi:list`, { all: true, format: 'v2s2' });
  });

  after(async () => {
    await reg?.stop();
    rmSync(tmp, { recursive: true, force: true });
  });

  const setup = (name: string) => {
    const layers = new RecordingLayerStore();
    const downloader = new BlobDownloader({ dir: join(tmp, name) });
    const client = new RegistryClient({ endpoint: openEndpoint(reg.host) });
    return { layers, downloader, client, puller: new Puller({ layers, downloader }) };
  };

  test('OCI manifest: config bytes and layers arrive verified', async () => {
    const { layers, client, puller } = setup('oci');
    const img = await puller.pull(client, 'busybox', 'latest', { platform: amd64 });
    client.close();
    assert.equal(img.manifest.mediaType, MT.ociManifest);
    assert.equal(`sha256:${createHashHex(img.configBytes)}`, bbAmd.id, 'config bytes are the fixture config, byte for byte');
    assert.deepEqual(img.layers.map((l) => l.diffId), bbAmd.layers.map((l) => l.diffId));
    assert.equal(layers.totalRefs(), img.layers.length, 'one reference per returned layer');
    assert.deepEqual(readdirSync(join(tmp, 'oci')), [], 'downloaded blobs are removed once applied');
  });

  test('Docker v2s2 manifest, and layers already present are not fetched again', async () => {
    const { layers, client, puller } = setup('v2s2');
    const first = await puller.pull(client, 'busybox', 'v2s2', { platform: amd64 });
    assert.equal(first.manifest.mediaType, MT.dockerManifest);
    assert.equal(`sha256:${createHashHex(first.configBytes)}`, bbAmd.id);
    const readBefore = layers.bytesRead;
    const events: PullEvent[] = [];
    const again = await puller.pull(client, 'busybox', 'v2s2', { platform: amd64, onEvent: (e) => events.push(e) });
    client.close();
    assert.equal(layers.bytesRead, readBefore, 'nothing extracted the second time');
    assert.ok(events.some((e) => e.type === 'layer' && e.status === 'exists'));
    assert.ok(!events.some((e) => e.type === 'layer' && e.status === 'downloading'));
    assert.deepEqual(again.layers.map((l) => l.chainId), first.layers.map((l) => l.chainId));
  });

  for (const tag of ['latest', 'list']) {
    test(`multi-arch (${tag}): amd64 by default here, arm64 when asked`, async () => {
      const { client, puller } = setup(`multi-${tag}`);
      const a = await puller.pull(client, 'multi', tag, { platform: amd64 });
      assert.ok(a.index, 'selected from an index');
      assert.equal(a.config.architecture, 'amd64');
      assert.equal(`sha256:${createHashHex(a.configBytes)}`, bbAmd.id);
      const b = await puller.pull(client, 'multi', tag, { platform: parsePlatform('linux/arm64'), platformExplicit: true });
      assert.equal(b.config.architecture, 'arm64');
      assert.equal(`sha256:${createHashHex(b.configBytes)}`, bbArm.id);
      assert.equal(a.digest, b.digest, 'both resolve from the same index digest');
      await assert.rejects(puller.pull(client, 'multi', tag, { platform: parsePlatform('linux/s390x') }), (e: Error & { kind?: string }) => {
        assert.equal(e.kind, 'not-found');
        assert.match(e.message, /no matching manifest for linux\/s390x/);
        return true;
      });
      client.close();
    });
  }

  test('by digest', async () => {
    const { client, puller } = setup('digest');
    const byTag = await puller.pull(client, 'busybox', 'latest', { platform: amd64 });
    const byDigest = await puller.pull(client, 'busybox', byTag.digest, { platform: amd64 });
    client.close();
    assert.equal(byDigest.digest, byTag.digest);
  });

  test('concurrent pulls of the same image fetch each blob once', async () => {
    const { layers, client, puller } = setup('concurrent');
    let downloadsStarted = 0;
    const onEvent = (e: PullEvent) => {
      if (e.type === 'layer' && e.status === 'downloading' && e.done === 0) downloadsStarted++;
    };
    const [a, b] = await Promise.all([
      puller.pull(client, 'busybox', 'latest', { platform: amd64, onEvent }),
      puller.pull(client, 'busybox', 'latest', { platform: amd64, onEvent }),
    ]);
    client.close();
    assert.deepEqual(a.layers.map((l) => l.chainId), b.layers.map((l) => l.chainId));
    assert.equal(layers.applied.length, bbAmd.layers.length, 'each layer extracted once');
    assert.ok(downloadsStarted >= 1);
    assert.equal(layers.totalRefs(), 2 * a.layers.length, 'each pull holds its own references');
  });

  test('mirrors are tried in order: a dead one is skipped, the image is stored under the short name', async () => {
    const dead = `127.0.0.1:${await freePort()}`;
    const credsDir = join(tmp, 'creds');
    const layers = new RecordingLayerStore();
    const added: NewImage[] = [];
    const deps = {
      settings: { mirrors: [dead, reg.host], insecure: [dead, reg.host], certsDir: join(tmp, 'no-certs') } satisfies RegistrySettings,
      puller: new Puller({ layers, downloader: new BlobDownloader({ dir: join(tmp, 'mirrors') }) }),
      credentials: new CredentialStore(credsDir),
      addImage: async (img: NewImage) => {
        added.push(img);
        return { id: createHashHex(img.configBytes), names: img.names, digests: img.digests ?? [] } as ImageRecord;
      },
      idleTimeoutMs: 2000,
    };
    await skopeoCopy(`oci-archive:${rootfsFixture('busybox-amd64.oci.tar')}`, `docker://${reg.host}/library/busybox:latest`);
    const rec = await pullImage(deps, 'busybox', {});
    assert.equal(`sha256:${rec.id}`, bbAmd.id);
    assert.deepEqual(added[0]?.names, ['busybox:latest']);
    assert.ok(added[0]?.digests?.some((d) => d.startsWith(`${reg.host}/library/busybox@sha256:`)), 'the origin is recorded for push');
    // no mirror has it: the last error is reported, not the dead mirror's
    await assert.rejects(pullImage(deps, 'nosuchimage', {}), /pull image "nosuchimage": .*manifest unknown|not found/);
  });

  test('through a forward proxy (HTTP_PROXY); NO_PROXY bypasses it', async () => {
    const fwd = await startProxy(reg.port);
    try {
      const via = (noProxy: string) =>
        new RegistryClient({ endpoint: { ...openEndpoint(reg.host), proxy: { httpProxy: `http://${fwd.host}`, httpsProxy: '', noProxy } } });
      const { puller } = setup('proxied');
      const c = via('');
      const img = await puller.pull(c, 'busybox', 'latest', { platform: amd64 });
      c.close();
      assert.equal(`sha256:${createHashHex(img.configBytes)}`, bbAmd.id);
      assert.ok(fwd.requests.some((r) => r.path === '/v2/busybox/manifests/latest'), 'the manifest went through the proxy');
      const seen = fwd.requests.length;
      const direct = via('127.0.0.1');
      await setup('unproxied').puller.pull(direct, 'busybox', 'latest', { platform: amd64 });
      direct.close();
      assert.equal(fwd.requests.length, seen, 'NO_PROXY host went direct');
    } finally {
      await fwd.stop();
    }
  });

  test('schema1 (read-only): a v2s2 image asked for as schema1 still pulls', async () => {
    const { client, puller } = setup('schema1');
    const m = await client.getManifest('busybox', 'v2s2', undefined, MT.dockerSchema1Signed);
    assert.match(m.bytes.toString(), /"schemaVersion": ?1/);
    // The registry converts on the fly; pull through the same path by pinning that digest is not
    // possible (schema1 digests are not stored), so drive the parser and layers via a client whose
    // Accept list only names schema1.
    const only1 = new (class extends RegistryClient {
      override getManifest(repo: string, ref: string, signal?: AbortSignal) {
        return super.getManifest(repo, ref, signal, MT.dockerSchema1Signed);
      }
    })({ endpoint: openEndpoint(reg.host) });
    const img = await puller.pull(only1, 'busybox', 'v2s2', { platform: amd64 });
    only1.close();
    client.close();
    assert.equal(img.manifest.mediaType, MT.dockerSchema1Signed);
    assert.deepEqual(img.config.rootfs.diff_ids, bbAmd.layers.map((l) => l.diffId), 'diff IDs computed from the layers');
    assert.equal(img.config.architecture, 'amd64');
  });
});

function createHashHex(b: Buffer): string {
  return createHash('sha256').update(b).digest('hex');
}
