// isula commit through the real daemon, CLI, overlayfs and runtime: a container's writable layer
// (a new file, a whiteout, an opaque directory) becomes one more layer on top of its image's, the
// config records author, message, -c changes, history and diff IDs; the committed image runs with
// exactly those changes; a running container is committed frozen (default) or live (--pause=false)
// and keeps running; and the committed image goes to Debian's docker-registry with `isula push`,
// is removed, pulled back and run.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { RegistryClient } from '../../src/image/registry/client.ts';
import { startDaemon } from '../helpers/daemon.ts';
import type { Daemon } from '../helpers/daemon.ts';
import { startRegistry } from '../helpers/registry.ts';
import type { Registry } from '../helpers/registry.ts';
import { RUNTIMES, canRun, inspectField, ok, skipReason, until } from './container-fixture.ts';

interface ImageSpec {
  author?: string;
  config: { Cmd?: string[]; Env?: string[]; Labels?: Record<string, string> };
  rootfs: { diff_ids: string[] };
  history: Array<{ author?: string; comment?: string; created_by?: string }>;
}

describe('isula commit', { skip: skipReason }, () => {
  let reg: Registry;
  let d: Daemon;

  before(async () => {
    if (!canRun) return;
    reg = await startRegistry();
    d = await startDaemon({ config: { 'insecure-registries': [reg.host] } });
  });

  after(async () => {
    await d?.stop();
    await reg?.stop();
  });

  const spec = async (ref: string): Promise<{ id: string; Spec: ImageSpec }> =>
    (JSON.parse((await ok(d, ['inspect', '-f', '{{json .}}', ref])).stdout) as { image: { id: string; Spec: ImageSpec } }).image;

  test('a stopped container: new file, whiteout and opaque dir become one layer; -a/-m/-c recorded', async () => {
    await ok(d, ['run', '--name', 'c1', 'busybox', 'sh', '-c', 'echo committed > /data.txt; rm /etc/group; rm -rf /home; mkdir /home; echo n > /home/new']);
    const base = await spec('busybox');
    const r = await ok(d, ['commit', '-a', 'Tester <t@example.com>', '-m', 'first commit', '-c', 'CMD ["cat","/data.txt"]', '-c', 'ENV FOO=bar', '-c', 'LABEL stage=snap', 'c1', 'snap:1']);
    assert.match(r.stdout, /^sha256:[0-9a-f]{64}\n$/);
    const img = await spec('snap:1');
    assert.equal(r.stdout.trim(), `sha256:${img.id}`);
    assert.deepEqual(img.Spec.rootfs.diff_ids.slice(0, -1), base.Spec.rootfs.diff_ids, "the image's layers, then one more");
    assert.equal(img.Spec.rootfs.diff_ids.length, base.Spec.rootfs.diff_ids.length + 1);
    assert.equal(img.Spec.history.length, base.Spec.history.length + 1);
    const h = img.Spec.history.at(-1);
    assert.equal(h?.author, 'Tester <t@example.com>');
    assert.equal(h?.comment, 'first commit');
    assert.match(h?.created_by ?? '', /^sh -c echo committed/);
    assert.equal(img.Spec.author, 'Tester <t@example.com>');
    assert.deepEqual(img.Spec.config.Cmd, ['cat', '/data.txt']);
    assert.ok(img.Spec.config.Env?.includes('FOO=bar'));
    assert.equal(img.Spec.config.Labels?.stage, 'snap');

    assert.equal((await ok(d, ['run', '--rm', 'snap:1'])).stdout, 'committed\n', 'CMD from -c, file from the new layer');
    const seen = await ok(d, ['run', '--rm', 'snap:1', 'sh', '-c', 'test -e /etc/group && echo group-present; test -e /etc/passwd && echo passwd-present; ls /home; echo "$FOO"']);
    assert.equal(seen.stdout, 'passwd-present\nnew\nbar\n', 'whiteout hides /etc/group, opaque /home hides /home/user');
    // the base image is untouched
    assert.match((await ok(d, ['run', '--rm', 'busybox', 'sh', '-c', 'ls /etc/group /home'])).stdout, /\/etc\/group\n[\s\S]*user/);
  });

  test('commit of an untagged image and of unknown things', async () => {
    const r = await ok(d, ['commit', 'c1']);
    const id = r.stdout.trim().replace(/^sha256:/, '');
    assert.equal(await inspectField(d, id, '{{.image.id}}'), id);
    const bad = await d.isula(['commit', '-c', 'RUN echo', 'c1', 'x:1']);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /RUN is not a valid change command/);
    const none = await d.isula(['commit', 'no-such-container', 'x:1']);
    assert.notEqual(none.code, 0);
    assert.match(none.stderr, /No such container|not found/i);
  });

  test('a running container is committed frozen by default, live with --pause=false, and keeps running', async () => {
    await ok(d, ['run', '-d', '--name', 'live', 'busybox', 'sh', '-c', 'echo live > /live.txt; while true; do sleep 1; done']);
    await until('the container wrote its file', async () => (await d.isula(['exec', 'live', 'cat', '/live.txt'])).stdout === 'live\n');
    await ok(d, ['commit', 'live', 'live:1']);
    assert.equal(await inspectField(d, 'live', '{{.State.Running}}'), 'true');
    assert.equal(await inspectField(d, 'live', '{{.State.Paused}}'), 'false');
    assert.equal((await ok(d, ['exec', 'live', 'echo', 'still-here'])).stdout, 'still-here\n', 'thawed after the commit');
    await ok(d, ['exec', 'live', 'sh', '-c', 'echo again > /again.txt']);
    await ok(d, ['commit', '--pause=false', 'live', 'live:2']);
    assert.equal((await ok(d, ['run', '--rm', 'live:1', 'cat', '/live.txt'])).stdout, 'live\n');
    assert.equal((await ok(d, ['run', '--rm', 'live:2', 'cat', '/live.txt', '/again.txt'])).stdout, 'live\nagain\n');
    await ok(d, ['rm', '-f', 'live']);
  });

  const runc = RUNTIMES.find((r) => r.name === 'runc');
  test('runc: a running container is frozen by runc for the commit and keeps running', { skip: runc?.skip ?? 'no runc row' }, async () => {
    await ok(d, ['run', '-d', '--runtime', 'runc', '--name', 'live-runc', 'busybox', 'sh', '-c', 'echo runc > /r.txt; while true; do sleep 1; done']);
    await until('the container wrote its file', async () => (await d.isula(['exec', 'live-runc', 'cat', '/r.txt'])).stdout === 'runc\n');
    await ok(d, ['commit', 'live-runc', 'live-runc:1']);
    assert.equal(await inspectField(d, 'live-runc', '{{.State.Running}}'), 'true');
    assert.equal(await inspectField(d, 'live-runc', '{{.State.Paused}}'), 'false');
    assert.equal((await ok(d, ['exec', 'live-runc', 'echo', 'thawed'])).stdout, 'thawed\n');
    assert.equal((await ok(d, ['run', '--rm', 'live-runc:1', 'cat', '/r.txt'])).stdout, 'runc\n');
    await ok(d, ['rm', '-f', 'live-runc']);
  });

  test('the committed image is pushed to docker-registry, removed, pulled back and run', async () => {
    const name = `${reg.host}/edge/snap:1`;
    await ok(d, ['tag', 'snap:1', name]);
    const base = await spec('busybox');
    const pushed = await ok(d, ['push', name]);
    const c = new RegistryClient({ endpoint: { host: reg.host, url: new URL(`http://${reg.host}/`), tls: {}, insecure: true } });
    try {
      const got = await c.getManifest('edge/snap', '1');
      assert.equal(pushed.stdout.trim(), got.digest);
      const m = JSON.parse(got.bytes.toString()) as { layers: unknown[] };
      assert.equal(m.layers.length, base.Spec.rootfs.diff_ids.length + 1);
    } finally {
      c.close();
    }
    await ok(d, ['rm', 'c1']);
    for (const img of (await ok(d, ['images', '-q'])).stdout.trim().split('\n')) {
      if (img !== '' && img !== base.id.slice(0, 12)) await d.isula(['rmi', '-f', img]);
    }
    assert.notEqual((await d.isula(['inspect', name])).code, 0, 'gone before the pull');
    await ok(d, ['pull', name]);
    assert.equal((await ok(d, ['run', '--rm', name])).stdout, 'committed\n');
    const seen = await ok(d, ['run', '--rm', name, 'sh', '-c', 'test -e /etc/group && echo group-present; ls /home']);
    assert.equal(seen.stdout, 'new\n');
  });
});
