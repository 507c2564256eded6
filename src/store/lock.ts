// One process at a time per store: a lock file holding "<pid> <start time>\n". The start time
// (field 22 of /proc/<pid>/stat, in clock ticks since boot) tells a live holder from a recycled
// pid, so a lock left by a killed daemon is taken over instead of blocking the next start.
// The file appears atomically with its content (written aside, then hard-linked into place), so a
// reader never sees a half-written lock and mistakes it for a stale one.
import { link, open, readFile, readdir, rename, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { errnoCode, unavailable } from '../util/errors.ts';
import { processStartTime } from '../util/proc-start-time.ts';
import { log } from '../util/log.ts';

export interface StoreLock {
  readonly path: string;
  /** Removes the lock file if it is still ours; idempotent. */
  release(): Promise<void>;
}

interface Holder {
  pid: number;
  startTime: string | undefined;
}

function parseHolder(text: string): Holder | undefined {
  const [pid, startTime] = text.trim().split(/\s+/);
  const n = Number(pid);
  return Number.isSafeInteger(n) && n > 0 ? { pid: n, startTime } : undefined;
}

async function isAlive(h: Holder): Promise<boolean> {
  const now = await processStartTime(h.pid);
  return now !== undefined && (h.startTime === undefined || h.startTime === now);
}

export async function acquireLock(path: string): Promise<StoreLock> {
  const mine = `${process.pid} ${(await processStartTime(process.pid)) ?? ''}\n`;
  const scratch = `${path}.${process.pid}.new`;
  await writeFile(scratch, mine, { mode: 0o600 });
  try {
    for (let attempt = 0; attempt < 8; attempt++) {
      if (await placeLock(scratch, path)) {
        await removeDeadScratch(path);
        return makeLock(path, mine);
      }
      let text: string;
      try {
        text = await readFile(path, 'latin1');
      } catch (err) {
        if (errnoCode(err) === 'ENOENT') continue; // released meanwhile
        throw err;
      }
      const holder = parseHolder(text);
      if (holder && (await isAlive(holder))) {
        throw unavailable(`store ${path}: locked by running process ${holder.pid}`);
      }
      await breakStaleLock(path, text);
    }
    throw unavailable(`store ${path}: lock is contended, giving up`);
  } finally {
    await unlink(scratch).catch(() => {});
  }
}

/** link() fails with EEXIST when the lock exists; filesystems without hard links fall back to O_EXCL. */
async function placeLock(scratch: string, path: string): Promise<boolean> {
  try {
    await link(scratch, path);
    return true;
  } catch (err) {
    const code = errnoCode(err);
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP') throw err;
  }
  let fh;
  try {
    fh = await open(path, 'wx', 0o600);
  } catch (err) {
    if (errnoCode(err) === 'EEXIST') return false;
    throw err;
  }
  try {
    await fh.writeFile(await readFile(scratch));
  } finally {
    await fh.close();
  }
  return true;
}

// Two openers may both see the same stale lock. rename() lets exactly one of them move it away;
// if what was moved is not the stale content we read, someone else's fresh lock was moved and is
// put back.
async function breakStaleLock(path: string, staleText: string): Promise<void> {
  const aside = `${path}.${process.pid}.stale`;
  try {
    await rename(path, aside);
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return;
    throw err;
  }
  const moved = await readFile(aside, 'latin1').catch(() => '');
  if (moved === staleText) {
    log.with({ lock: path, holder: staleText.trim() }).warn('store: taking over stale lock');
  } else {
    await link(aside, path).catch(() => {});
  }
  await unlink(aside).catch(() => {});
}

// An opener killed between writing its scratch file and removing it leaves "<lock>.<pid>.new" or
// ".stale" behind. Once we hold the lock, those of dead pids are litter (a live pid's may still be
// in use by an opener about to find the lock taken).
async function removeDeadScratch(path: string): Promise<void> {
  const prefix = `${basename(path)}.`;
  const names = await readdir(dirname(path)).catch(() => [] as string[]);
  for (const name of names) {
    const m = name.startsWith(prefix) ? /^(\d+)\.(new|stale)$/.exec(name.slice(prefix.length)) : null;
    if (m && (await processStartTime(Number(m[1]))) === undefined) {
      await unlink(join(dirname(path), name)).catch(() => {});
    }
  }
}

function makeLock(path: string, mine: string): StoreLock {
  let released = false;
  return {
    path,
    async release() {
      if (released) return;
      released = true;
      const text = await readFile(path, 'latin1').catch(() => undefined);
      if (text === mine) await unlink(path).catch(() => {});
    },
  };
}
