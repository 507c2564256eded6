import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GcPacer } from '../../../src/util/gc-pacer.ts';

test('GcPacer asks for one GC per everyBytes of data, and the Buffers it frees are gone', () => {
  const p = new GcPacer(1 << 20);
  p.add(512 << 10);
  assert.equal(p.count, 0);
  p.add(512 << 10);
  assert.equal(p.count, 1, 'gc is reachable without --expose-gc on the command line');
  for (let i = 0; i < 10; i++) p.add(256 << 10);
  assert.equal(p.count, 3);
  // dead young Buffers are released by the scavenge the pacer asks for. A GC V8 starts by itself
  // between allocation and check can promote them (then only a major GC frees them), so up to 5
  // tries; with no working gc none of them frees anything.
  let freed = false;
  for (let attempt = 0; attempt < 5 && !freed; attempt++) {
    let bufs: Buffer[] | null = [];
    for (let i = 0; i < 16; i++) bufs.push(Buffer.allocUnsafe(256 << 10));
    const held = process.memoryUsage().arrayBuffers;
    bufs = null;
    p.add(1 << 20);
    freed = process.memoryUsage().arrayBuffers < held - (2 << 20);
  }
  assert.ok(freed, 'at least half of 4 MiB of dead Buffers freed');
});
