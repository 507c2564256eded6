// One daemon, every runtime it lists (issue 11): for lcr, runc and crun (where the host lets it
// run; otherwise its refusal is printed), `isula run --rm busybox true` (median of RUNS), 20
// parallel `isula run -d … sleep`, and the PSS of the per-container monitor processes while those
// 20 run (smaps_rollup; the container's own processes excluded). lcr's monitor is the sh monitor,
// lxc-start and two awk log copiers; an OCI runtime's is conmon and its log copier (one awk).
// Goal: OCI monitor <= 0.5 MB PSS per container. Needs root, LXC, runc and conmon.
// The machine may be shared: compare rows of the same run, read medians as noisy.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const ROOT = resolve(import.meta.dirname, '..');
const HOST = process.arch === 'arm64' ? 'linux-arm64' : 'linux-x64';
const BIN = process.env['ISULA_BIN'] ?? join(ROOT, 'dist', HOST, 'isulad');
const RUNS = Math.max(10, Number(process.env['BENCH_RUNS'] ?? 10));
const PARALLEL = 20;
const CGROUP_PARENT = `isulad-rtbench-${process.pid}`;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const f1 = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : 'n/a');

interface Daemon {
  proc: ChildProcess;
  dir: string;
  isula: string[];
}

function isula(d: Daemon, args: string[]): string {
  const r = spawnSync(d.isula[0] as string, [...d.isula.slice(1), ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`isula ${args.join(' ')}: exit ${r.status ?? r.signal}: ${(r.stderr ?? '').trim().slice(-400)}`);
  return r.stdout;
}

async function startDaemon(): Promise<Daemon> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-rt-'));
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  copyFileSync(BIN, join(bin, 'isulad'));
  symlinkSync('isulad', join(bin, 'isula'));
  const sock = join(dir, 'isulad.sock');
  writeFileSync(
    join(dir, 'daemon.json'),
    JSON.stringify({
      hosts: [`unix://${sock}`], graph: join(dir, 'root'), state: join(dir, 'state'), pidfile: join(dir, 'isulad.pid'),
      'cgroup-parent': CGROUP_PARENT, 'log-driver': 'file', 'log-level': 'ERROR', // no default bridge network (as before it existed; network.bench.ts measures it), so no
      // isula-br<N> is left on the host after the bench
      bridge: 'none',
      'log-opts': { 'log-path': join(dir, 'log') },
    }),
  );
  const proc = spawn(join(bin, 'isulad'), ['--config-file', join(dir, 'daemon.json')], { stdio: 'ignore' });
  const d = { proc, dir, isula: [join(bin, 'isula'), '-H', `unix://${sock}`] };
  for (let i = 0; i < 300; i++) {
    if (proc.exitCode !== null) break;
    if (existsSync(sock) && spawnSync(d.isula[0] as string, [...d.isula.slice(1), 'version']).status === 0) return d;
    await sleep(100);
  }
  proc.kill('SIGKILL');
  throw new Error('isulad did not come up');
}

async function stopDaemon(d: Daemon): Promise<void> {
  const ids = isula(d, ['ps', '-aq', '--no-trunc']).split('\n').filter(Boolean);
  if (ids.length > 0) spawnSync(d.isula[0] as string, [...d.isula.slice(1), 'rm', '-f', ...ids]);
  const exited = new Promise((r) => d.proc.once('exit', r));
  d.proc.kill('SIGTERM');
  await Promise.race([exited, sleep(10_000)]);
  const mounts = readFileSync('/proc/self/mountinfo', 'utf8').split('\n').map((l) => l.split(' ')[4] ?? '').filter((p) => p.startsWith(d.dir + '/'));
  for (const m of mounts.sort((a, b) => b.length - a.length)) spawnSync('umount', ['-l', m]);
  rmSync(d.dir, { recursive: true, force: true });
  const base = '/sys/fs/cgroup';
  for (const r of [base, ...readdirSync(base).map((n) => join(base, n))]) {
    for (const n of [CGROUP_PARENT, `${CGROUP_PARENT}.monitor`]) {
      try {
        rmdirSync(join(r, n));
      } catch {
        /* absent or busy */
      }
    }
  }
}

