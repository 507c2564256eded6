// Liveness from /proc: a pid is "ours" only if it exists, is not a zombie and has the start time
// (field 22 of /proc/<pid>/stat, clock ticks since boot) we recorded. Guards against pid reuse
// after a daemon restart and against unreaped zombies (PID 1 on these hosts reaps late).
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';

export interface ProcStat {
  state: string; // R S D Z T …
  ppid: number;
  startTime: string;
}

/** Parses /proc/<pid>/stat text; the comm field may hold spaces and ')' so split after the last ')'. */
export function parseProcStat(text: string): ProcStat | undefined {
  const close = text.lastIndexOf(')');
  if (close < 0) return undefined;
  const f = text.slice(close + 2).split(' ');
  // after comm: field 3 (state) is f[0]; field 22 (starttime) is f[19]
  const state = f[0];
  const startTime = f[19];
  if (state === undefined || startTime === undefined) return undefined;
  return { state, ppid: Number(f[1]), startTime };
}

export async function readProcStat(pid: number): Promise<ProcStat | undefined> {
  try {
    return parseProcStat(await readFile(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
}

/** isAlive without a threadpool round trip, for hot wait loops (one small /proc read). */
export function isAliveSync(pid: number, startTime?: string): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  let st: ProcStat | undefined;
  try {
    st = parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
  if (st === undefined || st.state === 'Z' || st.state === 'X') return false;
  return startTime === undefined || startTime === '' || st.startTime === startTime;
}

/** True when pid runs, is not a zombie (or dead), and started at startTime (when given). */
export async function isAlive(pid: number, startTime?: string): Promise<boolean> {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  const st = await readProcStat(pid);
  if (st === undefined || st.state === 'Z' || st.state === 'X') return false;
  return startTime === undefined || startTime === '' || st.startTime === startTime;
}
