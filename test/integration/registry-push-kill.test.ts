// kill -9 of the daemon in the middle of `isula push` of a loaded 3-layer image (layers gzip'd on
// the fly, ~10 MiB each, so two PATCH chunks per layer) into Debian's docker-registry, at four
// points: during a layer's upload, between two layers, after a layer's digest was remembered but
// before its final PUT, and before the manifest PUT. After each kill, on our side: no new file
// under the daemon's root but its state store, and every compressed digest the store remembers
// for a repository of this registry is a blob the registry has (HEAD). The resumed push asks with
// HEAD and uploads only what the registry lacks: the layer bytes it sends (PATCH Content-Length
// over the proxy in front of the registry) are exactly the missing layers' sizes. It leaves no
// file or registry connection open in the daemon. Then a push of the same image to another
// repository mounts every blob (config included) without compressing, and pulls of these images
// show per-layer progress: bars on a terminal (util-linux `script`), plain lines otherwise.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync, readlinkSync, mkdtempSync, rmSync } from 'node:fs';
import type http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { RegistryClient } from '../../src/image/registry/client.ts';
import { openStore } from '../../src/store/open.ts';
import { bigImageLayers, writeBigImage } from '../fixtures/images/make.ts';
import { binaryFor, startDaemon } from '../helpers/daemon.ts';
import type { Daemon } from '../helpers/daemon.ts';
import { startProxy, startRegistry } from '../helpers/registry.ts';
import type { Proxy, Registry } from '../helpers/registry.ts';
import { canRun, ok, skipReason } from './container-fixture.ts';

const LAYERS = 3;
const TOTAL = LAYERS * 10 * (1 << 20);

interface Seen {
  method: string;
  url: string;
  length: number;
}

interface Manifest {
  config: { digest: string; size: number };
  layers: Array<{ digest: string; size: number }>;
}

interface PushedLayer {
  diffId: string;
  digest: string;
  repos: string[];
}

const short = (d: string) => d.replace(/^sha256:/, '').slice(0, 12);
const isUploadStart = (s: Seen) => s.method === 'POST' && /\/blobs\/uploads\/$/.test(s.url);
const blobPutDigest = (s: Seen) => (s.method === 'PUT' && /\/blobs\/uploads\//.test(s.url) ? new URL(s.url, 'http://x').searchParams.get('digest') : null);

/** every file under dir (relative paths), directories left out */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => !e.isDirectory())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
    .sort();
}

/** what the process has open: files (by path) and TCP sockets to `port` */
function openBy(pid: number, under: string, port: number): { files: string[]; tcp: number } {
  const inodes = new Set<string>();
  const files: string[] = [];
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    let target: string;
    try {
      target = readlinkSync(`/proc/${pid}/fd/${fd}`);
    } catch {
      continue; // closed meanwhile
    }
    const sock = /^socket:\[(\d+)\]$/.exec(target);
    if (sock?.[1]) inodes.add(sock[1]);
    else if (target.startsWith(`${under}/`)) files.push(target.slice(under.length + 1));
  }
  let tcp = 0;
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  for (const table of ['tcp', 'tcp6']) {
    let text = '';
    try {
      text = readFileSync(`/proc/${pid}/net/${table}`, 'utf8');
    } catch {
      continue;
    }
    for (const row of text.split('\n').slice(1)) {
      const f = row.trim().split(/\s+/);
      // local_address rem_address ... inode (10th column)
      if (f[2]?.endsWith(`:${hexPort}`) && f[9] && inodes.has(f[9])) tcp++;
    }
  }
  return { files: files.sort(), tcp };
}

