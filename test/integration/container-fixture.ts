// Helpers for the container integration suites (real daemon, real LXC, the embedded busybox):
// the suite's daemon (suiteDaemon), polling inspect, and the leak checks every suite ends with (no
// container processes, mounts or cgroups left behind). Only reads /proc and /sys; never signals
// anything itself (the daemon harness signals the daemons it started, by pid).
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, readlinkSync, rmdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { startDaemon } from '../helpers/daemon.ts';
import type { Daemon, RunResult, StartOptions } from '../helpers/daemon.ts';

export const canRun = process.getuid?.() === 0 && existsSync('/usr/bin/lxc-start');
export const skipReason = canRun ? false : 'needs root and LXC (lxc-start)';

/**
 * The runtimes every shared container suite runs on (STYLE T4: one suite, each runtime a row).
 * skip: why a runtime cannot run here (missing binaries); a suite then says so instead of passing.
 */
export const RUNTIMES: ReadonlyArray<{ name: string; skip: string | false; ttyStdin: boolean }> = [
  { name: 'lcr', skip: false, ttyStdin: true },
  {
    name: 'runc',
    skip: existsSync('/usr/sbin/runc') || existsSync('/usr/bin/runc') ? (existsSync('/usr/bin/conmon') ? false : 'needs conmon') : 'needs runc',
    // stdin of a -t container goes through conmon's attach socket, relayed by socat
    ttyStdin: existsSync('/usr/bin/socat'),
  },
];

export interface SuiteDaemonOptions extends StartOptions {
  /** the daemon's default-runtime (daemon.json); absent: the daemon's own default (lcr) */
  runtime?: string;
  /** a test may leave the daemon killed (kill -9 tests): boot it again before the clean-up checks */
  restartIfKilled?: boolean;
  /** runs after the daemon stopped, even when the clean-up checks failed (the suite's own temp files) */
  afterStop?: () => void | Promise<void>;
}

/**
 * The daemon of one suite (call it in the describe): started before the suite's tests on its own
 * root, state dir, socket and cgroup parent (test/helpers/daemon.ts) and handed to `use`; after
 * them every container is removed, nothing of them may be left on the host, and the daemon stops.
 * Does nothing where the suite cannot run (canRun).
 */
export function suiteDaemon(use: (d: Daemon) => void, o: SuiteDaemonOptions = {}): void {
  const { runtime, restartIfKilled, afterStop, ...start } = o;
  let d: Daemon | undefined;
  before(async () => {
    if (!canRun) return;
    d = await startDaemon({ ...start, config: { ...(runtime ? { 'default-runtime': runtime } : {}), ...start.config } });
    use(d);
  });
  after(async () => {
    if (!d) return;
    try {
      if (restartIfKilled && d.pid === undefined) await d.restart();
      await assertCleanAfterRemovingAll(d);
    } finally {
      await d.stop();
      await afterStop?.();
    }
  });
}

export async function ok(d: Daemon, args: string[], input?: string): Promise<RunResult> {
  const r = await d.isula(args, { timeoutMs: 120_000, ...(input !== undefined ? { input } : {}) });
  assert.equal(r.code, 0, `isula ${args.join(' ')} failed (${r.code}): ${r.stderr}\n--- daemon log tail ---\n${d.log().slice(-3000)}`);
  return r;
}

export async function inspectField(d: Daemon, ref: string, tpl: string): Promise<string> {
  return (await ok(d, ['inspect', '-f', tpl, ref])).stdout.trim();
}

/** Polls until pred holds (generous bound: the machine is shared; this is not a timing assertion). */
export async function until(what: string, pred: () => Promise<boolean>, limitMs = 60_000): Promise<void> {
  const end = Date.now() + limitMs;
  for (;;) {
    if (await pred()) return;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** pids whose command line mentions the daemon's temp dir (monitors, lxc-start, awk copiers). */
export function processesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const p of readdirSync('/proc')) {
    if (!/^\d+$/.test(p)) continue;
    let cmd: string;
    try {
      cmd = readFileSync(`/proc/${p}/cmdline`, 'utf8').replace(/\0/g, ' ');
    } catch {
      continue;
    }
    if (cmd.includes(dir)) out.push(`${p}: ${cmd.trim()}`);
  }
  return out;
}

