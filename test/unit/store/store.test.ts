// The log store against the StateStore contract, plus what only the log store promises: group
// commit, stats and compaction.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { openStore } from '../../../src/store/index.ts';
import type { LogStateStore } from '../../../src/store/index.ts';
import { stateStoreContract } from './state-store-contract.ts';

async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'store-test-'));
}

stateStoreContract('log store', async () => {
  const dir = await tempDir();
  let current: LogStateStore = await openStore(dir);
  return {
    store: current,
    reopen: async () => {
      await current.close();
      current = await openStore(dir);
      return current;
    },
    cleanup: async () => {
      await current.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

test('concurrent puts share commits (group commit)', async () => {
  const dir = await tempDir();
  const store = await openStore(dir);
  try {
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.put('container', `c${i}`, { i })));
    const s = store.stats();
    assert.equal(s.frames, 20);
    assert.ok(s.commits < 20, `20 concurrent puts took ${s.commits} commits`);
  } finally {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
});
