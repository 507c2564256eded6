// Issue 13 item 4: many `run --rm` (ISULA_SOAK, default 200; the 1000 took 20 to 100 min
// on the CI's 2 shared cores, depending on the load) plus a failed attached start every 10th
// round must leave the daemon flat: its fds, the mounts, cgroups, files under the state dir and
// LXC's lock dir are back to what they were after a warm-up, and its RSS grows by less than a
// bound (not a timing).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startDaemon, type Daemon } from '../helpers/daemon.ts';
import { canRun, cgroupsUnder, fdDiff, fdsBackTo, fdTable, mountsUnder, ok, settledFds, skipReason } from './container-fixture.ts';

const ROUNDS = Number(process.env.ISULA_SOAK ?? 200);
const WARMUP = 20;
const RSS_BOUND = 24 * 1024 * 1024;
/** how long the daemon is given to collect once idle: two of its idle-GC periods and a bit */
const IDLE_WAIT_MS = 25_000;
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) if (!e.isDirectory()) out.push(join(e.parentPath, e.name));
  return out.sort();
}

describe('soak: run --rm leaves the daemon flat', { skip: skipReason }, () => {
  let d: Daemon;
  let work: string;
  before(async () => {
    if (!canRun) return;
    d = await startDaemon({ config: { 'log-level': 'WARN' } });
    work = mkdtempSync(join(tmpdir(), 'isula-soak-'));
  });
  after(async () => {
    if (!canRun) return;
    await d.stop();
    rmSync(work, { recursive: true, force: true });
  });

  const kB = (status: string, field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) * 1024;
  const snapshot = () => {
    const pid = d.pid as number;
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return {
      rss: kB(status, 'VmRSS'),
      anon: kB(status, 'RssAnon'),
      // what LXC keeps under /run for any path of this daemon (lock files per lxcpath and container)
      runLxc: filesUnder(join('/run/lxc/lock', d.dir)),
      mounts: mountsUnder(d.dir),
      cgroups: [...cgroupsUnder(d.cgroupParent), ...cgroupsUnder(`${d.cgroupParent}.monitor`)],
      state: filesUnder(d.state).filter((p) => !p.includes('/lcr/exits/')),
      exits: filesUnder(join(d.state, 'lcr', 'exits')),
      locks: filesUnder(join('/run/lxc/lock', d.root)),
      containers: filesUnder(join(d.root, 'containers')),
    };
  };

  /** A start that fails after `run` primed its log reader (the bind source is gone by then). */
  async function failedAttachedStart(i: number): Promise<void> {
    const src = join(work, `src-${i}`);
    writeFileSync(src, 'x');
    const id = (await ok(d, ['create', '-v', `${src}:/x`, 'busybox', 'true'])).stdout.trim();
    unlinkSync(src);
    const r = await d.isula(['start', '-a', id]);
    assert.notEqual(r.code, 0, 'the start must fail');
    assert.equal((r.stderr.match(/start container/g) ?? []).length, 1, `one "start container" in: ${r.stderr}`);
    await ok(d, ['rm', id]);
  }

  async function round(i: number): Promise<void> {
    const r = await ok(d, ['run', '--rm', 'busybox', 'echo', `r${i}`]);
    assert.equal(r.stdout, `r${i}\n`);
    if (i % 10 === 0) await failedAttachedStart(i);
  }

  test(`${ROUNDS} run --rm (and ${Math.floor(ROUNDS / 10)} failed attached starts): fds, mounts, cgroups, files and RSS flat`, { timeout: Math.max(30, ROUNDS / 10 + 10) * 60_000 }, async () => {
    for (let i = 0; i < WARMUP; i++) await round(i);
    const baseFds = await settledFds(d.pid as number);
    const base = snapshot();
    // A line per tenth of the run (not asserted, read by hand: where RSS or fds would grow).
    const step = Math.max(1, Math.floor(ROUNDS / 10));
    const mib = (b: number) => (b / 2 ** 20).toFixed(1);
    for (let i = WARMUP; i < WARMUP + ROUNDS; i++) {
      await round(i);
      if ((i - WARMUP + 1) % step === 0) {
        const s = snapshot();
        console.log(`# after ${i - WARMUP + 1} rounds: rss ${mib(s.rss)} MiB (anon ${mib(s.anon)}), fds ${fdTable(d.pid as number).size}, mounts ${s.mounts.length}, cgroups ${s.cgroups.length}, state files ${s.state.length}, /run/lxc files ${s.runLxc.length}`);
      }
    }
    // Fds are compared as tables, after the daemon settled: a connection the CLI just closed may
    // still be open on the daemon's side for a moment; a leaked one stays and is named below.
    const rightAfter = fdTable(d.pid as number);
    if (rightAfter.size > baseFds.size) console.log(`# fds right after the last round (before settling): new ${fdDiff(rightAfter, baseFds).join(', ')}`);
    const endFds = await fdsBackTo(d.pid as number, baseFds);
    const end = snapshot();
    console.log(
      `# soak ${ROUNDS} rounds: fds ${baseFds.size} -> ${endFds.size}, rss ${mib(base.rss)} -> ${mib(end.rss)} MiB (anon ${mib(base.anon)} -> ${mib(end.anon)}), mounts ${base.mounts.length} -> ${end.mounts.length}, cgroups ${base.cgroups.length} -> ${end.cgroups.length}, state files ${base.state.length} -> ${end.state.length}, /run/lxc files ${base.runLxc.length} -> ${end.runLxc.length}, lock files ${end.locks.length}`,
    );
    assert.ok(
      endFds.size <= baseFds.size,
      `daemon fds grew: ${baseFds.size} -> ${endFds.size}; new: ${fdDiff(endFds, baseFds).join(', ') || '-'}; gone: ${fdDiff(baseFds, endFds).join(', ') || '-'}`,
    );
    assert.deepEqual(end.mounts, base.mounts, 'mounts');
    assert.deepEqual(end.cgroups, base.cgroups, 'cgroups');
    assert.deepEqual(end.state, base.state, 'files under the state dir');
    assert.deepEqual(end.exits, [], 'exit files');
    assert.deepEqual(end.locks, [], 'LXC lock files');
    assert.deepEqual(end.runLxc, base.runLxc, 'files under /run/lxc for this daemon');
    assert.deepEqual(end.containers, [], 'container dirs');
    // RSS is judged once the daemon is idle. How far V8 lets the heap grow during the burst
    // depends on when its own collections ran: the same build grew by 8 to 34 MiB over 200 rounds
    // in runs on this machine, and one CI run failed on it. Once the loop is quiet the daemon
    // collects and gives the pages back (daemon/idle-gc.ts: checked every 10 s); a leak stays.
    let idle = end;
    for (let waited = 0; idle.rss - base.rss >= RSS_BOUND && waited < IDLE_WAIT_MS; waited += 1000) {
      await sleep(1000);
      idle = snapshot();
    }
    if (idle !== end) console.log(`# once idle: rss ${mib(idle.rss)} MiB (anon ${mib(idle.anon)})`);
    assert.ok(idle.rss - base.rss < RSS_BOUND, `RSS grew by ${((idle.rss - base.rss) / 2 ** 20).toFixed(1)} MiB and stayed once idle (bound ${RSS_BOUND / 2 ** 20} MiB)`);
  });
});
