// Healthchecks (iSulad health_check): one timer per running container with a HEALTHCHECK; each
// probe is an exec in the container (exec.ts). Results live in memory; the record's State.Health
// is written only when Status or FailingStreak changes (the store is on flash). Stopped on
// stop/kill/pause/exit/remove; ExitOnUnhealthy stops the container.
import { finished } from 'node:stream/promises';
import { log } from '../../util/log.ts';
import { messageOf } from '../../util/errors.ts';
import type { ExecProcess } from '../../runtime/runtime.ts';
import type { ContainerCore, HealthControl } from './core.ts';
import { execContainer } from './exec.ts';
import { nowRfc3339Nano } from './time.ts';
import type { ContainerRecord, HealthConfig, HealthLogEntry, HealthState } from './types.ts';

export const DEFAULT_INTERVAL_MS = 30_000;
export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_RETRIES = 3;
export const MAX_LOG_ENTRIES = 5;
export const MAX_OUTPUT_BYTES = 4096;

/** The probe's argv, or undefined when there is no check (absent, empty, NONE). Pure. */
export function probeArgs(h: HealthConfig | undefined): string[] | undefined {
  const t = h?.Test ?? [];
  const [kind, ...rest] = t;
  if (kind === 'CMD' && rest.length > 0) return rest;
  if (kind === 'CMD-SHELL' && rest.length > 0) return ['/bin/sh', '-c', rest.join(' ')];
  return undefined;
}

/** Output kept at most MAX_OUTPUT_BYTES bytes, "..." ending a cut one. Pure. */
export function capOutput(buf: Buffer): string {
  if (buf.length <= MAX_OUTPUT_BYTES) return buf.toString('utf8');
  return `${buf.subarray(0, MAX_OUTPUT_BYTES - 3).toString('utf8')}...`;
}

/** The next state after one probe. Failures during the start period do not count. Pure. */
export function nextHealth(prev: HealthState, entry: HealthLogEntry, retries: number, inStartPeriod: boolean): HealthState {
  const Log = [...prev.Log, entry].slice(-MAX_LOG_ENTRIES);
  if (entry.ExitCode === 0) return { Status: 'healthy', FailingStreak: 0, Log };
  if (inStartPeriod && prev.Status === 'starting') return { ...prev, Log };
  const FailingStreak = prev.FailingStreak + 1;
  return { Status: FailingStreak >= retries ? 'unhealthy' : prev.Status, FailingStreak, Log };
}

function nsToMs(ns: number | undefined, dflt: number): number {
  return ns && ns > 0 ? Math.max(1, Math.floor(ns / 1e6)) : dflt;
}

interface Monitor {
  startedAt: string;
  startMs: number;
  timer?: NodeJS.Timeout;
  probe?: ExecProcess;
  state: HealthState;
  stopped: boolean;
}

/** The probe's output streams to their end (at most a second after its exit). */
async function drained(proc: ExecProcess): Promise<void> {
  const streams = [proc.stdout, proc.stderr].filter((x) => x !== null);
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, 1000);
  });
  await Promise.race([Promise.all(streams.map((st) => finished(st).catch(() => undefined))), limit]);
  clearTimeout(timer);
}

export class HealthMonitor implements HealthControl {
  private readonly core: ContainerCore;
  private readonly monitors = new Map<string, Monitor>();
  private readonly onUnhealthy: (id: string) => Promise<unknown>;

  /** onUnhealthy: what --health-exit-on-unhealthy does (the service stops the container) */
  constructor(core: ContainerCore, onUnhealthy: (id: string) => Promise<unknown>) {
    this.core = core;
    this.onUnhealthy = onUnhealthy;
  }

  start(rec: ContainerRecord): void {
    this.stop(rec.Id);
    if (this.core.closed || !rec.State.Running || rec.State.Paused || !probeArgs(rec.Config.Healthcheck)) return;
    const m: Monitor = {
      startedAt: rec.State.StartedAt,
      startMs: Date.now(),
      state: rec.State.Health ?? { Status: 'starting', FailingStreak: 0, Log: [] },
      stopped: false,
    };
    this.monitors.set(rec.Id, m);
    this.schedule(rec.Id, m, nsToMs(rec.Config.Healthcheck?.Interval, DEFAULT_INTERVAL_MS));
  }

