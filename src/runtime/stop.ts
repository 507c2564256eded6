// Signals and stop with a grace period, the same for every runtime: the daemon signals the
// container's init itself (its pid and start time are known from status), waits for the monitor's
// exit file, and only the last resort (SIGKILL: lxc-stop -k on lcr, a signal on OCI runtimes)
// differs per driver.
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
  const { paused } = liveInit(id, st);
  if (o.timeoutMs > 0 && o.signal !== 9) {
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
