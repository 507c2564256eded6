// Authentication against a real docker-registry in its two auth setups: htpasswd (bcrypt, Basic)
// and token (Bearer, our RS256 token server). Also: a blob redirect to another host must not
// carry the credentials, and tokens are refreshed when they expire.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { BlobDownloader } from '../../src/image/registry/blob-download.ts';
import { RegistryClient } from '../../src/image/registry/client.ts';
import type { Credentials } from '../../src/image/registry/auth.ts';
import { parsePlatform } from '../../src/image/registry/platform.ts';
import { Puller } from '../../src/image/registry/pull-image.ts';
import { busyboxBase, rootfsFixture } from '../fixtures/images/make.ts';
import { REGISTRY_PASSWORD, REGISTRY_USER, creds, skopeoCopy, startProxy, startRegistry, startTokenServer } from '../helpers/registry.ts';
import type { Registry, TokenServer } from '../helpers/registry.ts';
import { RecordingLayerStore } from '../helpers/registry-layers.ts';

const platform = parsePlatform('linux/amd64');
const good: Credentials = { username: REGISTRY_USER, password: REGISTRY_PASSWORD };
const bad: Credentials = { username: REGISTRY_USER, password: 'wrong' };

let tmp: string;
before(() => {
  tmp = mkdtempSync(join(tmpdir(), 'isula-auth-'));
});
after(() => rmSync(tmp, { recursive: true, force: true }));

function pullWith(host: string, credentials: Credentials | undefined, name: string) {
  const client = new RegistryClient({ endpoint: { host, url: new URL(`http://${host}/`), tls: {}, insecure: true }, credentials });
  const layers = new RecordingLayerStore();
  const puller = new Puller({ layers, downloader: new BlobDownloader({ dir: join(tmp, name) }) });
  return { client, layers, pull: (repo = 'busybox', ref = 'latest') => puller.pull(client, repo, ref, { platform }) };
}

const denied = (e: Error & { kind?: string }) => e.kind === 'permission-denied';

describe('htpasswd registry (Basic)', () => {
  let reg: Registry;
  before(async () => {
    reg = await startRegistry({ auth: 'htpasswd' });
    await skopeoCopy(`oci-archive:${rootfsFixture('busybox-amd64.oci.tar')}`, `docker://${reg.host}/busybox:latest`, { creds });
  });
  after(async () => reg?.stop());

  test('pulls with the right credentials', async () => {
    const { client, pull } = pullWith(reg.host, good, 'basic-ok');
    const img = await pull();
    client.close();
    assert.equal(img.config.architecture, 'amd64');
    assert.equal(img.layers[0]?.diffId, (await busyboxBase('amd64')).layers[0]?.diffId);
  });

  test('checkLogin (isula login): right credentials accepted, wrong refused', async () => {
    const ok = new RegistryClient({ endpoint: { host: reg.host, url: new URL(`http://${reg.host}/`), tls: {}, insecure: true }, credentials: good });
    await ok.checkLogin();
    ok.close();
    const no = new RegistryClient({ endpoint: { host: reg.host, url: new URL(`http://${reg.host}/`), tls: {}, insecure: true }, credentials: bad });
    await assert.rejects(no.checkLogin(), denied);
    no.close();
  });

  test('no credentials and wrong credentials are refused', async () => {
    for (const [name, c] of [['none', undefined], ['bad', bad]] as const) {
      const { client, pull, layers } = pullWith(reg.host, c, `basic-${name}`);
      await assert.rejects(pull(), denied);
      client.close();
      assert.equal(layers.totalRefs(), 0);
    }
  });

  test('a blob redirected to another host is fetched without our credentials', async () => {
    // The "storage host": serves the blob it fetches itself, and records what it was sent.
    const seen: Array<string | undefined> = [];
    const storage = http.createServer((req, res) => {
      seen.push(req.headers.authorization);
      const up = http.get({ host: '127.0.0.1', port: reg.port, path: req.url, headers: { authorization: `Basic ${Buffer.from(creds).toString('base64')}` } }, (u) => {
        res.writeHead(u.statusCode ?? 502, { 'content-length': u.headers['content-length'] ?? '' });
        u.pipe(res);
      });
      up.on('error', () => res.destroy());
    });
    await new Promise<void>((r) => storage.listen(0, '127.0.0.1', r));
    const storagePort = (storage.address() as AddressInfo).port;
    const proxy = await startProxy(reg.port, (req, res) => {
      if (req.method === 'GET' && /\/blobs\/sha256:/.test(req.url ?? '') && req.headers.authorization) {
        res.writeHead(307, { Location: `http://127.0.0.1:${storagePort}${req.url}` }).end();
        return true;
      }
      return false;
    });
    try {
      const { client, pull } = pullWith(proxy.host, good, 'redirect');
      const img = await pull();
      client.close();
      assert.equal(img.layers.length, 1);
      assert.ok(seen.length >= 2, 'config and layer came from the storage host');
      assert.deepEqual(seen.filter((a) => a !== undefined), [], 'no Authorization header reached the other host');
      assert.ok(proxy.requests.some((r) => r.path.includes('/blobs/') && r.authorization?.startsWith('Basic ')), 'credentials went to the registry itself');
    } finally {
      await proxy.stop();
      storage.closeAllConnections();
      await new Promise<void>((r) => storage.close(() => r()));
    }
  });
});

describe('token registry (Bearer)', () => {
  let reg: Registry;
  let ts: TokenServer;
  before(async () => {
    ts = await startTokenServer({ expiresIn: 1 });
    reg = await startRegistry({ auth: { token: ts } });
    await skopeoCopy(`oci-archive:${rootfsFixture('busybox-amd64.oci.tar')}`, `docker://${reg.host}/busybox:latest`, { creds });
  });
  after(async () => {
    await reg?.stop();
    await ts?.stop();
  });

  test('pulls with a token fetched for the repository scope, and refreshes it when it expires', async () => {
    const { client, pull } = pullWith(reg.host, good, 'token-ok');
    const before = ts.issued;
    const img = await pull();
    assert.equal(img.config.architecture, 'amd64');
    assert.ok(ts.scopes.includes('repository:busybox:pull'));
    const afterFirst = ts.issued;
    assert.ok(afterFirst > before, 'a token was issued');
    await sleep(1100); // the 1 s token has expired now
    await pull();
    client.close();
    assert.ok(ts.issued > afterFirst, 'an expired token is replaced, not reused');
  });

  test('checkLogin with Bearer: an unscoped token for good credentials, refused for bad ones', async () => {
    const ok = new RegistryClient({ endpoint: { host: reg.host, url: new URL(`http://${reg.host}/`), tls: {}, insecure: true }, credentials: good });
    await ok.checkLogin();
    ok.close();
    const no = new RegistryClient({ endpoint: { host: reg.host, url: new URL(`http://${reg.host}/`), tls: {}, insecure: true }, credentials: bad });
    await assert.rejects(no.checkLogin(), denied);
    no.close();
  });

  test('wrong or no credentials: permission denied, nothing stored', async () => {
    for (const [name, c] of [['bad', bad], ['none', undefined]] as const) {
      const { client, pull, layers } = pullWith(reg.host, c, `token-${name}`);
      await assert.rejects(pull(), (e: Error & { kind?: string }) => {
        assert.equal(e.kind, 'permission-denied');
        return true;
      });
      client.close();
      assert.equal(layers.totalRefs(), 0);
    }
  });
});