function pss(pid: number): number {
  try {
    return Number(/^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

function procTable(): { parent: Map<number, number>; kids: Map<number, number[]> } {
  const parent = new Map<number, number>();
  const kids = new Map<number, number[]>();
  for (const p of readdirSync('/proc')) {
    if (!/^\d+$/.test(p)) continue;
    try {
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parent.set(Number(p), ppid);
      kids.set(ppid, [...(kids.get(ppid) ?? []), Number(p)]);
    } catch {
      /* gone */
    }
  }
  return { parent, kids };
}

const comm = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '?';
  }
};

/**
 * The monitor processes of a container: the detached tree its init hangs from (the top ancestor
 * below the reaper, e.g. sh monitor or conmon), minus the init's own subtree. kB by comm.
 */
function monitorPss(init: number, t: ReturnType<typeof procTable>, daemonPid: number): Map<string, number> {
  let top = init;
  for (;;) {
    const pp = t.parent.get(top);
    if (pp === undefined || pp <= 1 || pp === daemonPid || comm(pp) === 'process_api') break;
    top = pp;
  }
  const out = new Map<string, number>();
  const stack = top === init ? [] : [top];
  while (stack.length > 0) {
    const p = stack.pop() as number;
    if (p === init) continue;
    const c = comm(p);
    out.set(c, (out.get(c) ?? 0) + pss(p));
    stack.push(...(t.kids.get(p) ?? []));
  }
  return out;
}

/** An OCI container's log copier: the awk whose stdin is that container's log.fifo. kB by comm. */
function copierPss(id: string, t: ReturnType<typeof procTable>): Map<string, number> {
  const out = new Map<string, number>();
  for (const p of t.parent.keys()) {
    let in0 = '';
    try {
      in0 = readlinkSync(`/proc/${p}/fd/0`);
    } catch {
      continue;
    }
    if (in0.endsWith(`/${id}/log.fifo`)) out.set(comm(p), (out.get(comm(p)) ?? 0) + pss(p));
  }
  return out;
}

async function parallelRuns(d: Daemon, runtime: string, n: number): Promise<number> {
  const t0 = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: n }, () =>
      new Promise<void>((res, rej) => {
        const c = spawn(d.isula[0] as string, [...d.isula.slice(1), 'run', '-d', '--runtime', runtime, 'busybox', 'sleep', '1000'], { stdio: 'ignore' });
        c.once('exit', (code) => (code === 0 ? res() : rej(new Error(`run -d --runtime ${runtime}: exit ${code}`))));
      }),
    ),
  );
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

async function main(): Promise<number> {
  if (process.getuid?.() !== 0) {
    console.log('runtimes bench: needs root; skipped');
    return 0;
  }
  const d = await startDaemon();
  const daemonPid = d.proc.pid as number;
  try {
    const info = isula(d, ['info']);
    const usable = /^Runtimes: (.*)$/m.exec(info)?.[1]?.split(' ') ?? [];
    const unusable = [...info.matchAll(/^ Unusable: (\S+): (.*)$/gm)].map((m) => ({ name: m[1] as string, why: m[2] as string }));
    const names = ['lcr', 'runc', 'crun'];
    console.log(`runtimes: ${usable.join(' ')}${unusable.length > 0 ? `; unusable: ${unusable.map((u) => u.name).join(' ')}` : ''}`);
    console.log(`runtime   run --rm true (median of ${RUNS})   ${PARALLEL} parallel run -d   monitor PSS per container   by process`);
    for (const rt of names) {
      const refused = unusable.find((u) => u.name === rt);
      if (!usable.includes(rt)) {
        console.log(`${rt.padEnd(9)} ${refused ? `unusable here: ${refused.why}` : 'not installed'}`);
        continue;
      }
      const times: number[] = [];
      for (let i = 0; i < RUNS + 2; i++) {
        const t0 = process.hrtime.bigint();
        isula(d, ['run', '--rm', '--runtime', rt, 'busybox', 'true']);
        if (i >= 2) times.push(Number(process.hrtime.bigint() - t0) / 1e6); // 2 warm-up runs
      }
      const par = await parallelRuns(d, rt, PARALLEL);
      await sleep(500);
      const ids = isula(d, ['ps', '-q', '--no-trunc']).split('\n').filter(Boolean);
      const t = procTable();
      const byComm = new Map<string, number>();
      for (const id of ids) {
        const init = Number(isula(d, ['inspect', '-f', '{{.State.Pid}}', id]).trim());
        for (const [c, kb] of [...monitorPss(init, t, daemonPid), ...copierPss(id, t)]) byComm.set(c, (byComm.get(c) ?? 0) + kb);
      }
      const total = [...byComm.values()].reduce((a, b) => a + b, 0);
      const n = Math.max(1, ids.length);
      const parts = [...byComm].map(([c, kb]) => `${c} ${(kb / n / 1024).toFixed(2)}`).join(', ');
      console.log(
        `${rt.padEnd(9)} ${`${f1(median(times))} ms`.padEnd(33)} ${`${f1(par)} ms`.padEnd(19)} ${`${(total / n / 1024).toFixed(2)} MB (${ids.length} containers)`.padEnd(27)} ${parts}`,
      );
      spawnSync(d.isula[0] as string, [...d.isula.slice(1), 'rm', '-f', ...ids]);
    }
    console.log('goal: OCI monitor (conmon + log copier) <= 0.5 MB PSS per container');
    return 0;
  } finally {
    await stopDaemon(d);
  }
}

process.exitCode = await main();
