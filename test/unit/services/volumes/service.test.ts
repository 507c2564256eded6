// VolumeService on a real store and temp graph: users come from the records callback and from
// holds of creates in flight; one name is never made twice; prune takes only unused volumes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../../../src/store/index.ts';
import { VolumeService } from '../../../../src/services/volumes/service.ts';

async function withService(fn: (v: VolumeService, users: Map<string, string[]>) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'isulad-volsvc-'));
  const store = await openStore(join(dir, 'store'));
  try {
    const users = new Map<string, string[]>();
    const v = new VolumeService({ graph: join(dir, 'graph'), store, users: () => users });
    await fn(v, users);
  } finally {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
}

test('two creates naming one new volume share it; only one copies up', () =>
  withService(async (v) => {
    const [a, b] = await Promise.all([v.acquire('shared', 'c1'), v.acquire('shared', 'c2')]);
    assert.equal(a.volume.Name, 'shared');
    assert.equal(b.path, a.path);
    assert.deepEqual([a.created, b.created].sort(), [false, true]);
    assert.equal(v.list().length, 1);
  }));

test('a held volume and a volume a record names cannot be removed or pruned', () =>
  withService(async (v, users) => {
    await v.acquire('held', 'c1');
    await v.acquire('used', 'c2');
    v.release('c2');
    users.set('used', ['c2']);
    await v.acquire('free', 'c3');
    v.release('c3');
    await assert.rejects(v.remove('held'), /remove volume held failed: volume is used by container c1/);
    await assert.rejects(v.remove('used'), /volume is used by container c2/);
    await assert.rejects(v.remove('nosuch'), /No such volume: nosuch/);
    assert.deepEqual(await v.prune(), ['free']);
    v.release('c1');
    users.clear();
    assert.deepEqual((await v.prune()).sort(), ['held', 'used']);
    assert.deepEqual(v.list(), []);
  }));
