// The daemon's footprint beside containerd's, both started fresh in the same run on scratch roots,
// state dirs and sockets (never a peer's default): idle memory split by where it lives (the
// executable's text and read-only data, malloc's heap, other anonymous memory: thread stacks and
// V8's heap), memory with 50 running containers, bytes written per create+start+wait+rm, and the
// daemon's CPU for 20 parallel `run -d`. Writes docs/bench-daemon.md. The issue's targets: idle
// RSS <= 45 MiB and anonymous <= 20 MiB, <= 60 MiB with 50 running containers, <= 8 KB of metadata
// written per lifecycle, 20 parallel `run -d` <= 0.4 s.
//
// isulad runs as its systemd unit starts it (MALLOC_ARENA_MAX=2) with its state dir on a tmpfs
// (/dev/shm here; /run/isulad in a real install), so the figures count what reaches the disk.
//
//   BENCH_IDLE_S (default 25)  seconds of idle before a memory sample (the idle collector looks every
//                              10 s and collects after a fully idle period)
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const ROOT = resolve(import.meta.dirname, '..');
const HOST = process.arch === 'arm64' ? 'linux-arm64' : 'linux-x64';
const ARCH = process.arch === 'arm64' ? 'arm64' : 'amd64';
const BIN = process.env['ISULA_BIN'] ?? join(ROOT, 'dist', HOST, 'isulad');
const ARCHIVE = join(ROOT, 'rootfs-fixtures', 'out', `busybox-${ARCH}.docker.tar`);
const IDLE_MS = Number(process.env['BENCH_IDLE_S'] ?? 25) * 1000;
const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

function sh(cmd: string, quiet = false): string {
  const r = spawnSync('sh', ['-c', cmd], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0 && !quiet) throw new Error(`${cmd}: exit ${r.status}\n${r.stdout}${r.stderr}`);
  return r.stdout;
}

/** Resident memory of `pid` in MiB, split by mapping (from /proc/PID/smaps). */
interface MemSplit { rss: number; anon: number; file: number; exeText: number; exeData: number; mallocHeap: number; otherAnon: number }

function memSplit(pid: number): MemSplit {
  const exe = readLink(`/proc/${pid}/exe`);
  const m: MemSplit = { rss: 0, anon: 0, file: 0, exeText: 0, exeData: 0, mallocHeap: 0, otherAnon: 0 };
  let name = '';
  let perms = '';
  for (const line of readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
    const head = /^[0-9a-f]+-[0-9a-f]+ (\S+) \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (head) {
      perms = head[1] as string;
      name = head[2] ?? '';
      continue;
    }
    const rss = /^Rss:\s+(\d+)/.exec(line);
    if (!rss) continue;
    const kb = Number(rss[1]) / 1024;
    m.rss += kb;
    if (name === exe) {
      if (perms.includes('x')) m.exeText += kb;
      else m.exeData += kb;
    } else if (name === '[heap]') m.mallocHeap += kb;
    else if (!name.startsWith('/')) m.otherAnon += kb;
  }
  const s = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(s)?.[1] ?? 0) / 1024;
  m.anon = kb('RssAnon');
  m.file = kb('RssFile');
  return m;
}

function readLink(p: string): string {
  return spawnSync('readlink', [p], { encoding: 'utf8' }).stdout.trim();
}

