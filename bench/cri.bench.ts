// The CRI face side by side with containerd 1.6's CRI plugin (Debian's `containerd`), in one run on
// this machine: the same gRPC client (grpc-js, as in the integration tests) times RunPodSandbox,
// CreateContainer and StartContainer for N pods one after another (pod start = the three), then,
// with the N pods running, reads each daemon's RSS and the per-pod monitor memory (lcr: sh +
// lxc-start + awk copiers; runc: conmon + copier; containerd: one shim per pod), then times
// StopPodSandbox + RemovePodSandbox. Each daemon runs on a scratch root, state and socket under one
// temp dir (never containerd's default root or socket) with its own CNI bridge (no gateway, so
// ip_forward is left alone) and the same busybox and pause archives (rootfs-fixtures/out).
// Prints a table and writes docs/bench-cri.md.
//
//   BENCH_CRI_PODS (default 10)   pods per engine
//   BENCH_CRI_ENGINES=isulad-lcr,isulad-runc,containerd   which rows (default all available)
//   BENCH_CRI_TRACE=1             isulad: ISULAD_POD_TRACE=1 at log level INFO; prints the median
//                                 time at which each RunPodSandbox step ended (docs/cri.md, Pods)
//   BENCH_CRI_KEEP_LOGS=PREFIX    with BENCH_CRI_TRACE: each isulad's log dir is kept as PREFIX-<runtime>
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { criClient, type CriClient } from '../test/helpers/cri-client.ts';

const ROOT = resolve(import.meta.dirname, '..');
const HOST = process.arch === 'arm64' ? 'linux-arm64' : 'linux-x64';
const ARCH = process.arch === 'arm64' ? 'arm64' : 'amd64';
const BIN = process.env['ISULA_BIN'] ?? join(ROOT, 'dist', HOST, 'isulad');
const N = Number(process.env['BENCH_CRI_PODS'] ?? 10);
const BUSYBOX = join(ROOT, 'rootfs-fixtures', 'out', `busybox-${ARCH}.docker.tar`);
const PAUSE = join(ROOT, 'rootfs-fixtures', 'out', `pause-${ARCH}.docker.tar`);
const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const TRACE = process.env['BENCH_CRI_TRACE'] === '1';
const wanted = (e: string) => (process.env['BENCH_CRI_ENGINES'] ?? 'isulad-lcr,isulad-runc,containerd').split(',').includes(e);

function sh(cmd: string): string {
  const r = spawnSync('sh', ['-c', cmd], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`${cmd}: exit ${r.status}\n${r.stdout}${r.stderr}`);
  return r.stdout;
}

async function waitFor(path: string, proc: ChildProcess, what: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (existsSync(path)) return;
    if (proc.exitCode !== null) throw new Error(`${what} exited ${proc.exitCode}`);
    await sleep(100);
  }
  throw new Error(`${what}: no ${path} after 60 s`);
}

/** A CNI conflist: a bridge of its own without a gateway (no ip_forward change), host-local IPAM. */
function cniDir(dir: string, name: string, bridge: string, subnet: string): string {
  const d = join(dir, `${name}-net.d`);
  mkdirSync(d, { recursive: true });
  writeFileSync(join(d, '10-bench.conflist'), JSON.stringify({
    cniVersion: '0.4.0', name,
    plugins: [{ type: 'bridge', bridge, isGateway: false, ipMasq: false, ipam: { type: 'host-local', ranges: [[{ subnet }]], dataDir: join(dir, `${name}-ipam`) } }],
  }));
  return d;
}

interface Engine {
  name: string;
  sock: string;
  proc: ChildProcess;
  handler: string;
  image: string;
  /** pids of the per-pod monitors (their PSS is summed) */
  monitors(): number[];
  cleanup(): void;
  /** isulad: its log dir (BENCH_CRI_TRACE) */
  logDir?: string;
}

