// Pull into the real overlay layer store (in-process, as root) from a real docker-registry: the
// layers above a slow bottom layer are extracted into staging while it still downloads (parallel
// staging, committed bottom-up once the parent is in), and a corrupted upper layer fails the pull
// with nothing stored, no staging directory and no reference left.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { BlobDownloader } from '../../src/image/registry/blob-download.ts';
import { RegistryClient } from '../../src/image/registry/client.ts';
import { parseManifest } from '../../src/image/registry/manifest.ts';
import type { ImageManifest } from '../../src/image/registry/manifest.ts';
import { hostPlatform } from '../../src/image/registry/platform.ts';
import { Puller } from '../../src/image/registry/pull-image.ts';
import { OverlayLayerStore } from '../../src/storage/overlay/layer-store.ts';
import { openStore } from '../../src/store/open.ts';
import type { LogStateStore } from '../../src/store/types.ts';
import { writeBigImage } from '../fixtures/images/big.ts';
import { skopeoCopy, startProxy, startRegistry } from '../helpers/registry.ts';
import type { Intercept, Proxy, Registry } from '../helpers/registry.ts';

const isRoot = process.getuid?.() === 0;

describe('pull into the overlay store: parallel staging', { skip: isRoot ? false : 'needs root (the overlay store keeps owners)' }, () => {
  let reg: Registry;
  let tmp: string;
  let layers: Array<{ digest: string; size: number }>;
  const proxies: Proxy[] = [];
  const stores: LogStateStore[] = [];

  before(async () => {
    if (!isRoot) return;
    tmp = mkdtempSync(join(tmpdir(), 'isula-pull-stage-'));
    reg = await startRegistry();
    const archive = join(tmp, 'big.docker.tar');
    writeBigImage(archive, { totalBytes: 6 << 20, layerCount: 3 });
    await skopeoCopy(`docker-archive:${archive}`, `docker://${reg.host}/stage/big:latest`);
    rmSync(archive);
    const c = new RegistryClient({ endpoint: { host: reg.host, url: new URL(`http://${reg.host}/`), tls: {}, insecure: true } });
    layers = (parseManifest((await c.getManifest('stage/big', 'latest')).bytes) as ImageManifest).layers;
    c.close();
    assert.equal(layers.length, 3);
  });

  after(async () => {
    for (const s of stores) await s.close();
    for (const p of proxies) await p.stop();
    await reg?.stop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  async function fresh(name: string, intercept: Intercept) {
    const root = join(tmp, name);
    const store = await openStore(join(root, 'state'));
    stores.push(store);
    const overlay = await OverlayLayerStore.open(join(root, 'overlay'), store);
    const p = await startProxy(reg.port, intercept);
    proxies.push(p);
    const client = new RegistryClient({ endpoint: { host: p.host, url: new URL(`http://${p.host}/`), tls: {}, insecure: true } });
    const puller = new Puller({ layers: overlay, downloader: new BlobDownloader({ dir: join(root, 'blobs'), retryDelayMs: 10, maxAttempts: 1 }) });
    return { overlay, client, puller, blobs: join(root, 'blobs') };
  }

  const layerGet = (req: { method?: string | undefined; url?: string | undefined }, digest: string) =>
    req.method === 'GET' && new URL(req.url ?? '/', 'http://x').pathname === `/v2/stage/big/blobs/${digest}`;

  test('upper layers are extracted into staging while the bottom layer still downloads', async () => {
    let sawParallel = false;
    let overlayTmp = '';
    const bottom = layers[0] as { digest: string };
    const { overlay, client, puller } = await fresh('parallel', async (req, res, up) => {
      if (!layerGet(req, bottom.digest)) return false;
      const u = await up.fetch(req);
      res.writeHead(u.statusCode ?? 200, u.headers);
      let sent = 0;
      let held = false;
      for await (const chunk of u as AsyncIterable<Buffer>) {
        if (!res.write(chunk)) await once(res, 'drain');
        sent += chunk.length;
        if (!held && sent >= 100_000) {
          held = true;
          // Hold the bottom layer back until the two layers above it sit extracted in staging
          // (bounded: a pull that extracts one layer at a time fails the assertion, not hangs).
          for (let i = 0; i < 400 && !sawParallel; i++) {
            const staged = existsSync(overlayTmp) ? readdirSync(overlayTmp).filter((d) => existsSync(join(overlayTmp, d, 'diff', 'big'))) : [];
            if (staged.length >= 3) sawParallel = true;
            else await new Promise((r) => setTimeout(r, 25));
          }
        }
      }
      res.end();
      return true;
    });
    overlayTmp = overlay.layout.tmpDir();
    const img = await puller.pull(client, 'stage/big', 'latest', { platform: hostPlatform() });
    client.close();
    assert.ok(sawParallel, 'all three layers were in staging at once');
    assert.equal(img.layers.length, 3);
    for (const l of img.layers) assert.ok(overlay.has(l.chainId));
    assert.equal(overlay.stat(img.layers[2]?.chainId as string)?.parent, img.layers[1]?.chainId, 'committed bottom-up on the right parents');
    assert.deepEqual(readdirSync(overlayTmp), [], 'staging emptied');
    for (const l of img.layers) assert.ok(existsSync(join(overlay.diffDirs(l.chainId)[0] as string, 'big')));
  });

  test('a layer whose blob is already whole in its partial file (a daemon killed after the last byte) is extracted from it', async () => {
    const top = layers[2] as { digest: string };
    const { overlay, client, puller, blobs } = await fresh('whole-partial', () => false);
    // the first pull leaves every blob on disk; its top layer's blob is then put back as a partial,
    // as a kill between the last byte and the rename leaves it
    const c = new RegistryClient({ endpoint: { host: reg.host, url: new URL(`http://${reg.host}/`), tls: {}, insecure: true } });
    const blob = Buffer.concat(await (await c.openBlob('stage/big', top.digest, 0)).body.toArray());
    c.close();
    mkdirSync(blobs, { recursive: true });
    writeFileSync(join(blobs, `sha256-${top.digest.slice(7)}.partial`), blob);
    const img = await puller.pull(client, 'stage/big', 'latest', { platform: hostPlatform() });
    client.close();
    assert.equal(img.layers.length, 3);
    for (const l of img.layers) assert.ok(existsSync(join(overlay.diffDirs(l.chainId)[0] as string, 'big')), 'every layer extracted with its files');
  });

  test('a follower that takes its buffers back reuses them, never one its consumer still holds', async () => {
    const bottom = layers[0] as { digest: string; size: number };
    const { client } = await fresh('recycling', () => false);
    const downloader = new BlobDownloader({ dir: join(tmp, 'recycling', 'blobs-2') });
    const leased = downloader.fetch(client, 'stage/big', bottom);
    const live = downloader.followRecycling(bottom.digest);
    assert.ok(live, 'a running download is followed');
    const kept: Array<{ at: number; chunk: Buffer; copy: Buffer }> = [];
    const arrayBuffers = new Set<ArrayBufferLike>();
    const hash = createHash('sha256');
    let at = 0;
    let n = 0;
    for await (const chunk of live) {
      hash.update(chunk);
      arrayBuffers.add(chunk.buffer);
      // every third chunk stays with the consumer (as plain tar data does): it must never be read into again
      if (n++ % 3 === 0) kept.push({ at, chunk, copy: Buffer.from(chunk) });
      else live.recycle(chunk);
      at += chunk.length;
    }
    await live.close();
    const lease = await leased;
    const blob = readFileSync(lease.path);
    await lease.release();
    client.close();
    assert.equal(at, bottom.size);
    assert.equal(`sha256:${hash.digest('hex')}`, bottom.digest, 'the bytes of the blob, in order');
    assert.ok(n > 6, `read in several chunks (${n})`);
    for (const k of kept) {
      assert.ok(k.chunk.equals(k.copy), `the chunk at ${k.at} the consumer kept was not overwritten`);
      assert.ok(k.chunk.equals(blob.subarray(k.at, k.at + k.chunk.length)));
    }
    assert.ok(arrayBuffers.size < n - Math.floor(n / 3), `handed-back buffers were read into again (${arrayBuffers.size} buffers for ${n} chunks)`);
  });

  test('a corrupted upper layer: data-loss, nothing stored, no staging left, no reference held', async () => {
    const top = layers[2] as { digest: string };
    const { overlay, client, puller, blobs } = await fresh('corrupt', async (req, res, up) => {
      if (!layerGet(req, top.digest)) return false;
      const u = await up.fetch(req);
      res.writeHead(u.statusCode ?? 200, u.headers);
      let first = true;
      for await (const chunk of u as AsyncIterable<Buffer>) {
        const c = Buffer.from(chunk);
        if (first && c.length > 5000) c[5000] = (c[5000] as number) ^ 0xff;
        first = false;
        if (!res.write(c)) await once(res, 'drain');
      }
      res.end();
      return true;
    });
    await assert.rejects(puller.pull(client, 'stage/big', 'latest', { platform: hostPlatform() }), (err: Error) => /digest mismatch|data|invalid|corrupt|incorrect/i.test(err.message));
    client.close();
    await overlay.collectGarbage();
    assert.deepEqual(overlay.list(), [], 'no layer stored');
    assert.deepEqual(readdirSync(overlay.layout.tmpDir()), [], 'no staging left');
    assert.ok(!existsSync(join(blobs, `sha256-${top.digest.slice(7)}.partial`)), 'the wrong bytes are not kept');
  });
});
