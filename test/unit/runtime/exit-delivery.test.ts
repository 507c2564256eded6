// ExitDelivery against a real temp dir (inotify) and a reader the test controls: each exit file
// reaches the listeners once per (id, mtime), strays are ignored, forget() lets a new run of the
// id through, and files already there when watching starts are found. No process is spawned.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ExitDelivery, exitInfo } from '../../../src/runtime/exit-delivery.ts';
import type { ExitRecord } from '../../../src/runtime/exit-delivery.ts';
import type { ExitInfo } from '../../../src/runtime/runtime.ts';

/** Waits (bounded) until cond holds; the bound fails the test instead of hanging it. */
async function until(what: string, cond: () => boolean, limitMs = 10_000): Promise<void> {
  const end = Date.now() + limitMs;
  while (!cond()) {
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'exit-delivery-'));
  const exits = new Map<string, ExitRecord>(); // what the "driver" reads for an id
  let reconciled = 0;
  let reads = 0;
  const d = new ExitDelivery({
    dir,
    read: async (id) => {
      reads++;
      await sleep(2); // overlapping events for one file must still deliver once
      return exits.get(id);
    },
    reconcile: async () => {
      reconciled++;
    },
  });
  const got: Array<[string, ExitInfo]> = [];
  return { dir, exits, d, got, reconciled: () => reconciled, reads: () => reads, done: () => (d.close(), rmSync(dir, { recursive: true, force: true })) };
}

test('exitInfo drops the dedupe key only', () => {
  assert.deepEqual(exitInfo({ exitCode: 3, finishedAt: 't', oomKilled: true, mtime: 5n }), { exitCode: 3, finishedAt: 't', oomKilled: true });
});

test('an exit file present before the watch starts is delivered once; reconcile runs once', async () => {
  const s = setup();
  try {
    s.exits.set('a', { exitCode: 7, finishedAt: 't1', mtime: 1n });
    writeFileSync(join(s.dir, 'a'), '7\n');
    s.d.subscribe((id, e) => s.got.push([id, e]));
    s.d.subscribe(() => undefined); // a second listener does not start a second watch
    await until('the delivery', () => s.got.length === 1);
    assert.deepEqual(s.got, [['a', { exitCode: 7, finishedAt: 't1' }]]);
    assert.equal(s.reconciled(), 1);
  } finally {
    s.done();
  }
});

test('several events for one file deliver it once; a new mtime (next run) delivers again; forget resets', async () => {
  const s = setup();
  try {
    s.d.subscribe((id, e) => s.got.push([id, e]));
    s.exits.set('b', { exitCode: 0, finishedAt: 't1', mtime: 10n });
    for (let i = 0; i < 5; i++) writeFileSync(join(s.dir, 'b'), '0\n'); // one inotify event per write
    await until('the first delivery', () => s.got.length >= 1);
    await until('every event read', () => s.reads() >= 2);
    await sleep(50);
    assert.equal(s.got.length, 1, 'delivered once for one mtime');
    s.exits.set('b', { exitCode: 1, finishedAt: 't2', mtime: 11n });
    writeFileSync(join(s.dir, 'b'), '1\n');
    await until('the second run', () => s.got.length === 2);
    assert.deepEqual(s.got[1], ['b', { exitCode: 1, finishedAt: 't2' }]);
    // removed and recreated with the same id: forget lets the same mtime through again
    s.d.forget('b');
    writeFileSync(join(s.dir, 'b'), '1\n');
    await until('the delivery after forget', () => s.got.length === 3);
  } finally {
    s.done();
  }
});

test('a file the reader does not know (stray, or a removed container) is not delivered; a throwing listener does not stop the others', async () => {
  const s = setup();
  try {
    s.d.subscribe(() => {
      throw new Error('listener bug');
    });
    s.d.subscribe((id, e) => s.got.push([id, e]));
    writeFileSync(join(s.dir, 'stray'), 'x');
    s.exits.set('c', { exitCode: 2, finishedAt: 't', mtime: 1n });
    writeFileSync(join(s.dir, 'c'), '2\n');
    await until('c', () => s.got.length === 1);
    assert.deepEqual(s.got.map(([id]) => id), ['c']);
  } finally {
    s.done();
  }
});

test('after close nothing is delivered (an open delivery on the same dir shows the event came)', async () => {
  const s = setup();
  const open = new ExitDelivery({ dir: s.dir, read: async (id) => s.exits.get(id), reconcile: async () => undefined });
  const seen: string[] = [];
  try {
    s.d.subscribe((id, e) => s.got.push([id, e]));
    open.subscribe((id) => seen.push(id));
    s.d.close();
    s.exits.set('d', { exitCode: 0, finishedAt: 't', mtime: 1n });
    writeFileSync(join(s.dir, 'd'), '0\n');
    await until('the open delivery', () => seen.length === 1);
    await sleep(20);
    assert.equal(s.got.length, 0);
  } finally {
    open.close();
    s.done();
  }
});