async function startIsulad(dir: string, runtime: 'lcr' | 'runc', bridge: string, subnet: string): Promise<Engine> {
  const d = join(dir, `isulad-${runtime}`);
  mkdirSync(d, { recursive: true });
  const sock = join(d, 'isulad.sock');
  const cfg = join(d, 'daemon.json');
  writeFileSync(cfg, JSON.stringify({
    hosts: [`unix://${sock}`], graph: join(d, 'root'), state: join(d, 'state'), pidfile: join(d, 'isulad.pid'),
    'cgroup-parent': `isulad-crib-${process.pid}-${runtime}`, 'log-driver': 'file', 'log-level': TRACE ? 'INFO' : 'ERROR',
    bridge: 'none', 'log-opts': { 'log-path': join(d, 'log') },
    'cni-conf-dir': cniDir(dir, `isulad-${runtime}`, bridge, subnet),
  }));
  // the file-backed part of RSS depends on what of the executable is in the page cache (the kernel
  // maps cached neighbours of a faulting page): a binary just built is all cached (bench/rss.bench.ts)
  spawnSync('dd', [`if=${BIN}`, 'iflag=nocache', 'count=0'], { stdio: 'ignore' });
  // as packaged (packaging/isulad.service sets MALLOC_ARENA_MAX=2)
  const proc = spawn(BIN, ['--config-file', cfg], { stdio: 'ignore', env: { ...process.env, MALLOC_ARENA_MAX: '2', ...(TRACE ? { ISULAD_POD_TRACE: '1' } : {}) } });
  await waitFor(sock, proc, 'isulad');
  sh(`${join(BIN, '..', 'isula')} -H unix://${sock} load -i ${BUSYBOX} >/dev/null`);
  return {
    name: `isulad (${runtime})`, sock, proc, handler: runtime, image: 'busybox:latest',
    // lcr: the sh monitor (a session leader) and its lxc-start and awk copiers; runc: conmon
    monitors: () => (runtime === 'lcr' ? supervisors(['sh', 'dash', 'lxc-start', 'awk', 'mawk', 'busybox'], join(d, 'state'), true) : supervisors(['conmon', 'awk', 'busybox'], d)),
    cleanup: () => undefined,
    logDir: join(d, 'log'),
  };
}

async function startContainerd(dir: string, bridge: string, subnet: string): Promise<Engine> {
  const d = join(dir, 'containerd');
  mkdirSync(d, { recursive: true });
  const sock = join(d, 'containerd.sock');
  const cfg = join(d, 'config.toml');
  const net = cniDir(dir, 'containerd', bridge, subnet);
  writeFileSync(cfg, [
    'version = 2',
    `root = ${JSON.stringify(join(d, 'root'))}`,
    `state = ${JSON.stringify(join(d, 'state'))}`,
    '[grpc]', `  address = ${JSON.stringify(sock)}`,
    '[plugins."io.containerd.grpc.v1.cri"]',
    '  sandbox_image = "docker.io/library/pause:3.9"',
    // this host lacks CAP_SYS_RESOURCE: a pause at -998 fails in runc init (research/peers.md)
    '  restrict_oom_score_adj = true',
    '  enable_selinux = false',
    '[plugins."io.containerd.grpc.v1.cri".cni]', `  bin_dir = "/usr/lib/cni"`, `  conf_dir = ${JSON.stringify(net)}`,
    '[plugins."io.containerd.grpc.v1.cri".containerd]', '  snapshotter = "overlayfs"',
    '',
  ].join('\n'));
  const proc = spawn('containerd', ['--config', cfg, '--log-level', 'error'], { stdio: 'ignore' });
  await waitFor(sock, proc, 'containerd');
  const ctr = `ctr -a ${sock} -n k8s.io`;
  sh(`${ctr} images import ${BUSYBOX} >/dev/null && ${ctr} images import ${PAUSE} >/dev/null`);
  return {
    name: 'containerd 1.6 (CRI)', sock, proc, handler: '', image: 'docker.io/library/busybox:latest',
    monitors: () => supervisors(['containerd-shim'], sock),
    cleanup: () => undefined,
  };
}

