// One daemon per pidfile and per root. Lock files appear atomically (written aside, then
// hard-linked into place). A file left by a dead process (kill -9, power loss) is stale and taken
// over; a live holder makes the second daemon refuse to start. The root lock holds
// "<pid> <start time>" so a recycled pid is recognised; the pidfile holds only "<pid>" because
// scripts do `kill $(cat /var/run/isulad.pid)`, and there a live pid counts only if it runs the
// same executable as we do.

import { link, readFile, readlink, rename, unlink, writeFile } from 'node:fs/promises';
import { errnoCode, failedPrecondition } from '../util/errors.ts';
import { processStartTime } from '../util/proc-start-time.ts';

export interface HeldLock {
  readonly path: string;
  /** Removes the file if it still holds our pid; idempotent. */
  release(): Promise<void>;
}

async function holderAlive(text: string): Promise<number | undefined> {
  const [pidText, start] = text.trim().split(/\s+/);
  const pid = Number(pidText);
  if (!Number.isSafeInteger(pid) || pid <= 0) return undefined;
  if (pid === process.pid) return undefined;
  const now = await processStartTime(pid);
  if (now === undefined) return undefined;
  if (start !== undefined) return start === now ? pid : undefined;
  return (await sameExecutable(pid)) ? pid : undefined;
}

async function sameExecutable(pid: number): Promise<boolean> {
  try {
    return (await readlink(`/proc/${pid}/exe`)) === (await readlink('/proc/self/exe'));
  } catch {
    return true; // cannot tell: assume it is a live daemon rather than risk two
  }
}

export type LockContent = 'pid' | 'pid-and-start-time';

/** Takes `path` for this process or throws failed-precondition naming the live holder. */
export async function acquirePidLock(path: string, what: string, contentKind: LockContent = 'pid-and-start-time'): Promise<HeldLock> {
  const content = contentKind === 'pid' ? `${process.pid}\n` : `${process.pid} ${(await processStartTime(process.pid)) ?? ''}\n`;
  const scratch = `${path}.${process.pid}.tmp`;
  await writeFile(scratch, content, { mode: 0o644 });
  try {
    for (let attempt = 0; attempt < 10; attempt++) {
      try {
        await link(scratch, path);
        return held(path, content);
      } catch (e) {
        if (errnoCode(e) !== 'EEXIST') throw e;
      }
      let text: string;
      try {
        text = await readFile(path, 'latin1');
      } catch (e) {
        if (errnoCode(e) === 'ENOENT') continue;
        throw e;
      }
      const live = await holderAlive(text);
      if (live !== undefined) {
        throw failedPrecondition(`${what} ${path} is held by running process ${live}: another isulad is using it`);
      }
      // Stale: move it aside under a unique name first, so two starters racing for the same
      // stale file cannot both delete a fresh lock.
      const aside = `${path}.${process.pid}.stale`;
      try {
        await rename(path, aside);
        const again = await readFile(aside, 'latin1');
        if (again !== text) {
          // someone replaced it between our read and rename: put it back and retry
          await rename(aside, path).catch(() => undefined);
          continue;
        }
        await unlink(aside);
      } catch (e) {
        if (errnoCode(e) !== 'ENOENT') throw e;
      }
    }
    throw failedPrecondition(`${what} ${path}: could not take it over`);
  } finally {
    await unlink(scratch).catch(() => undefined);
  }
}

function held(path: string, content: string): HeldLock {
  let released = false;
  return {
    path,
    async release() {
      if (released) return;
      released = true;
      try {
        if ((await readFile(path, 'latin1')) === content) await unlink(path);
      } catch {
        /* already gone */
      }
    },
  };
}
