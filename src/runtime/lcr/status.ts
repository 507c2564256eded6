// Status reconciliation of an lcr container from its state files alone (exit file, monitor and
// init pid files, LXC's log), so it holds across daemon restarts: a monitor that vanished without
// an exit file gets -1 recorded once; a start interrupted by a daemon crash is finished from
// LXC's log. Used by LcrRuntime.status() and the exit watcher's reconciliation.
import { mkdir, readFile, rm } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RuntimeStatus } from '../runtime.ts';
import type { CgroupLayout } from '../../cgroups/hierarchy.ts';
import { controllerDir } from '../../cgroups/hierarchy.ts';
import type { LcrPaths } from './layout.ts';
import { exitsDir, files } from './layout.ts';
import { isAlive, readProcStat } from '../proc.ts';
import { readExitFile, readPidFile, writeAtomic } from '../state-files.ts';
import { STARTED_RE } from './wait-started.ts';
import { exitInfo } from '../exit-delivery.ts';

export const POLL_MS = 10;

export interface StatusDeps {
  paths: LcrPaths;
  layout: CgroupLayout;
  /** how long a start may take before its status is 'unknown' */
  startTimeoutMs: number;
}


export async function reconcileStatus(d: StatusDeps, id: string, cgroupsPath: string): Promise<RuntimeStatus> {
  const f = files(d.paths, id);
  for (let attempt = 0; ; attempt++) {
    const exit = await readExitFile(f.exit, f.oom);
    if (exit) return { status: 'stopped', exit: exitInfo(exit) };
    const mon = await readPidFile(f.monitor);
    if (mon === undefined) return statusWithoutMonitorFile(f.lxcLog);
    const init = await readPidFile(f.init);
    if (init && (await isAlive(init.pid, init.startTime))) {
      const dir = controllerDir(d.layout, 'freezer', cgroupsPath);
      const frozen = dir ? (await readFile(`${dir}/${d.layout.version === 'v1' ? 'freezer.state' : 'cgroup.freeze'}`, 'utf8').catch(() => '')).trim() : '';
      const paused = frozen === 'FROZEN' || frozen === 'FREEZING' || frozen === '1';
      return { status: paused ? 'paused' : 'running', pid: init.pid, startTime: init.startTime };
    }
    if (await isAlive(mon.pid, mon.startTime)) {
      // the monitor lives: either still starting (no init yet) or about to write the exit file
      if (init === undefined) {
        const st = await statusWhileStarting(d, id, mon.pid, mon.startTime);
        if (st !== undefined) return st;
      }
      if (attempt < 300) {
        await sleep(POLL_MS);
        continue;
      }
      return { status: 'unknown' };
    }
    // the monitor is gone: it may have written the exit file since the first read above
    const late = await readExitFile(f.exit, f.oom);
    if (late) return { status: 'stopped', exit: exitInfo(late) };
    // monitor and init are gone with no exit file (monitor killed, host crash): record -1 once;
    // nothing can write it concurrently any more
    await mkdir(exitsDir(d.paths), { recursive: true });
    await writeAtomic(f.exit, '-1\n');
    // a removal that ran meanwhile took the state dir: the record would outlive the container
    if ((await readPidFile(f.monitor)) === undefined) await rm(f.exit, { force: true });
  }
}

/**
 * A live monitor and no init file: a start in progress, or one whose daemon died before it
 * read the init pid from LXC's log (kill -9 during `run`). Waits, bounded, for LXC to settle
 * and records the init pid itself, so a container LXC runs is never reported as created.
 */
async function statusWhileStarting(d: StatusDeps, id: string, monPid: number, monStart: string): Promise<RuntimeStatus | undefined> {
  const f = files(d.paths, id);
  const until = Date.now() + d.startTimeoutMs;
  for (;;) {
    const m = STARTED_RE.exec(await readFile(f.lxcLog, 'utf8').catch(() => ''));
    const ps = m ? await readProcStat(Number(m[1])) : undefined;
    if (m && ps && ps.state !== 'Z') {
      await writeAtomic(f.init, `${m[1]} ${ps.startTime}\n`);
      return { status: 'running', pid: Number(m[1]), startTime: ps.startTime };
    }
    if (m || !(await isAlive(monPid, monStart))) return undefined; // ended or failed: read the exit file again
    if (Date.now() > until) return { status: 'unknown' };
    await sleep(POLL_MS * 5);
  }
}

/**
 * No monitor file: never started, or the daemon died between spawning the monitor and
 * recording it. LXC's log tells the two apart (its init pid, checked alive).
 */
async function statusWithoutMonitorFile(lxcLog: string): Promise<RuntimeStatus> {
  const m = STARTED_RE.exec(await readFile(lxcLog, 'utf8').catch(() => ''));
  const pid = m ? Number(m[1]) : 0;
  const ps = pid > 0 ? await readProcStat(pid) : undefined;
  if (ps === undefined || ps.state === 'Z') return { status: 'created' };
  return { status: 'running', pid, startTime: ps.startTime };
}
