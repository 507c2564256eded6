// Power loss, simulated on real logs. kill -9 keeps the page cache; a power cut does not: the bytes
// of the last, unsynced commit group may reach the disk in any subset of 4 KiB pages, with the file
// size extended or not. Whatever subset survived, the store must open (never a false data-loss) to
// the state before that group, or after it when the group survived whole. Earlier groups were
// synced and are untouched here.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import { scanFrames } from '../../../src/store/frame.ts';
import { openStore } from '../../../src/store/index.ts';
import { RECORD_KINDS } from '../../../src/store/kinds.ts';
import { setLogSink } from '../../../src/util/log.ts';

setLogSink(() => {}); // torn-tail warnings are the point here

const PAGE = 4096;

test('a torn last group opens to the state before it, or after it when whole', async () => {
  const top = await mkdtemp(join(tmpdir(), 'store-power-'));
  try {
    // A log with multi-frame groups of mixed sizes, some spanning several pages.
    const src = join(top, 'src');
    const s = await openStore(src);
    for (let round = 0; round < 25; round++) {
      await Promise.all(
        Array.from({ length: 1 + (round % 5) }, (_, k) => {
          const id = `c${(round * 3 + k) % 7}`;
          const big = (round + k) % 4 === 0 ? 'z'.repeat(3000 + 700 * k) : '';
          return k === 3
            ? s.delete('container', id)
            : s.put('container', id, { round, k, big, state: { pid: round * 10 + k, running: k % 2 === 0 } });
        }),
      );
    }
    await s.close();
    const log = await readFile(join(src, 'state.log'));

    const groups: Array<{ start: number; end: number; frames: number; ended: boolean }> = [];
    for (const f of scanFrames(log).frames) {
      const last = groups.at(-1);
      if (last && !last.ended) {
        last.end = f.next;
        last.frames++;
        last.ended = f.endOfGroup;
      } else groups.push({ start: f.offset, end: f.next, frames: 1, ended: f.endOfGroup });
    }
    assert.ok(groups.some((g) => g.frames > 1), 'no multi-frame group to tear');

    let n = 0;
    const stateOf = async (bytes: Buffer) => {
      const dir = join(top, `img${n++}`);
      await mkdir(dir);
      await writeFile(join(dir, 'state.log'), bytes);
      const store = await openStore(dir);
      try {
        return RECORD_KINDS.map((k) => [k, store.ids(k).map((id) => [id, store.get(k, id)])]);
      } finally {
        await store.close();
        await rm(dir, { recursive: true, force: true });
      }
    };

    let seed = 7;
    const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    let torn = 0;
    for (const g of groups) {
      const before = await stateOf(log.subarray(0, g.start));
      const after = await stateOf(log.subarray(0, g.end));
      for (let trial = 0; trial < 6; trial++) {
        const region = Buffer.from(log.subarray(g.start, g.end));
        // Pages are counted in file offsets: the first may be shared with synced data before it.
        for (let p = Math.floor(g.start / PAGE) * PAGE; p < g.end; p += PAGE) {
          if (rnd() < 0.5) {
            const from = Math.max(p, g.start) - g.start;
            region.fill(0, from, Math.min(p + PAGE, g.end) - g.start);
          }
        }
        // The size may have been persisted in full, or only up to some page boundary.
        const cut = rnd() < 0.5 ? region.length : Math.max(0, Math.floor((g.start + rnd() * region.length) / PAGE) * PAGE - g.start);
        const image = Buffer.concat([log.subarray(0, g.start), region.subarray(0, cut)]);
        const intact = image.equals(log.subarray(0, g.end));
        const got = await stateOf(image);
        if (!intact) torn++;
        assert.ok(
          isDeepStrictEqual(got, intact ? after : before),
          `group at ${g.start}..${g.end} (${g.frames} frames), trial ${trial}: ` +
            `${intact ? 'an intact group was not kept' : 'a torn group was not dropped whole'}`,
        );
      }
    }
    assert.ok(torn > 50, `only ${torn} torn images tried`);
  } finally {
    await rm(top, { recursive: true, force: true });
  }
});
