// Push of images that did not come from a registry (loaded here), through the real daemon and CLI
// into Debian's docker-registry: layers gzip'd from the layer store on the fly, a new manifest in
// the form the image came in (Docker v2s2 from a docker-save archive, OCI from an OCI layout),
// pulled back and run; read by skopeo (which verifies every digest) and run from what skopeo
// wrote; pulled by podman (when installed: bench packages) and its rootfs run; a second push to
// another repository mounts instead of compressing again; and a push killed with SIGKILL before
// its manifest went up resumes with what the registry already has.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import { RegistryClient } from '../../src/image/registry/client.ts';
import { MT } from '../../src/image/registry/media-types.ts';
import { rootfsFixture } from '../fixtures/images/make.ts';
import { binaryFor, startDaemon } from '../helpers/daemon.ts';
import type { Daemon } from '../helpers/daemon.ts';
import { startProxy, startRegistry } from '../helpers/registry.ts';
import type { Proxy, Registry } from '../helpers/registry.ts';
import { canRun, ok, skipReason } from './container-fixture.ts';

interface Manifest {
  mediaType: string;
  config: { mediaType: string; digest: string; size: number };
  layers: Array<{ mediaType: string; digest: string; size: number }>;
}

describe('isula push of loaded images', { skip: skipReason }, () => {
  let reg: Registry;
  let gone: Registry;
  let proxy: Proxy;
  let d: Daemon;
  let tmp: string;
  /** set by a test: the proxy holds manifest PUTs until the daemon dies */
  let holdManifests = false;
  let heldManifest: (() => void) | undefined;

  before(async () => {
    if (!canRun) return;
    tmp = mkdtempSync(join(tmpdir(), 'isula-push-any-'));
    reg = await startRegistry();
    gone = await startRegistry();
    proxy = await startProxy(reg.port, (req) => {
      if (!holdManifests || req.method !== 'PUT' || !/\/manifests\//.test(req.url ?? '')) return false;
      heldManifest?.();
      return true; // never answered: the push waits here until the daemon is killed
    });
    d = await startDaemon({ config: { 'insecure-registries': [reg.host, proxy.host, gone.host] } });
  });

  after(async () => {
    await d?.stop();
    await proxy?.stop();
    await reg?.stop();
    await gone?.stop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

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

  const client = () => new RegistryClient({ endpoint: { host: reg.host, url: new URL(`http://${reg.host}/`), tls: {}, insecure: true } });
  const manifestOf = async (repo: string, tag: string): Promise<{ m: Manifest; digest: string }> => {
    const c = client();
    try {
      const got = await c.getManifest(repo, tag);
      return { m: JSON.parse(got.bytes.toString()) as Manifest, digest: got.digest };
    } finally {
      c.close();
    }
  };

  test('docker-save archive: load → tag → push (Docker v2s2, gzip layers) → rmi → pull → run', async () => {
    await ok(d, ['load', '-i', rootfsFixture('busybox-amd64.docker.tar'), '--tag', 'app:1']);
    const id = (JSON.parse((await ok(d, ['inspect', '-f', '{{json .}}', 'app:1'])).stdout) as { image: { id: string } }).image.id;
    const name = `${reg.host}/edge/app:1`;
    await ok(d, ['tag', 'app:1', name]);
    const pushed = await ok(d, ['push', name]);
    assert.match(pushed.stderr, /: Pushing\n/, 'plain progress lines when not on a terminal');
    assert.match(pushed.stderr, /: Pushed\n/);
    const { m, digest } = await manifestOf('edge/app', '1');
    assert.equal(pushed.stdout.trim(), digest);
    assert.equal(m.mediaType, MT.dockerManifest);
    assert.equal(m.config.mediaType, MT.dockerConfig);
    assert.equal(m.config.digest.replace(/^sha256:/, ''), id.replace(/^sha256:/, ''), 'the original config bytes');
    assert.equal(m.layers.length, 1);
    assert.equal(m.layers[0]?.mediaType, MT.dockerLayerGzip);

    await ok(d, ['rmi', name]);
    await ok(d, ['pull', name]);
    const run = await ok(d, ['run', '--rm', name, 'echo', 'pushed-and-back']);
    assert.match(run.stdout, /pushed-and-back/);
  });

  test('skopeo reads the pushed image (every digest checked) and our engine runs what it wrote', async () => {
    const dir = join(tmp, 'skopeo-oci');
    const r = spawnSync('skopeo', ['copy', '-q', '--src-tls-verify=false', `docker://${reg.host}/edge/app:1`, `oci:${dir}:app`], { encoding: 'utf8', timeout: 300_000 });
    assert.equal(r.status, 0, r.stderr);
    // The layer skopeo fetched is a gzip of exactly the diff ID the config names (skopeo rewrites
    // the manifest and config as OCI; the layer blob is ours, byte for byte).
    const { m: pushed } = await manifestOf('edge/app', '1');
    const blobPath = (digest: string) => join(dir, 'blobs', 'sha256', digest.replace(/^sha256:/, ''));
    const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as { manifests: Array<{ digest: string }> };
    const m = JSON.parse(readFileSync(blobPath(index.manifests[0]?.digest ?? ''), 'utf8')) as Manifest;
    assert.deepEqual(m.layers.map((l) => l.digest), pushed.layers.map((l) => l.digest));
    const blob = readFileSync(blobPath(m.layers[0]?.digest ?? ''));
    const config = JSON.parse(readFileSync(blobPath(m.config.digest), 'utf8')) as { rootfs: { diff_ids: string[] } };
    assert.equal(`sha256:${createHash('sha256').update(gunzipSync(blob)).digest('hex')}`, config.rootfs.diff_ids[0]);
    // skopeo's OCI layout as an archive, loaded and run by the engine
    const archive = join(tmp, 'skopeo-oci.tar');
    const t = spawnSync('tar', ['-C', dir, '-cf', archive, '.'], { encoding: 'utf8' });
    assert.equal(t.status, 0, t.stderr);
    await ok(d, ['load', '-i', archive, '--tag', 'from-skopeo:1']);
    const run = await ok(d, ['run', '--rm', 'from-skopeo:1', 'echo', 'via-skopeo']);
    assert.match(run.stdout, /via-skopeo/);
  });

  // podman comes with the bench packages (scripts/install-deps.sh --bench), not the test ones.
  const podmanSkip = spawnSync('sh', ['-c', 'command -v podman'], { stdio: 'ignore' }).status === 0 ? false : 'podman not installed';
  test('podman pulls the pushed image (digests verified, layers extracted) and its rootfs runs', { skip: podmanSkip }, async () => {
    const root = mkdtempSync(join(tmp, 'podman-'));
    const base = ['--root', join(root, 'root'), '--runroot', join(root, 'run'), '--storage-driver', 'overlay', '--events-backend', 'none', '--cgroup-manager', 'cgroupfs'];
    const podman = (args: string[]) => spawnSync('podman', [...base, ...args], { encoding: 'utf8', timeout: 300_000 });
    const ref = `${reg.host}/edge/app:1`;
    try {
      const p = podman(['pull', '-q', '--tls-verify=false', `docker://${ref}`]);
      assert.equal(p.status, 0, p.stderr);
      // `podman run` cannot set its rlimits in this sandbox (runc: "setting rlimit ... not
      // permitted"), so the image podman extracted is run by chroot instead.
      const m = podman(['image', 'mount', ref]);
      assert.equal(m.status, 0, m.stderr);
      const r = spawnSync('chroot', [m.stdout.trim(), '/bin/echo', 'via-podman'], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /via-podman/);
    } finally {
      podman(['image', 'unmount', '-a']);
      podman(['rmi', '-a', '-f']);
      spawnSync('umount', [join(root, 'root', 'overlay')], { stdio: 'ignore' });
      rmSync(root, { recursive: true, force: true });
    }
  });

  test('a second push to another repository mounts the remembered blob instead of compressing', async () => {
    const name = `${reg.host}/other/app:2`;
    await ok(d, ['tag', `${reg.host}/edge/app:1`, name]);
    const pushed = await ok(d, ['push', name]);
    assert.match(pushed.stderr, /: Mounted from source\n/, pushed.stderr);
    assert.doesNotMatch(pushed.stderr, /: Pushing\n/);
    const a = await manifestOf('edge/app', '1');
    const b = await manifestOf('other/app', '2');
    assert.deepEqual(b.m.layers, a.m.layers);
    // and the same repository again: everything is there already
    const again = await ok(d, ['push', `${reg.host}/edge/app:1`]);
    assert.match(again.stderr, /: Already exists\n/);
  });

  test('OCI layout: pushed as an OCI manifest with OCI gzip layers', async () => {
    // arm64: an image this store does not have yet, so it keeps the OCI manifest it came with
    await ok(d, ['load', '-i', rootfsFixture('busybox-arm64.oci.tar'), '--tag', 'ociapp:1']);
    const name = `${reg.host}/oci/app:1`;
    await ok(d, ['tag', 'ociapp:1', name]);
    await ok(d, ['push', name]);
    const { m } = await manifestOf('oci/app', '1');
    assert.equal(m.mediaType, MT.ociManifest);
    assert.equal(m.config.mediaType, MT.ociConfig);
    assert.equal(m.layers[0]?.mediaType, MT.ociLayerGzip);
  });

  test('SIGKILL before the manifest went up: nothing half-written; the next push reuses the registry blobs', async () => {
    await ok(d, ['load', '-i', rootfsFixture('busybox-arm.docker.tar'), '--tag', 'armapp:1']);
    const name = `${proxy.host}/killed/app:1`;
    await ok(d, ['tag', 'armapp:1', name]);
    holdManifests = true;
    const held = new Promise<void>((resolve) => (heldManifest = resolve));
    const push = d.isula(['push', name], { timeoutMs: 120_000 });
    await held; // layer and config are in the registry; the manifest PUT is hanging
    await d.kill9();
    await push;
    holdManifests = false;
    await d.restart();
    // nothing half-written on our side: no staging or partial files left under the root's tmp dirs
    for (const sub of ['tmp', join('storage', 'overlay', 'tmp')]) {
      let left: string[] = [];
      try {
        left = readdirSync(join(d.root, sub), { recursive: true }).map(String).filter((f) => f.endsWith('.partial') || f.includes('push'));
      } catch {
        // absent is fine
      }
      assert.deepEqual(left, [], `${sub} after the kill`);
    }
    const before = proxy.requests.length;
    const r = await ok(d, ['push', name]);
    assert.match(r.stderr, /: Already exists\n/, `${r.stderr}\n${d.log().slice(-2000)}`);
    assert.doesNotMatch(r.stderr, /: Pushing\n/, 'the layer was not compressed and uploaded again');
    const resumed = proxy.requests.slice(before);
    assert.ok(resumed.some((q) => q.method === 'HEAD' && q.path.includes('/blobs/')), 'asked the registry with HEAD');
    assert.ok(!resumed.some((q) => q.method === 'PATCH'), 'no layer bytes sent again');
    const { m } = await manifestOf('killed/app', '1');
    assert.equal(m.layers.length, 1);
  });

  test('on a terminal: per-layer bars redrawn in place for push, and the same display for pull', async () => {
    // proxy.host is another registry name for us: nothing remembered there, so the layer is compressed
    const name = `${proxy.host}/tty/app:1`;
    await ok(d, ['tag', 'app:1', name]);
    const push = await isulaOnTty(['push', name]);
    assert.equal(push.code, 0, push.out);
    assert.match(push.out, /\r\x1b\[K[0-9a-f]{12}: Pushing \[[=> ]{30}\] [0-9.]+ ?[kMG]?B\/[0-9.]+ ?[kMG]?B/, JSON.stringify(push.out));
    assert.match(push.out, /\x1b\[\d+A/, 'cursor moved up to redraw the bars');
    assert.match(push.out, /[0-9a-f]{12}: Pushed/);
    await ok(d, ['rmi', name]);
    const pull = await isulaOnTty(['pull', name]);
    assert.equal(pull.code, 0, pull.out);
    assert.match(pull.out, /\r\x1b\[K[0-9a-f]{12}: (Already exists|Pull complete)/, JSON.stringify(pull.out));
  });

  test('an imported rootfs pushes too (new image, Docker v2s2)', async () => {
    const out = await ok(d, ['import', rootfsFixture('busybox-amd64.rootfs.tar'), 'imported:1']);
    const id = out.stdout.trim().replace(/^sha256:/, '');
    const name = `${reg.host}/imported/app:1`;
    await ok(d, ['tag', 'imported:1', name]);
    const pushed = await ok(d, ['push', name]);
    const { m, digest } = await manifestOf('imported/app', '1');
    assert.equal(pushed.stdout.trim(), digest);
    assert.equal(m.config.digest, `sha256:${id}`);
    assert.equal(m.layers.length, 1);
  });

  test('a pulled image whose origin registry is gone is pushed from the layer store', async () => {
    const r = spawnSync('skopeo', ['copy', '-q', '--dest-tls-verify=false', `docker-archive:${rootfsFixture('pause-amd64.docker.tar')}`, `docker://${gone.host}/pause:3`], { encoding: 'utf8', timeout: 300_000 });
    assert.equal(r.status, 0, r.stderr);
    await ok(d, ['pull', `${gone.host}/pause:3`]);
    const id = (JSON.parse((await ok(d, ['inspect', '-f', '{{json .}}', `${gone.host}/pause:3`])).stdout) as { image: { id: string } }).image.id.replace(/^sha256:/, '');
    await gone.stop(); // the origin is unreachable from now on
    const name = `${reg.host}/site/pause:3`;
    await ok(d, ['tag', `${gone.host}/pause:3`, name]);
    const pushed = await ok(d, ['push', name]);
    const { m, digest } = await manifestOf('site/pause', '3');
    assert.equal(pushed.stdout.trim(), digest);
    assert.equal(m.config.digest, `sha256:${id}`, 'the original config');
    assert.match(d.log(), /origin registry unusable/);
  });
});
