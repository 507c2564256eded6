// isula pull / login / logout / push / search through a real daemon and the real CLI, against real
// docker-registry instances (open and htpasswd). The daemon gets HOME=<temp> so login writes its
// encrypted auths.json under the test's own ~/.isulad.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { RegistryClient } from '../../src/image/registry/client.ts';
import { busyboxBase, rootfsFixture } from '../fixtures/images/make.ts';
import { startDaemon } from '../helpers/daemon.ts';
import type { Daemon } from '../helpers/daemon.ts';
import { REGISTRY_PASSWORD, REGISTRY_USER, creds, skopeoCopy, startRegistry } from '../helpers/registry.ts';
import type { Registry } from '../helpers/registry.ts';

describe('isula pull/login/push/search against docker-registry', () => {
  let open: Registry;
  let basic: Registry;
  let d: Daemon;
  let home: string;
  let v1: http.Server;
  let v1Host: string;
  const long = 'A very long description that certainly goes past forty-five characters';

  before(async () => {
    open = await startRegistry();
    basic = await startRegistry({ auth: 'htpasswd' });
    await skopeoCopy(`oci-archive:${rootfsFixture('busybox-amd64.oci.tar')}`, `docker://${open.host}/library/busybox:latest`);
    await skopeoCopy(`oci-archive:${rootfsFixture('busybox-multiarch.oci.tar')}`, `docker://${open.host}/multi:latest`, { all: true });
    await skopeoCopy(`oci-archive:${rootfsFixture('busybox-amd64.oci.tar')}`, `docker://${basic.host}/private/busybox:1`, { creds });
    v1 = http.createServer((req, res) => {
      const u = new URL(req.url ?? '/', 'http://x');
      if (u.pathname === '/v2/') return void res.writeHead(200).end('{}');
      const all = [
        { name: 'busybox', description: long, star_count: 7, is_official: true, is_automated: false },
        { name: 'x/busybox', description: 'fork', star_count: 1, is_official: false, is_automated: true },
      ];
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ results: all.slice(0, Number(u.searchParams.get('n'))) }));
    });
    await new Promise<void>((r) => v1.listen(0, '127.0.0.1', r));
    v1Host = `127.0.0.1:${(v1.address() as AddressInfo).port}`;
    home = mkdtempSync(join(tmpdir(), 'isula-home-'));
    d = await startDaemon({ config: { 'registry-mirrors': [open.host], 'insecure-registries': [open.host, basic.host, v1Host] }, env: { HOME: home } });
  });

  after(async () => {
    await d?.stop();
    await open?.stop();
    await basic?.stop();
    v1?.closeAllConnections();
    if (v1) await new Promise<void>((r) => v1.close(() => r()));
    rmSync(home, { recursive: true, force: true });
  });

  const inspect = async (ref: string) => {
    const r = await d.isula(['inspect', '-f', '{{json .}}', ref]);
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout) as { image: { id: string; Spec: { architecture: string } } } | Array<{ image: { id: string; Spec: { architecture: string } } }>;
    const img = (Array.isArray(doc) ? doc[0] : doc)?.image;
    assert.ok(img, r.stdout);
    return { Id: img.id, Architecture: img.Spec.architecture };
  };

  test('pull by qualified name prints iSulad messages; the image is stored with its config ID', async () => {
    const name = `${open.host}/library/busybox:latest`;
    const r = await d.isula(['pull', name]);
    assert.equal(r.code, 0, `${r.stderr}\n${d.log()}`);
    assert.match(r.stderr, new RegExp(`Image "${name.replace(/[.]/g, '\\.')}" pulling`));
    assert.match(r.stderr, /Image ".*" pulled/);
    // The daemon seeds the embedded busybox, so its one layer is already there.
    assert.match(r.stderr, /: (Already exists|Pull complete)\n/, 'plain progress lines when not on a terminal');
    const img = await inspect(name);
    assert.equal(`sha256:${img.Id.replace(/^sha256:/, '')}`, (await busyboxBase('amd64')).id);
  });

  test('an unqualified name goes to the registry mirror (library/ added) and is stored as busybox:latest', async () => {
    const r = await d.isula(['pull', 'busybox']);
    assert.equal(r.code, 0, r.stderr);
    const img = await inspect('busybox:latest');
    assert.equal(`sha256:${img.Id.replace(/^sha256:/, '')}`, (await busyboxBase('amd64')).id);
  });

  test('multi-arch: amd64 by default, arm64 with --platform', async () => {
    const name = `${open.host}/multi:latest`;
    assert.equal((await d.isula(['pull', name])).code, 0);
    assert.equal((await inspect(name)).Architecture, 'amd64');
    const r = await d.isula(['pull', '--platform', 'linux/arm64', name]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal((await inspect(name)).Architecture, 'arm64');
    assert.match(r.stderr, /: Pull complete\n/, 'the arm64 layer was downloaded and extracted');
  });

  test('a missing image: clean error, non-zero exit', async () => {
    const r = await d.isula(['pull', `${open.host}/nothing/here:latest`]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /Error response from daemon: .*manifest unknown/);
  });

  test('htpasswd: refused before login; login via --password-stdin; encrypted at rest; logout', async () => {
    const name = `${basic.host}/private/busybox:1`;
    const before = await d.isula(['pull', name]);
    assert.notEqual(before.code, 0);
    assert.match(before.stderr, /unauthorized|authentication required|denied/i);
    const bad = await d.isula(['login', '-u', REGISTRY_USER, '--password-stdin', basic.host], { input: 'wrong\n' });
    assert.notEqual(bad.code, 0);
    const login = await d.isula(['login', '-u', REGISTRY_USER, '--password-stdin', basic.host], { input: `${REGISTRY_PASSWORD}\n` });
    assert.equal(login.code, 0, login.stderr);
    assert.match(login.stderr, /Login Succeeded/);
    const auths = readFileSync(join(home, '.isulad', 'auths.json'), 'utf8');
    assert.ok(auths.includes(basic.host));
    assert.ok(!auths.includes(REGISTRY_PASSWORD));
    assert.equal(statSync(join(home, '.isulad')).mode & 0o777, 0o700);
    assert.ok(!d.log().includes(REGISTRY_PASSWORD), 'the password is never logged');
    const pulled = await d.isula(['pull', name]);
    assert.equal(pulled.code, 0, pulled.stderr);

    // push what was pulled to another repository there: byte-identical manifest
    assert.equal((await d.isula(['tag', name, `${basic.host}/copies/busybox:v1`])).code, 0);
    const pushed = await d.isula(['push', `${basic.host}/copies/busybox:v1`]);
    assert.equal(pushed.code, 0, `${pushed.stderr}\n${d.log()}`);
    const c = new RegistryClient({ endpoint: { host: basic.host, url: new URL(`http://${basic.host}/`), tls: {}, insecure: true }, credentials: { username: REGISTRY_USER, password: REGISTRY_PASSWORD } });
    const original = await c.getManifest('private/busybox', '1');
    const copy = await c.getManifest('copies/busybox', 'v1');
    c.close();
    assert.equal(copy.digest, original.digest);
    assert.equal(pushed.stdout.trim(), original.digest);

    const out = await d.isula(['logout', basic.host]);
    assert.equal(out.code, 0);
    assert.match(out.stderr, /Logout Succeeded/);
    const authsPath = join(home, '.isulad', 'auths.json');
    assert.ok(!existsSync(authsPath) || !readFileSync(authsPath, 'utf8').includes(basic.host), 'the entry is removed');
    const again = await d.isula(['pull', `${basic.host}/private/busybox:1`]);
    assert.notEqual(again.code, 0, 'credentials are gone after logout');
  });

  test('search: a v1 search endpoint gives iSulad\'s table, --limit, --filter and --no-trunc', async () => {
    const host = v1Host;
    try {
      const r = await d.isula(['search', `${host}/busybox`]);
      assert.equal(r.code, 0, r.stderr);
      const lines = r.stdout.trimEnd().split('\n');
      assert.match(lines[0] ?? '', /^NAME\s+DESCRIPTION\s+STARS\s+OFFICIAL\s+AUTOMATED$/);
      assert.match(lines[1] ?? '', /^busybox\s+A very long description that certainly goe\.\.\.\s+7\s+\[OK\]/);
      assert.equal(lines.length, 3);
      const one = await d.isula(['search', '--limit', '1', `${host}/busybox`]);
      assert.equal(one.stdout.trimEnd().split('\n').length, 2);
      const auto = await d.isula(['search', '-f', 'is-automated=true', '--no-trunc', `${host}/busybox`]);
      assert.match(auto.stdout, /x\/busybox\s+fork/);
      assert.doesNotMatch(auto.stdout, /^busybox/m);
      const full = await d.isula(['search', '--no-trunc', `${host}/busybox`]);
      assert.ok(full.stdout.includes(long));
      const bad = await d.isula(['search', '--limit', '0', `${host}/busybox`]);
      assert.notEqual(bad.code, 0);
    } finally {
      // closed in after()
    }
  });

  test('search against distribution 2.8: a clear error', async () => {
    const r = await d.isula(['search', `${open.host}/busybox`]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /does not offer search/);
  });
});
