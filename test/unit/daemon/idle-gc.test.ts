// The idle collector: after the heap grew by garbage and the loop went quiet, it collects and the
// heap's committed size comes back down; while nothing grew it does nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { getHeapStatistics } from 'node:v8';
import { startIdleGc } from '../../../src/daemon/idle-gc.ts';

test('an idle process whose heap grew by garbage is collected once, and the heap shrinks', async () => {
  const gc = startIdleGc({ checkMs: 300, growBytes: 2 << 20 });
  try {
    await sleep(700); // settle the baseline on an idle loop
    const before = gc.count;
    // ~24 MB of objects that are garbage as soon as this block ends
    let keep: Array<{ a: number; b: string }> | undefined = [];
    for (let i = 0; i < 300_000; i++) keep.push({ a: i, b: `s${i}` });
    const grown = getHeapStatistics().total_heap_size;
    keep = undefined;
    for (let i = 0; i < 30 && gc.count === before; i++) await sleep(200);
    assert.ok(gc.count > before, 'no idle collection happened');
    assert.ok(getHeapStatistics().total_heap_size < grown, 'the heap did not shrink');
    assert.equal(keep, undefined);
  } finally {
    gc.stop();
  }
});

test('nothing grew: no collection', async () => {
  const gc = startIdleGc({ checkMs: 100, growBytes: 64 << 20 });
  try {
    await sleep(600);
    assert.equal(gc.count, 0);
  } finally {
    gc.stop();
  }
});
