// One process at a time per lock file: the daemon's root lock and pidfile, the state store's lock.
// The file holds "<pid> <start time>\n" (start time: field 22 of /proc/<pid>/stat), so a live
// holder is told from a recycled pid and a lock left by a killed process is taken over instead of
// blocking the next start. A pidfile holds only "<pid>\n" (scripts do `kill $(cat FILE)`); there a
// live pid counts only if it runs the same executable as we do, and our own pid is an earlier life
// of it (pid 1 in a container), never a live holder.
//
// The file appears atomically with its content (written aside, then hard-linked into place), so a
// reader never sees a half-written lock and mistakes it for a stale one. Taking over is safe when
// two starters race for the same stale file: rename() lets exactly one move it away, and a fresh
// lock moved by mistake is linked back (link never replaces an existing file).
import { link, open, readFile, readdir, readlink, rename, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { errnoCode } from './errors.ts';
import { log } from './log.ts';
import { processStartTime } from './proc-start-time.ts';

export interface PidLock {
  readonly path: string;
  /** Removes the lock file if it still holds our content; idempotent. */
  release(): Promise<void>;
}

export interface PidLockOptions {
  /** what the file holds; default "pid-and-start-time" */
  content?: 'pid' | 'pid-and-start-time';
  /** file mode; default 0o600 */
  mode?: number;
  /** the error thrown when a live process holds the lock */
  heldBy(pid: number): Error;
  /** the error thrown when the lock keeps changing hands */
  contended(): Error;
}

const ATTEMPTS = 10;

/** Takes `path` for this process, or throws opts.heldBy(pid) naming the live holder. */
export async function acquirePidLock(path: string, opts: PidLockOptions): Promise<PidLock> {
  const pidOnly = opts.content === 'pid';
  const mine = pidOnly ? `${process.pid}\n` : `${process.pid} ${(await processStartTime(process.pid)) ?? ''}\n`;
  const scratch = `${path}.${process.pid}.new`;
  await writeFile(scratch, mine, { mode: opts.mode ?? 0o600 });
  try {
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      if (await placeLock(scratch, path, opts.mode ?? 0o600)) {
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
      const live = await liveHolder(text);
      if (live !== undefined) throw opts.heldBy(live);
      await breakStaleLock(path, text);
    }
    throw opts.contended();
  } finally {
    await unlink(scratch).catch(() => {});
  }
}

/** The holder's pid when it is a live process, else undefined (stale or garbage). */
async function liveHolder(text: string): Promise<number | undefined> {
  const [pidText, startTime] = text.trim().split(/\s+/);
  const pid = Number(pidText);
  if (!Number.isSafeInteger(pid) || pid <= 0) return undefined;
  const now = await processStartTime(pid);
  if (now === undefined) return undefined;
  if (startTime !== undefined) return startTime === now ? pid : undefined;
  // pid only: our own pid is an earlier life of it; another pid counts if it runs our executable
  if (pid === process.pid) return undefined;
  return (await sameExecutable(pid)) ? pid : undefined;
}

async function sameExecutable(pid: number): Promise<boolean> {
  try {
    return (await readlink(`/proc/${pid}/exe`)) === (await readlink('/proc/self/exe'));
  } catch {
    return true; // cannot tell: assume it is a live daemon rather than risk two
  }
}

/** link() fails with EEXIST when the lock exists; filesystems without hard links fall back to O_EXCL. */
async function placeLock(scratch: string, path: string, mode: number): Promise<boolean> {
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
    fh = await open(path, 'wx', mode);
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
// linked back (never over a lock placed meanwhile).
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
    log.with({ lock: path, holder: staleText.trim() }).warn('taking over stale lock');
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

function makeLock(path: string, mine: string): PidLock {
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
