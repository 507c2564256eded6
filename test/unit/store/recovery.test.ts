// Opening damaged logs: what is dropped, what is refused, what repair keeps.
import assert from 'node:assert/strict';
import { link, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { crc32 } from 'node:zlib';
import { FRAME_HEADER_BYTES, encodeFileHeader, scanFrames } from '../../../src/store/frame.ts';
import { openStore } from '../../../src/store/index.ts';
import type { LogStateStore } from '../../../src/store/index.ts';
import { setLogSink } from '../../../src/util/log.ts';

const warnings: string[] = [];
setLogSink((line) => void warnings.push(line));

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'store-recovery-'));
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Five commits, one frame each: c1..c5. Returns the log bytes and frame offsets. */
async function fiveCommits(dir: string): Promise<{ log: Buffer; offsets: number[] }> {
  const s = await openStore(dir);
  for (let i = 1; i <= 5; i++) await s.put('container', `c${i}`, { name: `n${i}`, i });
  await s.close();
  const log = await readFile(join(dir, 'state.log'));
  return { log, offsets: scanFrames(log).frames.map((f) => f.offset) };
}

async function idsAfterOpen(dir: string, opts = {}): Promise<string[]> {
  const s = await openStore(dir, opts);
  try {
    return s.ids('container');
  } finally {
    await s.close();
  }
}

test('torn tail: a partly written last frame is dropped, the file truncated, later writes land', async () => {
  await withDir(async (dir) => {
    const { log, offsets } = await fiveCommits(dir);
    const cut = offsets[4]! + FRAME_HEADER_BYTES + 3;
    await writeFile(join(dir, 'state.log'), log.subarray(0, cut));
    warnings.length = 0;
    const s = await openStore(dir);
    assert.deepEqual(s.ids('container'), ['c1', 'c2', 'c3', 'c4']);
    assert.equal((await stat(join(dir, 'state.log'))).size, offsets[4]);
    assert.ok(warnings.some((w) => w.includes('WARN') && w.includes('torn tail')), warnings.join(''));
    await s.put('container', 'c6', { i: 6 });
    await s.close();
    assert.deepEqual(await idsAfterOpen(dir), ['c1', 'c2', 'c3', 'c4', 'c6']);
  });
});

test('torn tail: zeros after the last frame (size grew, data did not) are dropped', async () => {
  await withDir(async (dir) => {
    const { log } = await fiveCommits(dir);
    await writeFile(join(dir, 'state.log'), Buffer.concat([log, Buffer.alloc(8192)]));
    assert.deepEqual(await idsAfterOpen(dir), ['c1', 'c2', 'c3', 'c4', 'c5']);
    assert.equal((await stat(join(dir, 'state.log'))).size, log.length);
  });
});

test('torn tail: a flipped byte in the last frame drops only that frame', async () => {
  await withDir(async (dir) => {
    const { log, offsets } = await fiveCommits(dir);
    log[offsets[4]! + FRAME_HEADER_BYTES + 2]! ^= 0x40;
    await writeFile(join(dir, 'state.log'), log);
    assert.deepEqual(await idsAfterOpen(dir), ['c1', 'c2', 'c3', 'c4']);
  });
});

test('corrupt middle: open fails with data-loss naming file and offset; the file is untouched', async () => {
  await withDir(async (dir) => {
    const { log, offsets } = await fiveCommits(dir);
    log[offsets[2]! + FRAME_HEADER_BYTES + 4]! ^= 0x01;
    const path = join(dir, 'state.log');
    await writeFile(path, log);
    await assert.rejects(openStore(dir), (err: Error & { kind?: string }) => {
      assert.equal(err.kind, 'data-loss');
      assert.ok(err.message.includes(path), err.message);
      assert.ok(err.message.includes(`offset ${offsets[2]}`), err.message);
      return true;
    });
    assert.deepEqual(await readFile(path), log, 'a refused open changes nothing');
    assert.ok(!(await readdir(dir)).includes('store.lock'), 'a failed open releases the lock');
  });
});