export function mountsUnder(dir: string): string[] {
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((l) => l.split(' ')[4] ?? '')
    .filter((p) => p === dir || p.startsWith(`${dir}/`));
}

/** Container cgroup dirs left under the daemon's cgroup parent in any hierarchy. */
export function cgroupsUnder(parent: string): string[] {
  const out: string[] = [];
  const base = '/sys/fs/cgroup';
  const roots = [base, ...readdirSync(base).map((n) => join(base, n))];
  for (const r of roots) {
    const dir = join(r, parent);
    if (!existsSync(dir)) continue;
    try {
      for (const e of readdirSync(dir, { withFileTypes: true })) if (e.isDirectory()) out.push(join(dir, e.name));
    } catch {
      /* raced with a removal */
    }
  }
  return out;
}

/** rmdir of a daemon's (now empty) cgroup parents in every hierarchy: `<parent>`, `<parent>.monitor`. */
export function removeCgroupParents(parent: string): void {
  const base = '/sys/fs/cgroup';
  for (const r of [base, ...readdirSync(base).map((n) => join(base, n))]) {
    for (const name of [parent, `${parent}.monitor`]) {
      try {
        rmdirSync(join(r, name));
      } catch {
        /* absent, or not empty: the leak checks report the latter */
      }
    }
  }
}

/** Removes every container, then asserts nothing of them is left on the host. */
export async function assertCleanAfterRemovingAll(d: Daemon): Promise<void> {
  const ids = (await ok(d, ['ps', '-a', '-q', '--no-trunc'])).stdout.split('\n').filter(Boolean);
  if (ids.length > 0) await ok(d, ['rm', '-f', ...ids]);
  const others = () => processesUnder(d.dir).filter((p) => !p.startsWith(`${d.pid}:`));
  await until('container processes to go', async () => others().length === 0, 30_000).catch(() => undefined);
  assert.deepEqual(others(), [], 'container processes left');
  assert.deepEqual(mountsUnder(join(d.root, 'storage')), [], 'mounts left');
  assert.deepEqual(cgroupsUnder(d.cgroupParent), [], 'cgroups left');
  assert.deepEqual(cgroupsUnder(`${d.cgroupParent}.monitor`), [], 'LXC monitor cgroups left');
  removeCgroupParents(d.cgroupParent);
}

/** how long a daemon's fd table may take to settle (a CLI connection it has not seen close yet) */
export const FD_SETTLE_MS = 15_000;

/** fd number -> what it points at, e.g. `socket:[123]`, a path, `anon_inode:inotify` */
export function fdTable(pid: number): Map<string, string> {
  const m = new Map<string, string>();
  const dir = `/proc/${pid}/fd`;
  for (const fd of readdirSync(dir)) {
    try {
      m.set(fd, readlinkSync(join(dir, fd)));
    } catch {
      /* closed between readdir and readlink */
    }
  }
  return m;
}

const sameFds = (a: Map<string, string>, b: Map<string, string>) => a.size === b.size && [...a].every(([fd, t]) => b.get(fd) === t);

/** Entries of `a` that `b` does not have (same fd pointing at the same thing), as "fd -> target". */
export const fdDiff = (a: Map<string, string>, b: Map<string, string>): string[] =>
  [...a].filter(([fd, t]) => b.get(fd) !== t).map(([fd, t]) => `${fd} -> ${t}`);

/** Polls until two readings 250 ms apart agree (bounded): the daemon is idle, nothing in flight. */
export async function settledFds(pid: number): Promise<Map<string, string>> {
  let prev = fdTable(pid);
  for (const t0 = Date.now(); Date.now() - t0 < FD_SETTLE_MS;) {
    await new Promise((r) => setTimeout(r, 250));
    const cur = fdTable(pid);
    if (sameFds(prev, cur)) return cur;
    prev = cur;
  }
  return prev;
}

/** Waits (bounded) until the daemon holds no more fds than `base`; returns the last table. */
export async function fdsBackTo(pid: number, base: Map<string, string>): Promise<Map<string, string>> {
  let now = await settledFds(pid);
  for (const t0 = Date.now(); now.size > base.size && Date.now() - t0 < FD_SETTLE_MS;) {
    await new Promise((r) => setTimeout(r, 500));
    now = fdTable(pid);
  }
  return now;
}
