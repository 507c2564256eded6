// Signals and stop with a grace period, the same for every runtime: the daemon signals the
// container's init itself (its pid and start time are known from status), waits for the monitor's
// exit file, and only the last resort (SIGKILL: lxc-stop -k on lcr, a signal on OCI runtimes)
// differs per driver.
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ExitInfo, RuntimeStatus, StopOptions } from './runtime.ts';
import { deadline, errnoCode, failedPrecondition, wrap } from '../util/errors.ts';

/** The init of a running or paused container; refuses any other state. Pure. */
export function liveInit(id: string, st: RuntimeStatus): { pid: number; paused: boolean } {
  if (st.status !== 'running' && st.status !== 'paused') throw failedPrecondition(`container "${id}" is not running`);
  return { pid: st.pid, paused: st.status === 'paused' };
}

/** Sends signal to the init; one that exited in between is no error (its exit file follows). */
export function signalInit(id: string, pid: number, signal: number): void {
  try {
    process.kill(pid, signal);
  } catch (err) {
    if (errnoCode(err) === 'ESRCH') return;
    throw wrap(err, `kill container "${id}"`);
  }
}

/** Polls status until stopped (a stat is cheaper than wiring the exit watcher in); undefined at the bound. */
export async function waitStopped(status: () => Promise<RuntimeStatus>, timeoutMs: number): Promise<ExitInfo | undefined> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const st = await status();
    if (st.status === 'stopped') return st.exit;
    if (Date.now() >= until) return undefined;
    await sleep(20);
  }
}

/** How long after its fork a PID-namespace init may still be without its signal handlers. */
export const SETTLE_MS = 2000;

/**
 * What /proc says about a process and one signal: is it the init of a PID namespace (last NSpid
 * entry 1), does it take the signal (caught, blocked = queued, or ignored), how old is it (ms,
 * from field 22 of stat and /proc/uptime), and its comm. Undefined when it is gone. Pure parse.
 */
export function initSignalState(status: string, stat: string, uptime: string, signal: number, hz = 100) {
  const field = (k: string) => new RegExp(`^${k}:\\s*(.*)$`, 'm').exec(status)?.[1]?.trim() ?? '';
  const nspid = field('NSpid').split(/\s+/);
  const bit = 1n << BigInt(signal - 1);
  const mask = (k: string) => {
    const v = field(k);
    return /^[0-9a-f]+$/i.test(v) ? BigInt(`0x${v}`) : 0n;
  };
  const takes = ((mask('SigCgt') | mask('SigBlk') | mask('SigIgn')) & bit) !== 0n;
  const close = stat.lastIndexOf(')');
  const start = Number(stat.slice(close + 2).split(' ')[19]);
  const ageMs = Number(uptime.split(' ')[0]) * 1000 - (start * 1000) / hz;
  return { nsInit: nspid.length > 1 && nspid[nspid.length - 1] === '1', takes, ageMs, comm: field('Name') };
}

/**
 * The kernel drops a signal sent to a PID-namespace init that has no handler for it, and a stop
 * that comes right after start (critest: StartContainer, then StopContainer) can arrive before the
 * command has installed its handler (busybox top), or even before LXC's child has exec'd it; that
 * stop then waits out its whole grace period. So while the init is younger than SETTLE_MS and
 * does not take the signal yet, wait (20 ms steps) for it to. An init that never takes it (sleep)
 * costs at most SETTLE_MS after its start, and only when stopped that early.
 */
export async function settleInit(pid: number, signal: number, settleMs = SETTLE_MS): Promise<void> {
  for (;;) {
    let s;
    try {
      s = initSignalState(readFileSync(`/proc/${pid}/status`, 'utf8'), readFileSync(`/proc/${pid}/stat`, 'utf8'), readFileSync('/proc/uptime', 'utf8'), signal);
    } catch {
      return; // gone: its exit file follows
    }
    if (!s.nsInit || (s.takes && s.comm !== 'lxc-start') || !(s.ageMs < settleMs)) return;
    await sleep(20);
  }
}

export interface Stoppable {
  status(): Promise<RuntimeStatus>;
  /** a signal to the init (the driver's kill) */
  signal(signal: number): Promise<void>;
  /** thaw a paused container, so a signal can be handled and the kill lands */
  resume(): Promise<void>;
  /** the last resort after the grace period (SIGKILL to the whole container) */
  forceKill(): Promise<void>;
}

/** Bound on the wait after the last resort. */
export const KILL_WAIT_MS = 10_000;

/**
 * isula stop: the stop signal, up to timeoutMs for the exit (a paused container is thawed first
 * so the grace period means something), then the last resort. SIGKILL as the stop signal or no
 * grace period goes straight to the last resort.
 */
export async function stopWithGrace(id: string, o: StopOptions, c: Stoppable): Promise<ExitInfo> {
  const st = await c.status();
  if (st.status === 'stopped') return st.exit;
  const { pid, paused } = liveInit(id, st);
  if (o.timeoutMs > 0 && o.signal !== 9) {
    if (!paused) await settleInit(pid, o.signal);
    await c.signal(o.signal);
    if (paused) await c.resume().catch(() => undefined);
    const exit = await waitStopped(c.status, o.timeoutMs);
    if (exit) return exit;
  }
  await c.forceKill();
  if (paused) await c.resume().catch(() => undefined);
  const exit = await waitStopped(c.status, KILL_WAIT_MS);
  if (exit === undefined) throw deadline(`stop container "${id}": still running 10 s after SIGKILL`);
  return exit;
}