test('corrupt middle with repair: keeps the valid prefix and the damaged file aside', async () => {
  await withDir(async (dir) => {
    const { log, offsets } = await fiveCommits(dir);
    log[offsets[2]! + 1]! ^= 0x10; // the length field this time
    await writeFile(join(dir, 'state.log'), log);
    const s = await openStore(dir, { repair: true });
    assert.deepEqual(s.ids('container'), ['c1', 'c2']);
    assert.deepEqual(s.get('container', 'c2'), { name: 'n2', i: 2 });
    await s.put('container', 'c7', { i: 7 });
    await s.close();
    const aside = (await readdir(dir)).filter((f) => f.startsWith('state.log.damaged-'));
    assert.equal(aside.length, 1);
    assert.deepEqual(await readFile(join(dir, aside[0]!)), log, 'the damaged bytes are kept as they were');
    assert.deepEqual(await idsAfterOpen(dir), ['c1', 'c2', 'c7'], 'the repaired store opens without repair');
  });
});

test('a frame whose checksum matches but whose CBOR does not decode is data-loss, never dropped', async () => {
  await withDir(async (dir) => {
    const { log, offsets } = await fiveCommits(dir);
    // Rewrite frame 4's payload with an undecodable byte and a matching checksum: a writer bug,
    // not a torn write, so even as the last frame it must not vanish silently.
    const at = offsets[4]!;
    const len = log.readUInt32LE(at) & 0x7fffffff;
    log[at + FRAME_HEADER_BYTES] = 0xff; // CBOR "break" where an item is expected
    const sum = crc32(log.subarray(at + FRAME_HEADER_BYTES, at + FRAME_HEADER_BYTES + len), crc32(log.subarray(at, at + 8)));
    log.writeUInt32LE(sum, at + 8);
    await writeFile(join(dir, 'state.log'), log);
    await assert.rejects(openStore(dir), { kind: 'data-loss' });
    assert.deepEqual(await idsAfterOpen(dir, { repair: true }), ['c1', 'c2', 'c3', 'c4']);
  });
});

test('empty log file opens as an empty store', async () => {
  await withDir(async (dir) => {
    await writeFile(join(dir, 'state.log'), '');
    const s = await openStore(dir);
    assert.deepEqual(s.ids('container'), []);
    await s.put('container', 'c1', {});
    await s.close();
    assert.deepEqual(await idsAfterOpen(dir), ['c1']);
  });
});

test('truncated or foreign file header is data-loss; repair starts empty and keeps the file', async () => {
  for (const bytes of [encodeFileHeader().subarray(0, 9), Buffer.from('{"not":"a store"}\n')]) {
    await withDir(async (dir) => {
      await writeFile(join(dir, 'state.log'), bytes);
      await assert.rejects(openStore(dir), { kind: 'data-loss' });
      assert.deepEqual(await idsAfterOpen(dir, { repair: true }), []);
      const aside = (await readdir(dir)).filter((f) => f.startsWith('state.log.damaged-'));
      assert.deepEqual(await readFile(join(dir, aside[0]!)), bytes);
    });
  }
});

test('a newer format version is refused, even with repair, and left alone', async () => {
  await withDir(async (dir) => {
    const h = encodeFileHeader();
    h.writeUInt16LE(9, 8);
    h.writeUInt32LE(crc32(h.subarray(0, 12)), 12);
    await writeFile(join(dir, 'state.log'), h);
    await assert.rejects(openStore(dir), { kind: 'failed-precondition' });
    await assert.rejects(openStore(dir, { repair: true }), { kind: 'failed-precondition' });
    assert.deepEqual(await readFile(join(dir, 'state.log')), h);
  });
});

test('a leftover compaction file from a crash is ignored and removed', async () => {
  await withDir(async (dir) => {
    await fiveCommits(dir);
    await writeFile(join(dir, 'state.log.compact'), Buffer.concat([encodeFileHeader(), Buffer.from('half')]));
    assert.deepEqual(await idsAfterOpen(dir), ['c1', 'c2', 'c3', 'c4', 'c5']);
    assert.ok(!(await readdir(dir)).includes('state.log.compact'));
  });
});

