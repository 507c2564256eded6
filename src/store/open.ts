// Opening a store: lock, read the log, replay the committed prefix, and decide what to do with any
// damage. The rules (docs/store-format.md):
//   - no log / empty log          -> a fresh store (an empty file holds no committed operation)
//   - torn tail                   -> truncate to the committed prefix, warn
//   - damage before a later group -> `data-loss` error naming file and offset; with { repair } the
//                                    damaged file is kept aside and the valid prefix becomes the log
//   - bad or short file header    -> `data-loss` (repair: keep the file aside, start empty)
//   - newer format version        -> `failed-precondition`, even with repair (never clobber it)
import { link, mkdir, open, readFile, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Codec } from './codec.ts';
import { decodeOps, loadCodec } from './codec.ts';
import { COMPACT_FILE, LOCK_FILE, damagedName, logPath } from './files.ts';
import { syncDir } from '../util/durable-file.ts';
import { checkFileHeader, scanFrames } from './frame.ts';
import type { Frame } from './frame.ts';
import { acquirePidLock } from '../util/pid-lock.ts';
import { LogStore } from './log-store.ts';
import { Records } from './records.ts';
import { writeSnapshot } from './snapshot.ts';
import type { LogStateStore, StoreOptions } from './types.ts';
import { dataLoss, errnoCode, failedPrecondition, messageOf, unavailable } from '../util/errors.ts';
import { log } from '../util/log.ts';

export async function openStore(dir: string, options: StoreOptions = {}): Promise<LogStateStore> {
  const created = await mkdir(dir, { recursive: true, mode: 0o700 });
  // A directory made just now must itself survive a power loss, or so would nothing in it.
  if (created !== undefined) await syncDir(dirname(created));
  const lockPath = join(dir, LOCK_FILE);
  const lock = await acquirePidLock(lockPath, {
    heldBy: (pid) => unavailable(`store ${lockPath}: locked by running process ${pid}`),
    contended: () => unavailable(`store ${lockPath}: lock is contended, giving up`),
  });
  try {
    const codec = await loadCodec();
    // A compaction that did not reach its rename left this behind; the log itself is intact.
    await unlink(join(dir, COMPACT_FILE)).catch(() => {});
    const { records, logBytes, nextGroup } = await recover(dir, codec, options);
    const fh = await open(logPath(dir), 'r+');
    const store = new LogStore({ dir, fh, logBytes, nextGroup, records, codec, lock, options });
    return store;
  } catch (err) {
    await lock.release();
    throw err;
  }
}

interface Recovered {
  records: Records;
  logBytes: number;
  nextGroup: number;
}

async function recover(dir: string, codec: Codec, options: StoreOptions): Promise<Recovered> {
  const path = logPath(dir);
  let buf: Buffer;
  try {
    buf = await readFile(path);
  } catch (err) {
    if (errnoCode(err) !== 'ENOENT') throw err;
    return fresh(dir, codec);
  }

  const bad = checkFileHeader(buf);
  if (bad?.problem === 'empty') {
    log.with({ file: path }).warn('store: log file is empty, starting an empty store');
    return fresh(dir, codec);
  }
  if (bad?.problem === 'version') throw failedPrecondition(`store ${path}: ${bad.detail}`);
  if (bad) {
    if (!options.repair) {
      throw dataLoss(`store ${path}: ${bad.detail}; no record can be read (open with repair to set it aside and start empty)`);
    }
    const aside = await setAside(dir);
    log.with({ file: path, kept: aside }).warn(`store: ${bad.detail}; repaired by starting empty`);
    return fresh(dir, codec);
  }

  const scan = scanFrames(buf);
  const records = new Records();
  let applied: Frame | undefined;
  let undecodable: { frame: Frame; err: unknown } | undefined;
  for (const frame of scan.frames) {
    try {
      records.applyAll(decodeOps(codec, frame.payload));
    } catch (err) {
      // The checksum matched, so this is not a torn write: the bytes are what was written.
      undecodable = { frame, err };
      break;
    }
    applied = frame;
  }

  const middle =
    undecodable !== undefined
      ? { offset: undecodable.frame.offset, detail: `frame at offset ${undecodable.frame.offset} does not decode or apply (${messageOf(undecodable.err)})` }
      : scan.damage?.kind === 'corrupt-middle'
        ? {
            offset: scan.damage.offset,
            detail: `${scan.damage.reason} at offset ${scan.damage.offset}, followed by committed frames (from offset ${scan.damage.laterFrameOffset})`,
          }
        : undefined;
  if (middle) {
    if (!options.repair) {
      throw dataLoss(
        `store ${path}: ${middle.detail}; refusing to drop committed records (open with repair to keep the ${countOps(scan.frames, applied)} frames before offset ${middle.offset})`,
        { cause: undecodable?.err },
      );
    }
    const aside = await setAside(dir);
    const snap = await writeSnapshot(dir, records, codec);
    if (snap.dirSyncError !== undefined) throw snap.dirSyncError;
    log.with({ file: path, kept: aside, offset: middle.offset }).warn(`store: ${middle.detail}; repaired by keeping the valid prefix`);
    return { records, logBytes: snap.bytes, nextGroup: snap.nextGroup };
  }

  let end = buf.length;
  if (scan.damage) {
    end = scan.end;
    const fh = await open(path, 'r+');
    try {
      await fh.truncate(end);
      await fh.datasync();
    } finally {
      await fh.close();
    }
    log.with({ file: path, offset: end, dropped: buf.length - end }).warn(`store: dropped torn tail (${scan.damage.reason})`);
  }
  const last = scan.frames[scan.frames.length - 1];
  return { records, logBytes: end, nextGroup: last ? last.group + 1 : 0 };
}

function countOps(frames: Frame[], upTo: Frame | undefined): number {
  return upTo ? frames.indexOf(upTo) + 1 : 0;
}

async function fresh(dir: string, codec: Codec): Promise<Recovered> {
  const records = new Records();
  const snap = await writeSnapshot(dir, records, codec);
  if (snap.dirSyncError !== undefined) throw snap.dirSyncError;
  return { records, logBytes: snap.bytes, nextGroup: snap.nextGroup };
}

/** Keeps the damaged log under another name (hard link: no copy, and the log name stays in place). */
async function setAside(dir: string): Promise<string> {
  const aside = join(dir, damagedName(new Date()));
  await link(logPath(dir), aside);
  return aside;
}
