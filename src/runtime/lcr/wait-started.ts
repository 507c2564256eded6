// start() waits here for the container's init pid, read from LXC's own log.
import { existsSync, readSync, watch } from 'node:fs';
import type { FSWatcher } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { StartResult } from '../runtime.ts';
import { deadline, failedPrecondition } from '../../util/errors.ts';
import { files } from './layout.ts';
import type { LcrPaths } from './layout.ts';
import { isAliveSync, readProcStat } from '../proc.ts';
import { writeAtomic } from '../state-files.ts';
import { lxcLogErrors, runTool } from '../tools.ts';

/** LXC's NOTICE line once the init runs; the same pid anchors the exit status parse. */
export const STARTED_RE = /Started "[^"]*" with pid "(\d+)"/;

const POLL_MS = 10;

/**
 * Waits for the init pid in LXC's own log: inotify on the state dir wakes us at each log write
 * (10 ms poll as fallback) and only the new bytes are read, synchronously (tmpfs, a few KB; an
 * async read per wake-up cost more than LXC's whole start under load). No process per poll.
 */
export async function waitStarted(p: { id: string; paths: LcrPaths; monitorPid: number; logFd: number; timeoutMs: number }): Promise<StartResult> {
  const { id, monitorPid, logFd } = p;
  const f = files(p.paths, id);
  const timeout = p.timeoutMs;
  const until = Date.now() + timeout;
  let text = '';
  const buf = Buffer.alloc(16384);
  const readNew = () => {
    for (;;) {
      const n = readSync(logFd, buf, 0, buf.length, null);
      if (n <= 0) return;
      text += buf.toString('utf8', 0, n);
    }
  };
  let wake: (() => void) | undefined;
  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(f.stateDir, () => wake?.());
  } catch {
    // poll only
  }
  try {
    for (;;) {
      readNew();
      const m = STARTED_RE.exec(text);
      if (m) {
        const pid = Number(m[1]);
        const ps = await readProcStat(pid);
        const startTime = ps?.startTime ?? '';
        await writeAtomic(f.init, `${pid} ${startTime}\n`);
        return { pid, startTime };
      }
      // sync checks: this runs at every LXC log write, an async read each time cost ~20 ms a start
      if (existsSync(f.exit) || !isAliveSync(monitorPid)) {
        readNew(); // a quick container may have started and ended since the read above
        if (STARTED_RE.test(text)) continue;
        const why = lxcLogErrors(text) || (await readFile(f.monitorLog, 'utf8').catch(() => '')).trim().split('\n').slice(-3).join('; ');
        throw failedPrecondition(`lxc-start failed${why ? `: ${why}` : ''}`);
      }
      if (Date.now() > until) {
        await runTool('lxc-stop', ['-k', '-n', id, '-P', p.paths.lxcPath]).catch(() => undefined);
        throw deadline(`no init pid after ${timeout} ms`);
      }
      await new Promise<void>((r) => {
        const t = setTimeout(r, POLL_MS);
        wake = () => {
          clearTimeout(t);
          wake = undefined;
          r();
        };
      });
    }
  } finally {
    watcher?.close();
  }
}