test('compaction keeps state and order, shrinks the log, and survives reopen', async () => {
  await withDir(async (dir) => {
    let s: LogStateStore = await openStore(dir, { compactMinBytes: 8 * 1024, compactRatio: 4 });
    for (let i = 0; i < 20; i++) await s.put('container', `c${i}`, { i, name: `web-${i}` });
    await s.delete('container', 'c13');
    await s.put('image', 'busybox', { layers: ['sha256:aa'] });
    for (let round = 0; round < 300; round++) await s.put('container', `c${round % 5}`, { i: round, state: 'running' });
    const st = s.stats();
    assert.ok(st.compactions >= 1, `no compaction after ${st.bytesWritten} bytes`);
    assert.ok(st.logBytes < 8 * 1024 * 2, `log is ${st.logBytes} bytes`);
    const want = { ids: s.ids('container'), list: s.list('container'), img: s.get('image', 'busybox') };
    assert.equal(want.ids.length, 19);
    assert.deepEqual(want.ids.slice(0, 3), ['c0', 'c1', 'c2']);
    await s.compact(); // explicit, on top of the automatic ones
    assert.deepEqual({ ids: s.ids('container'), list: s.list('container'), img: s.get('image', 'busybox') }, want);
    await s.close();
    s = await openStore(dir);
    assert.deepEqual({ ids: s.ids('container'), list: s.list('container'), img: s.get('image', 'busybox') }, want);
    await s.put('container', 'after', { x: 1 });
    await s.close();
    assert.equal((await idsAfterOpen(dir)).at(-1), 'after');
  });
});

test('the lock refuses a second open, is released by close, and a stale one is taken over', async () => {
  await withDir(async (dir) => {
    const s = await openStore(dir);
    await assert.rejects(openStore(dir), { kind: 'unavailable' });
    await s.close();
    assert.ok(!(await readdir(dir)).includes('store.lock'));
    // pid 1 is alive but has another start time than recorded: a recycled pid, so stale.
    for (const stale of ['1 not-its-start-time\n', '999999999 5\n', 'garbage\n', '']) {
      await writeFile(join(dir, 'store.lock'), stale);
      const again = await openStore(dir);
      const held = await readFile(join(dir, 'store.lock'), 'latin1');
      assert.match(held, new RegExp(`^${process.pid} \\d+\\n$`));
      await again.close();
    }
  });
});

test('scratch files left by openers killed mid-lock are removed once the lock is held', async () => {
  await withDir(async (dir) => {
    await writeFile(join(dir, 'store.lock.999999999.new'), '999999999 1\n');
    await writeFile(join(dir, 'store.lock.999999998.stale'), '999999998 1\n');
    await writeFile(join(dir, `store.lock.${process.ppid}.new`), 'a live pid: maybe in use\n');
    const s = await openStore(dir);
    await s.close();
    assert.deepEqual((await readdir(dir)).sort(), ['state.log', `store.lock.${process.ppid}.new`]);
  });
});

test('a lock held by a live process (pid + matching start time) is respected', async () => {
  await withDir(async (dir) => {
    // Our own entry, written by hand, is exactly what another live holder looks like.
    const s = await openStore(dir);
    const held = await readFile(join(dir, 'store.lock'), 'latin1');
    await s.close();
    await writeFile(join(dir, 'store.lock.x'), held);
    await link(join(dir, 'store.lock.x'), join(dir, 'store.lock'));
    await assert.rejects(openStore(dir), /locked by running process/);
  });
});

test('a delta whose base record is not in the log is data-loss, not a guess', async () => {
  await withDir(async (dir) => {
    const s = await openStore(dir);
    const rec = (pid: number) => ({ name: 'web', env: ['A=1', 'B=2', 'C=3'], state: { pid, running: true } });
    await s.put('container', 'c1', rec(1));
    await s.put('container', 'c1', rec(2)); // written as a delta
    await s.close();
    const log = await readFile(join(dir, 'state.log'));
    const [full, delta] = scanFrames(log).frames;
    assert.ok(full && delta && delta.payload.length < full.payload.length);
    // Cut the full put out: the delta is intact and checksummed, but has nothing to apply to.
    await writeFile(join(dir, 'state.log'), Buffer.concat([log.subarray(0, full.offset), log.subarray(delta.offset)]));
    await assert.rejects(openStore(dir), (err: Error & { kind?: string }) => {
      assert.equal(err.kind, 'data-loss');
      assert.match(err.message, /patch for missing container "c1"/);
      return true;
    });
  });
});
