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

async function withStore(fn: (store: LogStateStore, dir: string) => Promise<void>): Promise<void> {
  const dir = await tempDir();
  const store = await openStore(dir);
  try {
    await fn(store, dir);
  } finally {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
}

const bigRecord = (pid: number, running: boolean) => ({
  id: 'f'.repeat(64),
  name: 'web',
  config: { env: Array.from({ length: 20 }, (_, i) => `VAR_${i}=some fairly long value ${i}`), cmd: ['httpd', '-f'] },
  state: { running, pid, exitCode: 0, startedAt: '2026-11-27T19:03:11Z' },
  labels: { app: 'web', tier: 'edge' },
});

test('a re-put that changes a few fields writes a small delta; reopen reads the whole new value', async () => {
  await withStore(async (store, dir) => {
    await store.put('container', 'c1', bigRecord(1, true));
    const first = store.stats().bytesWritten;
    await store.put('container', 'c1', bigRecord(2, false));
    const delta = store.stats().bytesWritten - first;
    assert.ok(delta * 5 < first, `delta of ${delta} B vs ${first} B for the full record`);
    assert.deepEqual(store.get('container', 'c1'), bigRecord(2, false));
    await store.close();
    const again = await openStore(dir);
    try {
      const got = again.get('container', 'c1');
      assert.deepEqual(got, bigRecord(2, false));
      assert.equal(JSON.stringify(got), JSON.stringify(bigRecord(2, false)), 'key order kept');
    } finally {
      await again.close();
    }
  });
});

test('putting an unchanged value or deleting a missing id writes nothing and costs no fsync', async () => {
  await withStore(async (store) => {
    await store.put('container', 'c1', bigRecord(1, true));
    const before = store.stats();
    await store.put('container', 'c1', bigRecord(1, true));
    await store.delete('container', 'missing');
    await store.batch([
      { op: 'put', kind: 'container', id: 'c1', value: bigRecord(1, true) },
      { op: 'delete', kind: 'image', id: 'missing' },
    ]);
    assert.deepEqual(store.stats(), before);
  });
});

test('deltas within one batch and one group follow the ops before them', async () => {
  await withStore(async (store, dir) => {
    await store.put('container', 'c2', bigRecord(9, true));
    await Promise.all([
      store.batch([
        { op: 'put', kind: 'container', id: 'c1', value: bigRecord(1, true) },
        { op: 'put', kind: 'container', id: 'c1', value: bigRecord(2, true) },
        { op: 'delete', kind: 'container', id: 'c2' },
        { op: 'put', kind: 'container', id: 'c2', value: bigRecord(3, false) },
      ]),
      store.put('container', 'c1', bigRecord(4, false)),
      store.put('container', 'c2', bigRecord(5, false)),
      store.delete('container', 'c2'),
    ]);
    const want = { ids: ['c1'], c1: bigRecord(4, false) };
    assert.deepEqual({ ids: store.ids('container'), c1: store.get('container', 'c1') }, want);
    await store.close();
    const again = await openStore(dir);
    try {
      assert.deepEqual({ ids: again.ids('container'), c1: again.get('container', 'c1') }, want);
    } finally {
      await again.close();
    }
  });
});

test('deltas survive compaction in between', async () => {
  await withStore(async (store, dir) => {
    await store.put('container', 'c1', bigRecord(1, true));
    await store.put('container', 'c1', bigRecord(2, true));
    await store.compact();
    await store.put('container', 'c1', bigRecord(3, false));
    await store.close();
    const again = await openStore(dir);
    try {
      assert.deepEqual(again.get('container', 'c1'), bigRecord(3, false));
    } finally {
      await again.close();
    }
  });
});

test('64-hex ids are stored as 32 bytes and come back as the same strings', async () => {
  const hexId = '0123456789abcdef'.repeat(4);
  const lookalikes = ['0123456789ABCDEF'.repeat(4), 'x'.repeat(64), `${hexId}0`, hexId.slice(1), `sha256:${hexId}`];
  await withStore(async (store, dir) => {
    const cost = async (id: string) => {
      const before = store.stats().bytesWritten;
      await store.put('container', id, { n: id.length });
      return store.stats().bytesWritten - before;
    };
    const hexCost = await cost(hexId);
    // Same length, not lower-case hex: a 66-byte text string instead of a 34-byte byte string.
    assert.equal((await cost(lookalikes[0]!)) - hexCost, 32);
    assert.equal((await cost(lookalikes[1]!)) - hexCost, 32);
    for (const id of lookalikes.slice(2)) await cost(id);
    await store.close();
    const again = await openStore(dir);
    try {
      assert.deepEqual(again.ids('container'), [hexId, ...lookalikes]);
      assert.deepEqual(again.get('container', hexId), { n: 64 });
      assert.deepEqual(again.get('container', lookalikes[4]!), { n: 71 });
    } finally {
      await again.close();
    }
  });
});

test('a call too big for one frame fails alone, with invalid-argument', async () => {
  await withStore(async (store) => {
    const huge = 'h'.repeat(65 * 1024 * 1024);
    const results = await Promise.allSettled([
      store.put('container', 'small-1', { a: 1 }),
      store.put('image', 'huge', { huge }),
      store.put('container', 'small-2', { a: 2 }),
    ]);
    assert.deepEqual(
      results.map((r) => r.status),
      ['fulfilled', 'rejected', 'fulfilled'],
    );
    assert.equal((results[1] as PromiseRejectedResult).reason.kind, 'invalid-argument');
    assert.deepEqual(store.ids('container'), ['small-1', 'small-2']);
    assert.equal(store.get('image', 'huge'), undefined);
  });
});