const ioWrites = (pid: number) => {
  try {
    return Number(/write_bytes:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/io`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0; // exited meanwhile
  }
};
/** write_bytes of `pid` and of its live children (the daemon's tool shells: what they reaped is in their count until they exit) */
const writeBytes = (pid: number) => {
  let kids: number[] = [];
  try {
    for (const t of readdirSync(`/proc/${pid}/task`)) kids = kids.concat(readFileSync(`/proc/${pid}/task/${t}/children`, 'utf8').split(' ').filter(Boolean).map(Number));
  } catch {
    kids = [];
  }
  return [pid, ...kids].reduce((sum, p) => sum + ioWrites(p), 0);
};
const cpuMs = (pid: number) => {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(f[11]) + Number(f[12])) * 10; // utime + stime, clock ticks of 10 ms
};

async function waitFor(path: string, proc: ChildProcess, what: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (existsSync(path)) return;
    if (proc.exitCode !== null) throw new Error(`${what} exited ${proc.exitCode}`);
    await sleep(100);
  }
  throw new Error(`${what}: no ${path} after 30 s`);
}

interface Daemon { name: string; proc: ChildProcess; pid: number; cli: string }

async function startIsulad(dir: string, stateDir: string): Promise<Daemon & { storeLog: string }> {
  const d = join(dir, 'isulad');
  mkdirSync(d, { recursive: true });
  const sock = join(d, 'isulad.sock');
  const cfg = join(d, 'daemon.json');
  writeFileSync(cfg, JSON.stringify({
    hosts: [`unix://${sock}`], graph: join(d, 'root'), state: stateDir, pidfile: join(d, 'isulad.pid'),
    'cgroup-parent': `isulad-bench-daemon-${process.pid}`, 'log-driver': 'file', 'log-level': 'ERROR', bridge: 'none',
    'log-opts': { 'log-path': join(d, 'log') },
  }));
  symlinkSync(BIN, join(d, 'isulad'));
  symlinkSync(BIN, join(d, 'isula'));
  const proc = spawn(join(d, 'isulad'), ['--config-file', cfg], { stdio: 'ignore', env: { ...process.env, MALLOC_ARENA_MAX: '2' } });
  await waitFor(sock, proc, 'isulad');
  return { name: 'isulad', proc, pid: proc.pid as number, cli: `${q(join(d, 'isula'))} -H unix://${sock}`, storeLog: join(d, 'root', 'store', 'state.log') };
}

async function startContainerd(dir: string): Promise<Daemon> {
  const d = join(dir, 'containerd');
  mkdirSync(d, { recursive: true });
  const sock = join(d, 'containerd.sock');
  const cfg = join(d, 'config.toml');
  writeFileSync(cfg, `version = 2\nroot = ${JSON.stringify(join(d, 'root'))}\nstate = ${JSON.stringify(join(d, 'state'))}\n[grpc]\n  address = ${JSON.stringify(sock)}\n`);
  const proc = spawn('containerd', ['--config', cfg, '--log-level', 'error'], { stdio: 'ignore' });
  await waitFor(sock, proc, 'containerd');
  return { name: 'containerd', proc, pid: proc.pid as number, cli: `ctr -a ${sock} -n isula-bench-daemon-${process.pid}` };
}

const mib = (x: number) => x.toFixed(1);

