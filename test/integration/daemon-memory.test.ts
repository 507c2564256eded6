// The idle daemon keeps the SEA assets it read OUT of its resident set: the daemon bundle, its
// code cache, the lcr helper and (first start) the busybox archive are read with pread from the
// executable file (src/util/sea-file.ts) at the offsets the build indexed, not through node:sea's
// mapping of the blob, whose every page read stayed mapped for the life of the process (3.4 MB).
// Checked with /proc/PID/pagemap: the present bit of each page of the asset's range in the
// daemon's mapping of the executable. The kernel's fault-around may still map a few neighbours of
// a page the process touches (up to 64 KiB), hence the bound rather than zero; before the change
// every page of every one of these assets was present.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { closeSync, openSync, readFileSync, readSync, realpathSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { startDaemon, type Daemon } from '../helpers/daemon.ts';

const BIN = process.env['ISULA_BIN'];
const PAGE = 4096;

let d: Daemon;

before(async () => {
  assert.ok(BIN, 'this file checks the single executable: run it with ISULA_BIN set (make test-integration does)');
  // The executable's pages leave the page cache first (GNU dd: posix_fadvise DONTNEED on the whole
  // file). A file just written by the build sits in the cache in large folios, and a fault on any
  // page of a large folio maps the whole folio: the daemon's touch of a neighbouring page would
  // then map pages of an asset it never read through the mapping (178 of 530 seen).
  const dd = spawnSync('dd', [`if=${BIN}`, 'iflag=nocache', 'count=0'], { encoding: 'utf8' });
  assert.equal(dd.status, 0, dd.stderr);
  d = await startDaemon();
});

after(async () => {
  await d?.stop();
});

/** The asset index the build wrote into the executable: name -> [file offset, length]. */
function assetIndex(bin: Buffer): Record<string, [number, number]> {
  const at = bin.indexOf('{"at":');
  assert.notEqual(at, -1, 'asset index in the executable');
  const text = bin.subarray(at, at + 1024).toString('latin1').trimEnd();
  const parsed = JSON.parse(text) as { at: number; assets: Record<string, [number, number]> };
  assert.equal(parsed.at, at);
  return parsed.assets;
}

/** Pages of the file range [off, off+len) mapped in pid's mappings of file, and how many are present. */
function presentPages(pid: number, file: string, off: number, len: number): { pages: number; present: number } {
  const maps = readFileSync(`/proc/${pid}/maps`, 'utf8').split('\n');
  const fd = openSync(`/proc/${pid}/pagemap`, 'r');
  let pages = 0;
  let present = 0;
  try {
    for (const line of maps) {
      const f = line.split(/\s+/);
      if (f.length < 6 || f[5] !== file) continue;
      const [lo, hi] = (f[0] as string).split('-').map((x) => parseInt(x, 16)) as [number, number];
      const mapOff = parseInt(f[2] as string, 16);
      // whole pages of the asset inside this mapping
      const first = Math.max(Math.ceil(off / PAGE) * PAGE, mapOff);
      const last = Math.min(Math.floor((off + len) / PAGE) * PAGE, mapOff + (hi - lo));
      for (let p = first; p < last; p += PAGE) {
        const va = lo + (p - mapOff);
        const e = Buffer.alloc(8);
        assert.equal(readSync(fd, e, 0, 8, (va / PAGE) * 8), 8);
        pages++;
        if ((e.readBigUInt64LE(0) >> 63n) & 1n) present++;
      }
    }
  } finally {
    closeSync(fd);
  }
  return { pages, present };
}

test('the idle daemon has read its SEA assets without keeping their pages mapped', async () => {
  // the assets were really read: the embedded image was seeded from busybox.tar
  assert.match(await d.isulaOk(['images']), /busybox/);
  const bin = realpathSync(BIN as string);
  const index = assetIndex(readFileSync(bin));
  for (const name of ['isulad.cjs', 'isulad.cjs.cache', 'busybox.tar']) {
    const entry = index[name];
    assert.ok(entry, `${name} indexed`);
    const { pages, present } = presentPages(d.pid as number, bin, entry[0], entry[1]);
    assert.ok(pages > 32, `${name}: ${pages} pages mapped`);
    assert.ok(present <= 32, `${name}: ${present} of ${pages} pages resident in the daemon (fault-around allows up to 16 per touched neighbour)`);
  }
});
