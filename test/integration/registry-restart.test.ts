// Resume across a daemon restart, for real: the daemon pulls through a proxy that delivers part
// of a layer and then goes silent; the daemon is killed with SIGKILL while the partial blob sits
// in <graph>/isulad_tmpdir/blobs; after a restart the same pull asks for the rest with Range, and the layer
// bytes on the wire add up to exactly the blob's size.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { RegistryClient } from '../../src/image/registry/client.ts';
import { parseManifest } from '../../src/image/registry/manifest.ts';
import type { ImageManifest } from '../../src/image/registry/manifest.ts';
import { rootfsFixture } from '../fixtures/images/make.ts';
import { startDaemon } from '../helpers/daemon.ts';
import type { Daemon } from '../helpers/daemon.ts';
import { skopeoCopy, startProxy, startRegistry } from '../helpers/registry.ts';
import type { Proxy, Registry } from '../helpers/registry.ts';

const CUT = 300_000;

describe('pull resumes after the daemon is killed mid-layer', () => {
  let reg: Registry;
  let proxy: Proxy;
  let d: Daemon;
  let layer: { digest: string; size: number };
  let cutDone = false;

  before(async () => {
    reg = await startRegistry();
    // arm64 busybox: its layer is not the embedded (amd64) one, so it must be downloaded
    await skopeoCopy(`oci-archive:${rootfsFixture('busybox-arm64.oci.tar')}`, `docker://${reg.host}/arm:latest`);
    const c = new RegistryClient({ endpoint: { host: reg.host, url: new URL(`http://${reg.host}/`), tls: {}, insecure: true } });
    layer = (parseManifest((await c.getManifest('arm', 'latest')).bytes) as ImageManifest).layers[0] as { digest: string; size: number };
    c.close();
    const blobPath = `/v2/arm/blobs/${layer.digest}`;
    proxy = await startProxy(reg.port, async (req, res, up) => {
      if (cutDone || req.method !== 'GET' || new URL(req.url ?? '/', 'http://x').pathname !== blobPath) return false;
      cutDone = true;
      const u = await up.fetch(req);
      res.writeHead(u.statusCode ?? 200, u.headers);
      let sent = 0;
      for await (const chunk of u as AsyncIterable<Buffer>) {
        const part = chunk.subarray(0, Math.min(chunk.length, CUT - sent));
        res.write(part);
        sent += part.length;
        if (sent >= CUT) break;
      }
      u.destroy();
      return true; // then silence: the daemon waits (idle timeout 30 s) until we kill it
    });
    d = await startDaemon({ config: { 'insecure-registries': [proxy.host] } });
  });

  after(async () => {
    await d?.stop();
    await proxy?.stop();
    await reg?.stop();
  });

  test('kill -9 with a partial layer on disk, restart, pull again: only the rest is fetched', async () => {
    const name = `${proxy.host}/arm:latest`;
    const first = d.isula(['pull', '--platform', 'linux/arm64', name], { timeoutMs: 120_000 });
    const blobs = join(d.root, 'isulad_tmpdir', 'blobs');
    const partial = () => (existsSync(blobs) ? readdirSync(blobs).find((f) => f.endsWith('.partial')) : undefined);
    for (let i = 0; i < 400; i++) {
      const p = partial();
      if (p && statSync(join(blobs, p)).size === CUT) break;
      await sleep(50);
    }
    const p = partial();
    assert.ok(p, 'a partial blob is on disk');
    assert.equal(statSync(join(blobs, p)).size, CUT);
    await d.kill9();
    await first; // the CLI fails once the daemon is gone
    await d.restart();
    const r = await d.isula(['pull', '--platform', 'linux/arm64', name], { timeoutMs: 120_000 });
    assert.equal(r.code, 0, `${r.stderr}\n${d.log().slice(-3000)}`);
    const gets = proxy.requests.filter((x) => x.method === 'GET' && x.path === `/v2/arm/blobs/${layer.digest}`);
    assert.equal(gets.length, 2);
    assert.equal(gets[1]?.range, `bytes=${CUT}-`, 'the restarted daemon resumed');
    assert.equal(proxy.bytesByPath.get(`/v2/arm/blobs/${layer.digest}`), layer.size, 'no byte fetched twice');
    const img = await d.isula(['inspect', '-f', '{{json .}}', name]);
    assert.match(img.stdout, /"architecture":"arm64"/);
  });
});