interface Proc {
  pid: number;
  comm: string;
  session: number;
  cmdline: string;
}

function procs(): Proc[] {
  const out: Proc[] = [];
  for (const p of readdirSync('/proc')) {
    if (!/^\d+$/.test(p)) continue;
    try {
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
      out.push({
        pid: Number(p),
        comm: readFileSync(`/proc/${p}/comm`, 'utf8').trim(),
        session: Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[3]),
        cmdline: readFileSync(`/proc/${p}/cmdline`, 'utf8').replace(/\0/g, ' '),
      });
    } catch {
      // gone
    }
  }
  return out;
}

/** Supervisor pids: processes named one of `names` whose command line mentions `marker`, and (withSession) every process of their sessions named so. */
function supervisors(names: string[], marker: string, withSession = false): number[] {
  const all = procs();
  const named = (x: Proc) => names.some((n) => x.comm.startsWith(n));
  const lead = all.filter((x) => named(x) && x.cmdline.includes(marker));
  if (!withSession) return lead.map((x) => x.pid);
  const sids = new Set(lead.map((x) => x.session));
  return all.filter((x) => named(x) && sids.has(x.session)).map((x) => x.pid);
}

const kb = (pid: number, file: string, key: string) => {
  try {
    return Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/${file}`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
};
/** CPU time (ms) of a process plus its reaped children (the CNI plugins, mount, unshare...): utime+stime+cutime+cstime. */
const cpuMs = (pid: number) => {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const v = f.slice(f.lastIndexOf(')') + 2).split(' ').slice(11, 15).map(Number);
    return v.reduce((a, b) => a + b, 0) * 10; // USER_HZ = 100
  } catch {
    return NaN;
  }
};
/**
 * The daemon's CPU (cpuMs) plus its tool shells' (util/sh-runner.ts: long-lived `/bin/sh` children
 * that run mount, umount, unshare for it; their tools are reaped by the shell, not the daemon).
 * The detached monitors (`sh <script> run …`) have arguments and are left out.
 */
const engineCpuMs = (pid: number) => {
  let total = cpuMs(pid);
  let kids: string[] = [];
  try {
    kids = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
  } catch {
    // no children file: the daemon's own figure only
  }
  for (const k of kids) {
    try {
      const argv = readFileSync(`/proc/${k}/cmdline`, 'utf8').split('\0').filter(Boolean);
      if (argv.length === 1 && /(^|\/)(sh|dash|bash)$/.test(argv[0]!)) total += cpuMs(Number(k));
    } catch {
      // gone
    }
  }
  return total;
};
const rssMB = (pid: number) => kb(pid, 'status', 'VmRSS') / 1024;
const pssMB = (pids: number[]) => pids.reduce((a, p) => a + kb(p, 'smaps_rollup', 'Pss'), 0) / 1024;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** The median end time of each step over the `pod start trace:` lines of a daemon's log, the first (warm-up) left out. */
function traceMedians(dir: string): string {
  const steps = new Map<string, number[]>();
  const lines = readdirSync(dir).flatMap((f) => readFileSync(join(dir, f), 'utf8').split('\n')).filter((l) => l.includes('pod start trace:'));
  for (const l of lines.slice(1)) {
    for (const m of l.matchAll(/(\w+)=([\d.]+)/g)) {
      if (!steps.has(m[1]!)) steps.set(m[1]!, []);
      steps.get(m[1]!)!.push(Number(m[2]));
    }
  }
  return [...steps].map(([k, v]) => `${k}=${median(v).toFixed(1)}`).join(' ');
}

interface Row {
  engine: string;
  runp: number;
  create: number;
  start: number;
  pod: number;
  /** daemon CPU (with its reaped children) per pod start, ms */
  cpu: number;
  stopRm: number;
  rssIdle: number;
  rssPods: number;
  monitorPss: number;
}

async function measure(e: Engine): Promise<Row> {
  const cri: CriClient = await criClient(e.sock);
  try {
    await cri.runtime('Version', {});
    // one warm-up pod (first-use costs: image unpack caches, CNI plugin page cache)
    const t = { runp: [] as number[], create: [] as number[], start: [] as number[], pod: [] as number[], stopRm: [] as number[] };
    const rssIdle = rssMB(e.proc.pid!);
    const pods: string[] = [];
    let cpu0 = 0;
    for (let i = 0; i <= N; i++) {
      if (i === 1) cpu0 = engineCpuMs(e.proc.pid!);
      const cfg = { metadata: { name: `b${i}`, namespace: 'bench', uid: `bench-${process.pid}-${i}`, attempt: 0 }, log_directory: join(tmpdir(), `cri-bench-${process.pid}`, e.handler || 'ctrd', String(i)), linux: {} };
      const t0 = performance.now();
      const id = (await cri.runtime('RunPodSandbox', { config: cfg, runtime_handler: e.handler }))['pod_sandbox_id'] as string;
      const t1 = performance.now();
      const cid = (await cri.runtime('CreateContainer', { pod_sandbox_id: id, sandbox_config: cfg, config: { metadata: { name: 'c' }, image: { image: e.image }, command: ['sleep', '3600'], log_path: 'c.log', linux: {} } }))['container_id'] as string;
      const t2 = performance.now();
      await cri.runtime('StartContainer', { container_id: cid });
      const t3 = performance.now();
      if (i === 0) {
        await cri.runtime('StopPodSandbox', { pod_sandbox_id: id });
        await cri.runtime('RemovePodSandbox', { pod_sandbox_id: id });
        continue;
      }
      t.runp.push(t1 - t0);
      t.create.push(t2 - t1);
      t.start.push(t3 - t2);
      t.pod.push(t3 - t0);
      pods.push(id);
    }
    const cpu = (engineCpuMs(e.proc.pid!) - cpu0) / N;
    if (TRACE && e.logDir && process.env['BENCH_CRI_KEEP_LOGS']) sh(`cp -r ${e.logDir} ${process.env['BENCH_CRI_KEEP_LOGS']}-${e.handler}`);
    if (TRACE && e.logDir) console.log(`${e.name} RunPodSandbox steps (median ms since the call, warm-up pod left out): ${traceMedians(e.logDir)}`);
    await sleep(2000); // let the daemons settle (GC, deferred work) before reading memory
    const rssPods = rssMB(e.proc.pid!);
    const monitorPss = pssMB(e.monitors()) / N;
    for (const id of pods) {
      const t0 = performance.now();
      await cri.runtime('StopPodSandbox', { pod_sandbox_id: id });
      await cri.runtime('RemovePodSandbox', { pod_sandbox_id: id });
      t.stopRm.push(performance.now() - t0);
    }
    return {
      engine: e.name, runp: median(t.runp), create: median(t.create), start: median(t.start), pod: median(t.pod), cpu, stopRm: median(t.stopRm),
      rssIdle, rssPods, monitorPss,
    };
  } finally {
    cri.close();
  }
}

async function main(): Promise<number> {
  if (process.getuid?.() !== 0) {
    console.log('cri bench: needs root (pods); skipped');
    return 0;
  }
  for (const f of [BIN, BUSYBOX, PAUSE]) if (!existsSync(f)) throw new Error(`cri bench: ${f} missing (make build)`);
  const dir = mkdtempSync(join(tmpdir(), 'cri-bench-'));
  const tag = String(process.pid % 1000);
  const engines: Engine[] = [];
  const notes: string[] = [];
  const rows: Row[] = [];
  const load0 = loadavg()[0]!;
  try {
    // one engine at a time: each meets the machine alone, and its pods are gone before the next
    const plan: Array<[string, () => Promise<Engine>]> = [
      ['containerd', () => startContainerd(dir, `crib${tag}c`, '10.234.31.0/24')],
      ['isulad-lcr', () => startIsulad(dir, 'lcr', `crib${tag}l`, '10.234.32.0/24')],
      ['isulad-runc', () => startIsulad(dir, 'runc', `crib${tag}r`, '10.234.33.0/24')],
    ];
    for (const [key, start] of plan) {
      if (!wanted(key)) continue;
      if (key === 'containerd' && !(has('containerd') && has('ctr'))) {
        notes.push('containerd: skipped (not installed; `sh scripts/install-deps.sh --bench`)');
        continue;
      }
      if (key === 'isulad-runc' && !(has('runc') && has('conmon'))) {
        notes.push('isulad (runc): skipped (runc or conmon missing)');
        continue;
      }
      const e = await start();
      engines.push(e);
      try {
        rows.push(await measure(e));
      } finally {
        e.proc.kill('SIGTERM');
        await new Promise((r) => (e.proc.exitCode !== null ? r(undefined) : e.proc.once('exit', r)));
        engines.pop();
      }
    }
  } finally {
    for (const e of engines) e.proc.kill('SIGKILL');
    for (const b of [`crib${tag}c`, `crib${tag}l`, `crib${tag}r`]) spawnSync('ip', ['link', 'del', b], { stdio: 'ignore' });
    spawnSync('sh', ['-c', `grep -l ${dir} /proc/self/mountinfo >/dev/null; awk '$5 ~ "^${dir}" {print $5}' /proc/self/mountinfo | sort -r | xargs -r -n1 umount -l`], { stdio: 'ignore' });
    rmSync(dir, { recursive: true, force: true });
    rmSync(join(tmpdir(), `cri-bench-${process.pid}`), { recursive: true, force: true });
  }
  const load1 = loadavg()[0]!;
  const ctrd = rows.find((r) => r.engine.startsWith('containerd'));
  const f = (x: number) => x.toFixed(1);
  const ratio = (x: number, y: number | undefined) => (y ? `${(x / y).toFixed(2)}×` : '–');
  const lines = [
    '# CRI side by side (bench/cri.bench.ts)',
    '',
    `${new Date().toISOString()}, Linux ${release()}, ${cpus().length} CPUs, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, load ${load0.toFixed(1)} → ${load1.toFixed(1)}; ${N} pods per engine, one after another (a warm-up pod first), each a pause sandbox on a CNI bridge plus one busybox \`sleep\` container; grpc-js client on the daemon's socket. Times are medians in ms; pod start = RunPodSandbox + CreateContainer + StartContainer; CPU per pod = the daemon's CPU time with its reaped children (CNI plugins) and its tool shells with theirs (mount, unshare; not the detached monitors or shims) over the N pod starts ÷ N, less sensitive to the machine's load than wall time. RSS is the daemon process's VmRSS; monitor = PSS of the per-pod supervisor processes ÷ pods.`,
    '',
    '| engine | RunPodSandbox | CreateContainer | StartContainer | pod start | vs containerd | daemon CPU per pod start (ms) | stop+remove pod | daemon RSS idle → with pods (MB) | vs containerd | monitor PSS per pod (MB) |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.engine} | ${f(r.runp)} | ${f(r.create)} | ${f(r.start)} | ${f(r.pod)} | ${ratio(r.pod, ctrd?.pod)} | ${f(r.cpu)} | ${f(r.stopRm)} | ${f(r.rssIdle)} → ${f(r.rssPods)} | ${ratio(r.rssPods, ctrd?.rssPods)} | ${r.monitorPss.toFixed(2)} |`),
    '',
    ...notes.map((n) => `- ${n}`),
    'Targets (issue 10): pod start ≤ 0.5× containerd, daemon RSS with 10 pods ≤ containerd. Compare rows of one run only: the machine is shared.',
    '',
  ];
  const text = lines.join('\n');
  console.log(text);
  writeFileSync(join(ROOT, 'docs', 'bench-cri.md'), text);
  return 0;
}

process.exitCode = await main();