describe('isula push killed with SIGKILL, then resumed; cross-repository push; pull progress', { skip: skipReason }, () => {
  let reg: Registry;
  let other: Registry;
  let proxy: Proxy;
  let d: Daemon;
  let tmp: string;
  const seen: Seen[] = [];
  /** set by a test: the request to hold (never answered) until the daemon is killed */
  let holdIf: ((s: Seen) => boolean) | undefined;
  let held: (() => void) | undefined;

  before(async () => {
    if (!canRun) return;
    tmp = mkdtempSync(join(tmpdir(), 'isula-push-kill-'));
    reg = await startRegistry();
    other = await startRegistry();
    proxy = await startProxy(reg.port, (req: http.IncomingMessage) => {
      const s: Seen = { method: req.method ?? '', url: req.url ?? '', length: Number(req.headers['content-length'] ?? 0) };
      seen.push(s);
      if (!holdIf?.(s)) return false;
      holdIf = undefined;
      held?.();
      return true; // never answered: the push waits here until the daemon is killed
    });
    d = await startDaemon({ config: { 'insecure-registries': [reg.host, proxy.host, other.host] } });
  });

  after(async () => {
    await d?.stop();
    await proxy?.stop();
    await reg?.stop();
    await other?.stop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  const proxyPort = () => Number(proxy.host.split(':')[1]);
  const client = () => new RegistryClient({ endpoint: { host: reg.host, url: new URL(`http://${reg.host}/`), tls: {}, insecure: true } });
  const manifestOf = async (repo: string): Promise<Manifest> => {
    const c = client();
    try {
      return JSON.parse((await c.getManifest(repo, '1')).bytes.toString()) as Manifest;
    } finally {
      c.close();
    }
  };
  const registryHas = async (repo: string, digest: string): Promise<boolean> => {
    const c = client();
    try {
      return await c.hasBlob(repo, digest);
    } finally {
      c.close();
    }
  };

  /** isula on a pseudo-terminal (util-linux `script`): what a user at a terminal sees */
  const isulaOnTty = async (args: string[]): Promise<{ code: number | null; out: string }> => {
    const b = binaryFor('isula');
    const q = (x: string) => `'${x.replace(/'/g, `'\\''`)}'`;
    const argv = [...b.prefix, '-H', d.host, ...args].map(q).join(' ');
    const cmd = b.argv0 ? `exec -a ${q(b.argv0)} ${q(b.cmd)} ${argv}` : `exec ${q(b.cmd)} ${argv}`;
    const child = spawn('script', ['-qefc', cmd, '/dev/null'], { env: { ...process.env, SHELL: '/bin/bash', TERM: 'xterm' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    return { code, out };
  };

  /** Loads a 3-layer image (distinct content per seed) and tags it for `repo` behind the proxy. */
  const loadImage = async (seed: number, repo: string): Promise<{ name: string; diffIds: string[] }> => {
    const archive = join(tmp, `img-${seed}.docker.tar`);
    writeBigImage(archive, { seed, totalBytes: TOTAL, layerCount: LAYERS });
    const diffIds = bigImageLayers({ seed, totalBytes: TOTAL, layerCount: LAYERS }).map((l) => l.diffId);
    await ok(d, ['load', '-i', archive, '--tag', `kill${seed}:1`]);
    rmSync(archive);
    const name = `${proxy.host}/${repo}:1`;
    await ok(d, ['tag', `kill${seed}:1`, name]);
    return { name, diffIds };
  };

  /**
   * Pushes `name`, holds the request `holdWhen` picks, kills the daemon there; checks what it
   * left; boots it again and pushes once more. Returns the requests of both pushes and the
   * resumed push's output.
   */
  const killedPush = async (name: string, holdWhen: (s: Seen, before: Seen[]) => boolean) => {
    const filesBefore = filesUnder(d.root).filter((f) => !f.startsWith('store/'));
    const start = seen.length;
    const wait = new Promise<void>((resolve) => (held = resolve));
    holdIf = (s) => holdWhen(s, seen.slice(start, -1));
    const push = d.isula(['push', name], { timeoutMs: 300_000 });
    await wait;
    await d.kill9();
    const killed = await push;
    assert.notEqual(killed.code, 0, 'the push died with its daemon');
    const first = seen.slice(start);

    // Our side, daemon down. Only the state store may have changed under the root: no partial,
    // staging or temporary file is left.
    const filesAfter = filesUnder(d.root).filter((f) => !f.startsWith('store/'));
    assert.deepEqual(filesAfter, filesBefore, 'no file left under the daemon root but its store');
    // Every compressed digest the store remembers for a repository of this registry is a blob
    // that repository has: nothing stale to trust on the next push.
    const store = await openStore(join(d.root, 'store'));
    let remembered: PushedLayer[];
    try {
      remembered = store.ids('meta').filter((id) => id.startsWith('pushed-layer:')).map((id) => store.get<PushedLayer>('meta', id) as PushedLayer);
    } finally {
      await store.close();
    }
    for (const r of remembered) {
      for (const repo of r.repos.filter((x) => x.startsWith(`${proxy.host}/`))) {
        assert.ok(await registryHas(repo.slice(proxy.host.length + 1), r.digest), `remembered ${r.digest} in ${repo}, which the registry does not have`);
      }
    }

    await d.restart();
    const pid = d.pid as number;
    const openBefore = openBy(pid, d.root, proxyPort());
    const from = seen.length;
    const resumed = await ok(d, ['push', name]);
    const again = seen.slice(from);
    // Nothing of the push stays open in the daemon: files under its root and sockets to the registry.
    let openAfter = openBy(pid, d.root, proxyPort());
    for (let i = 0; i < 50 && (openAfter.tcp > 0 || openAfter.files.join() !== openBefore.files.join()); i++) {
      await sleep(100); // sockets close on the loop's next turn
      openAfter = openBy(pid, d.root, proxyPort());
    }
    assert.deepEqual(openAfter.files, openBefore.files, 'files the daemon holds open after the push');
    assert.equal(openAfter.tcp, 0, 'connections to the registry left open');
    return { first, again, out: resumed.stderr, remembered };
  };

  /** PATCH bytes sent in `reqs` */
  const patched = (reqs: Seen[]) => reqs.filter((s) => s.method === 'PATCH').reduce((n, s) => n + s.length, 0);

  /** the resumed push found the layers the registry had (HEAD) and uploaded only the others */
  const assertResumed = async (repo: string, diffIds: string[], r: { again: Seen[]; out: string }, present: number[]) => {
    const m = await manifestOf(repo);
    assert.equal(m.layers.length, LAYERS);
    for (let i = 0; i < LAYERS; i++) {
      const layer = m.layers[i];
      assert.ok(layer);
      if (present.includes(i)) {
        assert.match(r.out, new RegExp(`${short(diffIds[i] ?? '')}: Already exists\\n`), r.out);
        assert.doesNotMatch(r.out, new RegExp(`${short(diffIds[i] ?? '')}: Pushing`), r.out);
        assert.ok(r.again.some((s) => s.method === 'HEAD' && s.url.endsWith(`/blobs/${layer.digest}`)), `HEAD for layer ${i}`);
        assert.ok(!r.again.some((s) => blobPutDigest(s) === layer.digest), `layer ${i} uploaded again`);
      } else {
        assert.match(r.out, new RegExp(`${short(diffIds[i] ?? '')}: Pushed\\n`), r.out);
      }
    }
    const missing = m.layers.filter((_, i) => !present.includes(i)).reduce((n, l) => n + l.size, 0);
    assert.equal(patched(r.again), missing, 'layer bytes sent by the resumed push: exactly the missing layers');
  };

  let images: Array<{ name: string; repo: string; diffIds: string[] }> = [];

  test('killed during a layer upload (second layer, between its two PATCH chunks)', async () => {
    const repo = 'kill/during';
    const img = await loadImage(1, repo);
    images.push({ ...img, repo });
    // layer 1: POST PATCH PATCH PUT; layer 2: POST PATCH [PATCH held]
    const r = await killedPush(img.name, (s, before) => s.method === 'PATCH' && before.filter((x) => x.method === 'PATCH').length === 3);
    assert.equal(r.first.filter((s) => blobPutDigest(s) !== null).length, 1, 'one layer was complete at the kill');
    await assertResumed(repo, img.diffIds, r, [0]);
  });

  test('killed between two layers (before the second upload started)', async () => {
    const repo = 'kill/between';
    const img = await loadImage(2, repo);
    images.push({ ...img, repo });
    const r = await killedPush(img.name, (s, before) => isUploadStart(s) && before.filter(isUploadStart).length === 1);
    assert.equal(r.first.filter((s) => blobPutDigest(s) !== null).length, 1);
    await assertResumed(repo, img.diffIds, r, [0]);
  });

  test('killed after a layer digest was remembered, before its final PUT: the record claims no repository', async () => {
    const repo = 'kill/final-put';
    const img = await loadImage(3, repo);
    images.push({ ...img, repo });
    const r = await killedPush(img.name, (s, before) => blobPutDigest(s) !== null && before.filter((x) => blobPutDigest(x) !== null).length === 1);
    // The second layer's digest was known and remembered (content only), with no repository.
    const second = r.remembered.find((x) => x.diffId === img.diffIds[1]);
    assert.ok(second, 'the digest is remembered before the final PUT');
    assert.ok(!second.repos.includes(`${proxy.host}/${repo}`), JSON.stringify(second));
    await assertResumed(repo, img.diffIds, r, [0]);
  });

  test('killed before the manifest PUT: the resumed push sends no blob at all', async () => {
    const repo = 'kill/manifest';
    const img = await loadImage(4, repo);
    images.push({ ...img, repo });
    const r = await killedPush(img.name, (s) => s.method === 'PUT' && s.url.includes('/manifests/'));
    await assertResumed(repo, img.diffIds, r, [0, 1, 2]);
    assert.deepEqual(r.again.filter((s) => s.method === 'POST' || s.method === 'PATCH' || blobPutDigest(s) !== null), [], 'no upload started');
    assert.equal(r.out.split('\n').filter((l) => l.endsWith(': Already exists')).length, LAYERS + 1, `three layers and the config: ${r.out}`);
  });

  test('the same image pushed to another repository of the registry: every blob mounted, nothing compressed or uploaded', async () => {
    const src = images.find((i) => i.repo === 'kill/manifest');
    assert.ok(src);
    const name = `${proxy.host}/elsewhere/app:1`;
    await ok(d, ['tag', src.name, name]);
    const from = seen.length;
    const r = await ok(d, ['push', name]);
    const reqs = seen.slice(from);
    for (const id of src.diffIds) assert.match(r.stderr, new RegExp(`${short(id)}: Mounted from source\\n`), r.stderr);
    assert.doesNotMatch(r.stderr, /: Pushing/, r.stderr);
    assert.equal(patched(reqs), 0);
    assert.deepEqual(reqs.filter((s) => blobPutDigest(s) !== null), [], 'no blob PUT');
    const posts = reqs.filter((s) => s.method === 'POST');
    assert.equal(posts.length, LAYERS + 1, 'one mount per layer and one for the config');
    assert.ok(posts.every((s) => /[?&]mount=sha256/.test(s.url) && /[?&]from=kill%2Fmanifest/.test(s.url)), JSON.stringify(posts));
    assert.deepEqual(await manifestOf('elsewhere/app'), await manifestOf('kill/manifest'));
  });

  test('pull progress: bars on a terminal, one plain line per layer status otherwise', async () => {
    const [a, b] = images;
    assert.ok(a && b);
    // Remove both images (every tag) so their layers are gone and a pull downloads them again.
    for (const img of [a, b]) await ok(d, ['rmi', '-f', img.name, `kill${img === a ? 1 : 2}:1`]);
    // pull shows the layers by their compressed digests (what the manifest names)
    const ma = await manifestOf(a.repo);
    const mb = await manifestOf(b.repo);
    const onTty = await isulaOnTty(['pull', `${reg.host}/${a.repo}:1`]);
    assert.equal(onTty.code, 0, onTty.out);
    assert.match(onTty.out, /\r\x1b\[K[0-9a-f]{12}: Downloading \[[=> ]{30}\] [0-9.]+ ?[kMG]?B\/[0-9.]+ ?[kMG]?B/, JSON.stringify(onTty.out.slice(0, 2000)));
    assert.match(onTty.out, /\x1b\[\d+A/, 'cursor moved up to redraw the bars');
    for (const l of ma.layers) assert.ok(onTty.out.includes(`\r\x1b[K${short(l.digest)}: Pull complete`), `${short(l.digest)} complete on the terminal`);

    const plain = await ok(d, ['pull', `${reg.host}/${b.repo}:1`]);
    assert.doesNotMatch(plain.stderr, /\x1b\[/, 'no terminal escapes off a terminal');
    for (const l of mb.layers) {
      const lines = plain.stderr.split('\n').filter((x) => x.startsWith(`${short(l.digest)}: `));
      assert.ok(lines.includes(`${short(l.digest)}: Downloading`) && lines.includes(`${short(l.digest)}: Pull complete`), plain.stderr);
      assert.equal(lines.filter((x) => x.endsWith('Downloading')).length, 1, 'one line per status, not per chunk');
    }
  });

  test('a pulled image pushed to another registry, then to a second repository there: every blob mounted', async () => {
    const [a] = images;
    assert.ok(a);
    const pulled = `${reg.host}/${a.repo}:1`; // pulled back by the progress test: its origin is reg
    const c = new RegistryClient({ endpoint: { host: reg.host, url: new URL(`http://${reg.host}/`), tls: {}, insecure: true } });
    const originDigest = await c.getManifest(a.repo, '1').then((m) => m.digest).finally(() => c.close());
    const first = `${other.host}/pulled/a:1`;
    await ok(d, ['tag', pulled, first]);
    const r1 = await ok(d, ['push', first]);
    assert.equal(r1.stdout.trim(), originDigest, 'byte-identical: the blobs streamed from the origin');
    assert.match(r1.stderr, /: Pushed\n/, r1.stderr);
    const second = `${other.host}/pulled/b:1`;
    await ok(d, ['tag', pulled, second]);
    const r2 = await ok(d, ['push', second]);
    assert.equal(r2.stdout.trim(), originDigest);
    assert.equal(r2.stderr.split('\n').filter((l) => l.endsWith(': Mounted from source')).length, LAYERS + 1, `three layers and the config: ${r2.stderr}`);
    assert.doesNotMatch(r2.stderr, /: Pushing/, r2.stderr);
  });
});