  stop(id: string): void {
    const m = this.monitors.get(id);
    if (!m) return;
    m.stopped = true;
    if (m.timer) clearTimeout(m.timer);
    m.probe?.kill('SIGKILL');
    this.monitors.delete(id);
  }

  stopAll(): void {
    for (const id of [...this.monitors.keys()]) this.stop(id);
  }

  current(id: string): HealthState | undefined {
    return this.monitors.get(id)?.state;
  }

  private schedule(id: string, m: Monitor, delayMs: number): void {
    m.timer = setTimeout(() => {
      m.timer = undefined;
      void this.tick(id, m).catch((err: unknown) => log.with({ container: id }).warn('healthcheck failed', err));
    }, delayMs);
    m.timer.unref();
  }

  private async tick(id: string, m: Monitor): Promise<void> {
    const rec = this.core.tryCurrent(id);
    if (m.stopped || !rec || !rec.State.Running || rec.State.Paused || rec.State.StartedAt !== m.startedAt) return;
    const hc = rec.Config.Healthcheck;
    const args = probeArgs(hc);
    if (!args) return;
    const entry = await this.probe(rec, m, args, nsToMs(hc?.Timeout, DEFAULT_TIMEOUT_MS));
    if (m.stopped) return;
    const inStart = Date.now() - m.startMs < nsToMs(hc?.StartPeriod, 0);
    const retries = hc?.Retries && hc.Retries > 0 ? hc.Retries : DEFAULT_RETRIES;
    const prev = m.state;
    m.state = nextHealth(prev, entry, retries, inStart);
    if (m.state.Status !== prev.Status || m.state.FailingStreak !== prev.FailingStreak) {
      const state = m.state;
      await this.core.withLock(id, async () => {
        const cur = this.core.tryCurrent(id);
        if (m.stopped || !cur || !cur.State.Running || cur.State.StartedAt !== m.startedAt) return;
        await this.core.commit(cur, { Health: state });
      });
      if (state.Status !== prev.Status) this.core.emit(rec, `health_status: ${state.Status}`);
      if (state.Status === 'unhealthy' && hc?.ExitOnUnhealthy && !m.stopped) {
        log.with({ container: id }).info('unhealthy: stopping the container (exit on unhealthy)');
        this.stop(id);
        void this.onUnhealthy(id).catch((err: unknown) => log.with({ container: id }).warn('stop of an unhealthy container failed', err));
        return;
      }
    }
    if (!m.stopped) this.schedule(id, m, nsToMs(hc?.Interval, DEFAULT_INTERVAL_MS));
  }

  private async probe(rec: ContainerRecord, m: Monitor, args: string[], timeoutMs: number): Promise<HealthLogEntry> {
    const Start = nowRfc3339Nano();
    let proc: ExecProcess;
    try {
      const s = await execContainer(this.core, rec.Id, { args, env: [], tty: false, stdin: false, detach: false });
      proc = s.process;
    } catch (err) {
      return { Start, End: nowRfc3339Nano(), ExitCode: -1, Output: capOutput(Buffer.from(messageOf(err))) };
    }
    m.probe = proc;
    const chunks: Buffer[] = [];
    let size = 0;
    const collect = (c: Buffer | string) => {
      if (size > MAX_OUTPUT_BYTES) return;
      const b = Buffer.isBuffer(c) ? c : Buffer.from(c);
      chunks.push(b);
      size += b.length;
    };
    proc.stdout?.on('data', collect);
    proc.stderr?.on('data', collect);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      proc.kill('SIGKILL');
    }, timeoutMs);
    timer.unref();
    let code: number;
    try {
      code = await proc.exit;
    } catch {
      code = -1;
    } finally {
      clearTimeout(timer);
      m.probe = undefined;
    }
    if (!timedOut) await drained(proc);
    const End = nowRfc3339Nano();
    if (timedOut) return { Start, End, ExitCode: -1, Output: `Health check exceeded timeout (${timeoutMs / 1000}s)` };
    return { Start, End, ExitCode: code, Output: capOutput(Buffer.concat(chunks)) };
  }
}
