// A full disk: a failed append is cut off and fails only its own calls; the store goes on and
// reopens to exactly the calls that succeeded. A compaction that cannot be written keeps the old
// log. Needs root to mount a tiny tmpfs (CI runs as root).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { openStore } from '../../src/store/index.ts';
import { setLogSink } from '../../src/util/log.ts';

setLogSink(() => {}); // the failed compaction logs an error on purpose

const isRoot = process.getuid?.() === 0;

test('ENOSPC: failed writes are rolled back, the store goes on, reopen matches', { skip: !isRoot && 'needs root to mount a tmpfs' }, async () => {
  const mnt = await mkdtemp(join(tmpdir(), 'store-full-'));
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', mnt], { encoding: 'utf8' });
  assert.equal(mounted.status, 0, `mount: ${mounted.stderr}`);
  try {
    const dir = join(mnt, 'store');
    const store = await openStore(dir);
    const ok: string[] = [];
    let failure: unknown;
    for (let i = 0; i < 100 && failure === undefined; i++) {
      // Distinct content per record, so no write is skipped or shrunk to a delta.
      const value = { i, blob: `${i}`.padStart(12 * 1024, String.fromCharCode(97 + (i % 26))) };
      try {
        await store.put('container', `c${i}`, value);
        ok.push(`c${i}`);
      } catch (err) {
        failure = err;
      }
    }
    assert.ok(failure, 'the disk never filled up');
    assert.equal((failure as { kind?: string }).kind, 'resource-exhausted', String(failure));
    assert.ok(ok.length > 3);
    assert.equal((await stat(join(dir, 'state.log'))).size, store.stats().logBytes, 'the partial frame is cut off');
    assert.deepEqual(store.ids('container'), ok);

    // Not enough room for a snapshot next to the log: compaction fails, the old log stays.
    await assert.rejects(store.compact(), { kind: 'resource-exhausted' });
    // Freed space is usable again: the store is not broken by either failure.
    await store.delete('container', ok[0]!);
    await store.put('meta', 'after', { small: true });
    await store.close();

    const again = await openStore(dir);
    try {
      assert.deepEqual(again.ids('container'), ok.slice(1));
      assert.deepEqual(again.get('meta', 'after'), { small: true });
    } finally {
      await again.close();
    }
  } finally {
    spawnSync('umount', [mnt]);
    await rm(mnt, { recursive: true, force: true });
  }
});
