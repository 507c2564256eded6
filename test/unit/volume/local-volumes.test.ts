// LocalVolumes on a real state store and a temp graph: layout and modes, names, copy-up (modes
// kept; a symlink in the image pointing at a host path copies nothing), removal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, readFile, readdir, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../../src/store/index.ts';
import { LocalVolumes } from '../../../src/volume/local-volumes.ts';

async function withVolumes(fn: (v: LocalVolumes, dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'isulad-vol-'));
  const store = await openStore(join(dir, 'store'));
  try {
    await fn(new LocalVolumes(join(dir, 'graph'), store), dir);
  } finally {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
}

test('ensure makes <graph>/volumes/<name>/_data (0700 / 0755) once and records it', () =>
  withVolumes(async (v, dir) => {
    const a = await v.ensure('data');
    assert.equal(a.created, true);
    assert.equal((await stat(join(dir, 'graph/volumes/data'))).mode & 0o777, 0o700);
    assert.equal((await stat(join(dir, 'graph/volumes/data/_data'))).mode & 0o777, 0o755);
    const b = await v.ensure('data');
    assert.equal(b.created, false);
    const anon = await v.ensure(undefined);
    assert.match(anon.volume.Name, /^[0-9a-f]{64}$/);
    assert.equal(anon.volume.Anonymous, true);
    assert.deepEqual(v.list().map((x) => [x.Name, x.Driver, x.Anonymous]), [['data', 'local', false], [anon.volume.Name, 'local', true]]);
  }));

test('init makes <graph>/volumes (0700) and refuses a file in its place', () =>
  withVolumes(async (v, dir) => {
    await v.init();
    assert.equal((await stat(join(dir, 'graph/volumes'))).mode & 0o777, 0o700);
    await v.init();
    await rm(join(dir, 'graph/volumes'), { recursive: true });
    await writeFile(join(dir, 'graph/volumes'), '');
    const p = join(dir, 'graph/volumes');
    await assert.rejects(v.init(), { message: `Failed to init volume: create volume directory ${p} failed: ${p} exists and is not a directory` });
  }));

test('names follow [a-zA-Z0-9][a-zA-Z0-9_.-]+', () =>
  withVolumes(async (v) => {
    for (const bad of ['a', '-ab', 'a/b', '..', 'a b']) await assert.rejects(v.ensure(bad), /Invalid volume name/);
    assert.equal(v.list().length, 0);
  }));

test('copyUp keeps modes; links are followed inside the rootfs, never to the host (issue 13 item 1)', () =>
  withVolumes(async (v, dir) => {
    const rootfs = join(dir, 'rootfs');
    await mkdir(join(rootfs, 'etc'), { recursive: true });
    await writeFile(join(rootfs, 'etc/secret'), 's');
    await chmod(join(rootfs, 'etc/secret'), 0o640);
    await chmod(join(rootfs, 'etc'), 0o750);
    await symlink('/etc', join(rootfs, 'hostetc'));
    await symlink('etc', join(rootfs, 'rel'));
    await v.ensure('va');
    await v.copyUp('va', rootfs, '/etc');
    assert.equal(await readFile(join(v.dataPath('va'), 'secret'), 'utf8'), 's');
    assert.equal((await stat(join(v.dataPath('va'), 'secret'))).mode & 0o777, 0o640);
    assert.equal((await stat(v.dataPath('va'))).mode & 0o777, 0o750);
    // an absolute link means the image's /etc, as the container sees it; `..` stops at the root
    await symlink('../../../../../etc', join(rootfs, 'up'));
    await symlink('/nowhere/x', join(rootfs, 'dangling'));
    await symlink('loop', join(rootfs, 'loop'));
    for (const [vol, path] of [['vb', '/hostetc'], ['vd', '/up']] as const) {
      await v.ensure(vol);
      await v.copyUp(vol, rootfs, path);
      assert.deepEqual(await readdir(v.dataPath(vol)), ['secret'], `${path}: the image's /etc, not the host's`);
    }
    for (const [vol, path] of [['ve', '/dangling'], ['vf', '/loop'], ['vg', '/hostetc/secret']] as const) {
      await v.ensure(vol);
      await v.copyUp(vol, rootfs, path);
      assert.deepEqual(await readdir(v.dataPath(vol)), [], `${path}: nothing to copy`);
    }
    await v.ensure('vc');
    await v.copyUp('vc', rootfs, '/rel');
    assert.deepEqual(await readdir(v.dataPath('vc')), ['secret']);
    await v.copyUp('vc', rootfs, '/missing');
  }));

test('remove deletes the record and the files; a missing volume is not-found', () =>
  withVolumes(async (v, dir) => {
    await v.ensure('gone');
    await v.remove('gone');
    assert.equal(v.get('gone'), undefined);
    await assert.rejects(stat(join(dir, 'graph/volumes/gone')));
    await assert.rejects(v.remove('gone'), /No such volume: gone/);
  }));