async function main(): Promise<void> {
  if (!existsSync(BIN)) throw new Error(`${BIN} missing (make build)`);
  const dir = mkdtempSync(join(tmpdir(), 'bench-daemon-'));
  const shm = existsSync('/dev/shm') ? mkdtempSync('/dev/shm/bench-daemon-') : join(dir, 'state');
  const daemons: Daemon[] = [];
  const rows: string[] = [];
  const notes: string[] = [];
  try {
    const isulad = await startIsulad(dir, shm);
    daemons.push(isulad);
    const ctrd = has('containerd') && has('ctr') ? await startContainerd(dir) : undefined;
    if (ctrd) daemons.push(ctrd);
    else notes.push('containerd: not installed (sh scripts/install-deps.sh --bench), no side-by-side row');
    await sleep(IDLE_MS);

    rows.push('| daemon | state | VmRSS | RssAnon | RssFile | exe text | exe rodata | malloc heap | other anon |', '|---|---|---|---|---|---|---|---|---|');
    const memRow = (dm: Daemon, state: string) => {
      const m = memSplit(dm.pid);
      rows.push(`| ${dm.name} | ${state} | ${mib(m.rss)} | ${mib(m.anon)} | ${mib(m.file)} | ${mib(m.exeText)} | ${mib(m.exeData)} | ${mib(m.mallocHeap)} | ${mib(m.otherAnon)} |`);
      process.stdout.write(`${rows[rows.length - 1]}\n`);
    };
    for (const dm of daemons) memRow(dm, 'fresh, idle');

    // one lifecycle: bytes written by the daemon, the children it reaped (the container's
    // monitor) and its tool shells (mount, umount); the store's log growth is the metadata proper
    const before = writeBytes(isulad.pid);
    const logBefore = statSync(isulad.storeLog).size;
    sh(`${isulad.cli} create --name bench-life busybox true >/dev/null && ${isulad.cli} start bench-life >/dev/null && ${isulad.cli} wait bench-life >/dev/null && ${isulad.cli} rm -f bench-life >/dev/null`);
    await sleep(1500);
    const life = [`isulad: ${((writeBytes(isulad.pid) - before) / 1024).toFixed(1)} KiB write_bytes (store log +${statSync(isulad.storeLog).size - logBefore} bytes)`];
    if (ctrd) {
      sh(`${ctrd.cli} images import ${q(ARCHIVE)} >/dev/null`);
      const img = sh(`${ctrd.cli} images ls -q`).split('\n').find((l) => l.includes('busybox')) ?? 'docker.io/library/busybox:latest';
      const b = writeBytes(ctrd.pid);
      sh(`${ctrd.cli} run --rm ${img} bench-life true >/dev/null`, true);
      await sleep(1500);
      life.push(`containerd: ${((writeBytes(ctrd.pid) - b) / 1024).toFixed(1)} KiB write_bytes (its shim not counted)`);
    }

    // 20 parallel run -d: wall time and the daemon's CPU
    const cpu0 = cpuMs(isulad.pid);
    const t0 = performance.now();
    sh(`for i in $(seq 1 20); do ${isulad.cli} run -d --name bench-par-$i busybox sleep 600 >/dev/null & done; wait`);
    const parWall = performance.now() - t0;
    const parCpu = cpuMs(isulad.pid) - cpu0;
    sh(`${isulad.cli} rm -f $(${isulad.cli} ps -aq) >/dev/null`);

    // 50 running containers
    sh(`for i in $(seq 1 50); do ${isulad.cli} run -d --name bench-run-$i busybox sleep 600 >/dev/null || exit 1; done`);
    await sleep(IDLE_MS);
    memRow(isulad, '50 running');
    sh(`${isulad.cli} rm -f $(${isulad.cli} ps -aq) >/dev/null`);
    await sleep(IDLE_MS);
    memRow(isulad, 'after (70 runs)');

    const date = new Date().toISOString().slice(0, 16).replace('T', ' ');
    const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
    const cpu = /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? process.arch;
    const md = [
      '# isulad footprint beside containerd',
      '',
      `Made by \`make bench\` (bench/daemon.bench.ts) on ${date} UTC, ${cpus().length} x ${cpu}, load average ${load}. Memory in MiB, sampled after ${IDLE_MS / 1000} s idle;`,
      'exe text / rodata: resident pages of the executable itself (file-backed, shared with other processes running it);',
      'malloc heap: `[heap]` in smaps; other anon: V8\'s heap, thread stacks, mmap\'d malloc chunks. isulad runs with MALLOC_ARENA_MAX=2 (its unit\'s setting).',
      '',
      ...rows,
      '',
      `Written per create+start+wait+rm (state dir on tmpfs): ${life.join('; ')}.`,
      '',
      `20 parallel \`run -d\`: ${(parWall / 1000).toFixed(2)} s wall, daemon CPU ${parCpu} ms (${(parCpu / 20).toFixed(0)} ms per run; the rest is 20 CLI processes).`,
      ...(notes.length > 0 ? ['', ...notes.map((n) => `- ${n}`)] : []),
      '',
    ].join('\n');
    process.stdout.write(`\n${md}`);
    writeFileSync(join(ROOT, 'docs', 'bench-daemon.md'), md);
  } finally {
    for (const dm of daemons) if (dm.name === 'isulad') sh(`${dm.cli} rm -f $(${dm.cli} ps -aq) >/dev/null 2>&1`, true);
    for (const dm of daemons) if (dm.proc.exitCode === null) dm.proc.kill('SIGTERM');
    await sleep(2000);
    sh(`umount -R ${q(dir)}/* 2>/dev/null; true`, true);
    sh(`for c in /sys/fs/cgroup/*/isulad-bench-daemon-${process.pid} /sys/fs/cgroup/*/isulad-bench-daemon-${process.pid}.monitor /sys/fs/cgroup/*/isula-bench-daemon-${process.pid}; do [ -d "$c" ] && find "$c" -depth -type d -exec rmdir {} \\; ; done 2>/dev/null; true`, true);
    rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
    rmSync(shm, { recursive: true, force: true, maxRetries: 3 });
  }
}

await main();
