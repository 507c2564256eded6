// Faults between the engine and a real registry: a loopback proxy (written here) sits in front of
// Debian's docker-registry and cuts, tampers with, inflates or stalls responses. Every case must
// end in a clean error of the right kind with nothing half-stored (no layer references, no
// unverifiable partial file), and an interrupted download must resume without fetching a byte twice.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { BlobDownloader } from '../../src/image/registry/blob-download.ts';
import { RegistryClient } from '../../src/image/registry/client.ts';
import { MT } from '../../src/image/registry/media-types.ts';
import { parseManifest } from '../../src/image/registry/manifest.ts';
import type { ImageManifest } from '../../src/image/registry/manifest.ts';
import { parsePlatform } from '../../src/image/registry/platform.ts';
import { Puller } from '../../src/image/registry/pull-image.ts';
import { rootfsFixture } from '../fixtures/images/make.ts';
import { skopeoCopy, startProxy, startRegistry } from '../helpers/registry.ts';
import type { Intercept, Proxy, Registry } from '../helpers/registry.ts';
import { RecordingLayerStore } from '../helpers/registry-layers.ts';

const platform = parsePlatform('linux/amd64');
const CUT = 300_000;

describe('registry faults', () => {
  let reg: Registry;
  let tmp: string;
  let manifest: ImageManifest;
  let layer: { digest: string; size: number };
  const proxies: Proxy[] = [];

  before(async () => {
    reg = await startRegistry();
    tmp = mkdtempSync(join(tmpdir(), 'isula-faults-'));
    await skopeoCopy(`oci-archive:${rootfsFixture('busybox-amd64.oci.tar')}`, `docker://${reg.host}/busybox:latest`);
    const c = client(reg.host);
    const m = await c.getManifest('busybox', 'latest');
    c.close();
    manifest = parseManifest(m.bytes, m.mediaType) as ImageManifest;
    layer = manifest.layers[0] as { digest: string; size: number };
    assert.ok(layer.size > CUT * 2, 'the busybox layer is big enough to cut in the middle');
  });

  after(async () => {
    for (const p of proxies) await p.stop();
    await reg?.stop();
    rmSync(tmp, { recursive: true, force: true });
  });

  function client(host: string, idleTimeoutMs?: number): RegistryClient {
    return new RegistryClient({ endpoint: { host, url: new URL(`http://${host}/`), tls: {}, insecure: true }, ...(idleTimeoutMs ? { idleTimeoutMs } : {}) });
  }

  async function proxy(intercept: Intercept): Promise<Proxy> {
    const p = await startProxy(reg.port, intercept);
    proxies.push(p);
    return p;
  }

  const blobPath = () => `/v2/busybox/blobs/${layer.digest}`;
  const isLayerGet = (req: { method?: string | undefined; url?: string | undefined }) => req.method === 'GET' && new URL(req.url ?? '/', 'http://x').pathname === blobPath();

  /** Sends the upstream blob's headers, then only `n` body bytes, then closes the connection. */
  const cutAfter = (n: number): Intercept => {
    let cut = false;
    return async (req, res, up) => {
      if (cut || !isLayerGet(req)) return false;
      cut = true;
      const u = await up.fetch(req);
      res.writeHead(u.statusCode ?? 200, u.headers);
      let sent = 0;
      for await (const chunk of u as AsyncIterable<Buffer>) {
        const part = chunk.subarray(0, Math.min(chunk.length, n - sent));
        if (!res.write(part)) await once(res, 'drain');
        sent += part.length;
        if (sent >= n) break;
      }
      u.destroy();
      // Flush what was written, then FIN: the client gets exactly n bytes, then a short body.
      await new Promise<void>((resolve) => res.socket?.write('', () => resolve()) ?? resolve());
      res.socket?.end();
      return true;
    };
  };

  function fresh(name: string, opts: { maxAttempts?: number } = {}) {
    const dir = join(tmp, name);
    const layers = new RecordingLayerStore();
    const downloader = new BlobDownloader({ dir, retryDelayMs: 10, ...opts });
    return { dir, layers, puller: new Puller({ layers, downloader }) };
  }

  test('a connection cut mid-layer resumes with Range; no byte crosses the wire twice', async () => {
    const p = await proxy(cutAfter(CUT));
    const { layers, puller } = fresh('resume');
    const c = client(p.host);
    const img = await puller.pull(c, 'busybox', 'latest', { platform });
    c.close();
    assert.equal(img.layers.length, 1);
    assert.equal(layers.totalRefs(), 1);
    const gets = p.requests.filter((r) => r.method === 'GET' && r.path === blobPath());
    assert.equal(gets.length, 2, 'one cut request, one resumed request');
    assert.equal(gets[1]?.range, `bytes=${CUT}-`);
    assert.equal(p.bytesByPath.get(blobPath()), layer.size, 'blob bytes on the wire == blob size');
  });

  test('a download interrupted for good resumes in a new process (partial file keyed by digest)', async () => {
    const p = await proxy(cutAfter(CUT));
    const first = fresh('restart', { maxAttempts: 1 });
    const c1 = client(p.host);
    await assert.rejects(first.puller.pull(c1, 'busybox', 'latest', { platform }), (e: Error & { kind?: string }) => e.kind === 'unavailable');
    c1.close();
    assert.equal(first.layers.totalRefs(), 0, 'nothing held after the failure');
    const partial = readdirSync(first.dir).find((f) => f.endsWith('.partial'));
    assert.ok(partial, 'the partial blob stays for a resume');
    assert.equal(statSync(join(first.dir, partial)).size, CUT);
    // A "restarted daemon": new downloader, client and puller over the same directory.
    const second = fresh('restart');
    const c2 = client(p.host);
    const img = await second.puller.pull(c2, 'busybox', 'latest', { platform });
    c2.close();
    assert.equal(img.layers.length, 1);
    assert.equal(p.bytesByPath.get(blobPath()), layer.size, 'the second process fetched only the rest');
    assert.deepEqual(readdirSync(second.dir), [], 'nothing left behind');
  });

  test('a layer is handed to the store while it is still arriving', async () => {
    const { layers, puller } = fresh('stream');
    let readMidway = -1;
    const p = await proxy(async (req, res, up) => {
      if (!isLayerGet(req)) return false;
      const u = await up.fetch(req);
      res.writeHead(u.statusCode ?? 200, u.headers);
      let sent = 0;
      let held = false;
      for await (const chunk of u as AsyncIterable<Buffer>) {
        if (!res.write(chunk)) await once(res, 'drain');
        sent += chunk.length;
        if (!held && sent >= CUT) {
          held = true;
          // Hold the rest back until the store has started reading (bounded, so a client that
          // only extracts finished downloads fails the assertion below instead of hanging).
          for (let i = 0; i < 200 && layers.bytesRead === 0; i++) await new Promise((r) => setTimeout(r, 25));
          readMidway = layers.bytesRead;
        }
      }
      res.end();
      return true;
    });
    const c = client(p.host);
    const img = await puller.pull(c, 'busybox', 'latest', { platform });
    c.close();
    assert.equal(img.layers.length, 1);
    assert.ok(readMidway > 0, 'the store read layer bytes before the download finished');
    assert.ok(readMidway < layer.size);
  });

  test('wrong bytes (digest mismatch): data-loss, nothing stored, partial removed', async () => {
    const p = await proxy(async (req, res, up) => {
      if (!isLayerGet(req)) return false;
      const u = await up.fetch(req);
      res.writeHead(200, u.headers);
      let first = true;
      for await (const chunk of u as AsyncIterable<Buffer>) {
        const c = Buffer.from(chunk);
        if (first && c.length > 100) c[100] = (c[100] as number) ^ 0xff;
        first = false;
        res.write(c);
      }
      res.end();
      return true;
    });
    const { dir, layers, puller } = fresh('tampered');
    const c = client(p.host);
    await assert.rejects(puller.pull(c, 'busybox', 'latest', { platform }), (e: Error & { kind?: string }) => {
      assert.equal(e.kind, 'data-loss');
      assert.match(e.message, /digest mismatch/);
      return true;
    });
    c.close();
    assert.equal(layers.layers.size, 0);
    assert.deepEqual(existsSync(dir) ? readdirSync(dir) : [], []);
  });

  test('a truncated blob that ends cleanly: data-loss, nothing stored', async () => {
    const p = await proxy(async (req, res, up) => {
      if (!isLayerGet(req)) return false;
      const u = await up.fetch(req);
      const headers = { ...u.headers, 'content-length': String(CUT) };
      res.writeHead(200, headers);
      let sent = 0;
      for await (const chunk of u as AsyncIterable<Buffer>) {
        const part = chunk.subarray(0, Math.min(chunk.length, CUT - sent));
        res.write(part);
        sent += part.length;
        if (sent >= CUT) break;
      }
      u.destroy();
      res.end();
      return true;
    });
    const { dir, layers, puller } = fresh('truncated');
    const c = client(p.host);
    await assert.rejects(puller.pull(c, 'busybox', 'latest', { platform }), (e: Error & { kind?: string }) => {
      assert.equal(e.kind, 'data-loss');
      assert.match(e.message, /truncated/);
      return true;
    });
    c.close();
    assert.equal(layers.layers.size, 0);
    assert.deepEqual(existsSync(dir) ? readdirSync(dir) : [], []);
  });

  async function putManifest(repo: string, tag: string, body: object, mediaType = MT.ociManifest): Promise<void> {
    const c = client(reg.host);
    // The blobs must exist in the target repository: mount them from busybox first.
    for (const d of [(body as ImageManifest).config, ...(body as ImageManifest).layers]) {
      if (!d) continue;
      const r = await c.send({ method: 'POST', target: `/v2/${repo}/blobs/uploads/?mount=${d.digest}&from=busybox`, scope: `repository:${repo}:pull,push` });
      r.body.resume();
    }
    const res = await c.send({ method: 'PUT', target: `/v2/${repo}/manifests/${tag}`, scope: `repository:${repo}:pull,push`, headers: { 'Content-Type': mediaType }, body: Buffer.from(JSON.stringify(body)) });
    res.body.resume();
    c.close();
    assert.equal(res.status, 201, `registry took the manifest for ${repo}:${tag}`);
  }

  for (const [name, delta, pattern] of [
    ['smaller', -1000, /more than the \d+ bytes the manifest declares/],
    ['larger', +1000, /truncated/],
  ] as const) {
    test(`a manifest that lies about a layer size (${name}): data-loss`, async () => {
      const lie = { schemaVersion: 2, mediaType: MT.ociManifest, config: manifest.config, layers: [{ ...layer, mediaType: manifest.layers[0]?.mediaType, size: layer.size + delta }] };
      await putManifest('liar', name, lie);
      const { dir, layers, puller } = fresh(`liar-${name}`);
      const c = client(reg.host);
      await assert.rejects(puller.pull(c, 'liar', name, { platform }), (e: Error & { kind?: string }) => {
        assert.equal(e.kind, 'data-loss');
        assert.match(e.message, pattern);
        return true;
      });
      c.close();
      assert.equal(layers.layers.size, 0);
      assert.deepEqual(existsSync(dir) ? readdirSync(dir) : [], []);
    });
  }

  test('unknown config and layer media types are refused before any layer is fetched', async () => {
    await putManifest('odd', 'config', { schemaVersion: 2, mediaType: MT.ociManifest, config: { ...manifest.config, mediaType: 'application/vnd.example.thing.config.v1+json' }, layers: manifest.layers });
    await putManifest('odd', 'layer', { schemaVersion: 2, mediaType: MT.ociManifest, config: manifest.config, layers: [{ ...layer, mediaType: 'application/vnd.example.blob' }] });
    const p = await proxy(() => false);
    const { layers, puller } = fresh('odd');
    const c = client(p.host);
    await assert.rejects(puller.pull(c, 'odd', 'config', { platform }), /unsupported config media type/);
    await assert.rejects(puller.pull(c, 'odd', 'layer', { platform }), /unsupported layer media type/);
    c.close();
    assert.equal(layers.layers.size, 0);
    assert.ok(!p.requests.some((r) => r.path.includes('/blobs/')), 'no blob was requested');
  });

  test('an unknown manifest media type and a huge manifest: clean errors', async () => {
    const p = await proxy((req, res) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      if (path === '/v2/busybox/manifests/weird') {
        res.writeHead(200, { 'Content-Type': 'application/vnd.example.manifest.v9+json' }).end(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.example.manifest.v9+json' }));
        return true;
      }
      if (path === '/v2/busybox/manifests/huge') {
        res.writeHead(200, { 'Content-Type': MT.ociManifest }); // no length: the client must stop reading itself
        const chunk = Buffer.alloc(64 << 10, 0x20);
        for (let i = 0; i < 128; i++) res.write(chunk); // 8 MiB
        res.end();
        return true;
      }
      return false;
    });
    const { puller } = fresh('weird');
    const c = client(p.host);
    await assert.rejects(puller.pull(c, 'busybox', 'weird', { platform }), (e: Error & { kind?: string }) => e.kind === 'invalid-argument' && /unsupported manifest media type/.test(e.message));
    await assert.rejects(puller.pull(c, 'busybox', 'huge', { platform }), (e: Error & { kind?: string }) => e.kind === 'resource-exhausted');
    c.close();
  });

  test('a registry that accepts connections and never answers: deadline', async () => {
    const sockets: net.Socket[] = [];
    const silent = net.createServer((s) => sockets.push(s));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const host = `127.0.0.1:${(silent.address() as AddressInfo).port}`;
    const { puller } = fresh('silent');
    const c = client(host, 1000);
    await assert.rejects(puller.pull(c, 'busybox', 'latest', { platform }), (e: Error & { kind?: string }) => e.kind === 'deadline');
    c.close();
    for (const s of sockets) s.destroy();
    await new Promise<void>((r) => silent.close(() => r()));
  });

  test('a registry that stalls mid-blob: deadline after the retries, partial kept for a resume', async () => {
    const p = await proxy(async (req, res, up) => {
      if (!isLayerGet(req)) return false;
      const u = await up.fetch(req);
      res.writeHead(u.statusCode ?? 200, u.headers);
      for await (const chunk of u as AsyncIterable<Buffer>) {
        res.write(chunk.subarray(0, 1000));
        break;
      }
      u.destroy();
      return true; // and never end
    });
    const { dir, layers, puller } = fresh('stall', { maxAttempts: 2 });
    const c = client(p.host, 1500);
    await assert.rejects(puller.pull(c, 'busybox', 'latest', { platform }), (e: Error & { kind?: string }) => e.kind === 'deadline' || e.kind === 'unavailable');
    c.close();
    assert.equal(layers.totalRefs(), 0);
    const partial = readdirSync(dir).find((f) => f.endsWith('.partial'));
    assert.ok(partial);
    assert.equal(statSync(join(dir, partial)).size, 2000, 'both attempts appended their 1000 bytes; the second resumed');
  });

  test('cancel: an aborted pull stops and holds nothing', async () => {
    const p = await proxy(async (req, res, up) => {
      if (!isLayerGet(req)) return false;
      const u = await up.fetch(req);
      res.writeHead(u.statusCode ?? 200, u.headers);
      for await (const chunk of u as AsyncIterable<Buffer>) {
        res.write(chunk.subarray(0, 1000));
        break;
      }
      u.destroy();
      return true;
    });
    const { layers, puller } = fresh('cancel');
    const c = client(p.host);
    const ac = new AbortController();
    const pull = puller.pull(c, 'busybox', 'latest', {
      platform,
      signal: ac.signal,
      onEvent: (e) => {
        if (e.type === 'layer' && e.status === 'downloading' && (e.done ?? 0) > 0) ac.abort();
      },
    });
    await assert.rejects(pull, (e: Error & { kind?: string }) => e.kind === 'canceled');
    c.close();
    assert.equal(layers.totalRefs(), 0);
  });
});

describe('abandoned downloads', () => {
  test('prune removes old partial blobs and keeps recent ones', async () => {
    const { mkdirSync, writeFileSync, utimesSync } = await import('node:fs');
    const dir = mkdtempSync(join(tmpdir(), 'isula-prune-'));
    try {
      mkdirSync(dir, { recursive: true });
      const old = join(dir, `sha256-${'a'.repeat(64)}.partial`);
      const fresh = join(dir, `sha256-${'b'.repeat(64)}.partial`);
      const other = join(dir, 'unrelated.txt');
      for (const f of [old, fresh, other]) writeFileSync(f, 'x');
      const past = new Date(Date.now() - 8 * 24 * 3600 * 1000);
      utimesSync(old, past, past);
      utimesSync(other, past, past);
      const removed = await new BlobDownloader({ dir }).prune(7 * 24 * 3600 * 1000);
      assert.equal(removed, 1);
      assert.deepEqual(readdirSync(dir).sort(), [`sha256-${'b'.repeat(64)}.partial`, 'unrelated.txt']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
