// isulad side by side with its peers (Debian's containerd/ctr, podman, runc), one hyperfine
// invocation per metric so every peer meets the same load, reported as times AND as ratios
// (isula / peer). Each daemon runs on a scratch root, state dir and socket under one temp dir,
// never on a peer's default root or socket, and gets the same busybox archive
// (rootfs-fixtures/out/busybox-<arch>.docker.tar). Peers that are not installed are skipped
// (`sh scripts/install-deps.sh --bench` installs them). Writes docs/bench-peers.md and, when
// gnuplot is installed, docs/bench-peers.png.
//
//   BENCH_RUNS (default 20)  hyperfine runs per command
//   BENCH_PS_N (default 1000) containers created in each engine for `ps -a`
//   BENCH_PEERS=ctr,podman,runc  which peers to run (default: every one installed)
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const ROOT = resolve(import.meta.dirname, '..');
const HOST = process.arch === 'arm64' ? 'linux-arm64' : 'linux-x64';
const ARCH = process.arch === 'arm64' ? 'arm64' : 'amd64';
const BIN = process.env['ISULA_BIN'] ?? join(ROOT, 'dist', HOST, 'isulad');
const RUNS = Number(process.env['BENCH_RUNS'] ?? 20);
const PS_N = Number(process.env['BENCH_PS_N'] ?? 1000);
const ARCHIVE = join(ROOT, 'rootfs-fixtures', 'out', `busybox-${ARCH}.docker.tar`);
const ROOTFS = join(ROOT, 'rootfs-fixtures', 'out', `busybox-${ARCH}.rootfs.tar`);
const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const wanted = (p: string) => (process.env['BENCH_PEERS'] ?? 'ctr,podman,runc').split(',').includes(p);

function sh(cmd: string, opts: { quiet?: boolean } = {}): string {
  const r = spawnSync('sh', ['-c', cmd], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0 && !opts.quiet) throw new Error(`${cmd}: exit ${r.status}\n${r.stdout}${r.stderr}`);
  return r.stdout;
}

const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

interface Engine {
  name: string;
  /** shell prefix that runs the engine's CLI on its scratch daemon/root */
  cli: string;
  pid?: number;
  proc?: ChildProcess;
  run: string;
  version?: string;
  create: (name: string) => string;
  ps?: string;
  inspect?: (name: string) => string;
  runD?: (name: string) => string;
  rmAll?: string;
}

async function waitFor(path: string, proc: ChildProcess, what: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (existsSync(path)) return;
    if (proc.exitCode !== null) throw new Error(`${what} exited ${proc.exitCode}`);
    await sleep(100);
  }
  throw new Error(`${what}: no ${path} after 30 s`);
}

async function startIsulad(dir: string): Promise<Engine> {
  const d = join(dir, 'isulad');
  mkdirSync(d, { recursive: true });
  const sock = join(d, 'isulad.sock');
  const cfg = join(d, 'daemon.json');
  writeFileSync(cfg, JSON.stringify({
    hosts: [`unix://${sock}`], graph: join(d, 'root'), state: join(d, 'state'), pidfile: join(d, 'isulad.pid'),
    'cgroup-parent': `isulad-bench-${process.pid}`, 'log-driver': 'file', 'log-level': 'ERROR',
    // no default bridge network: the peers run --network none; network.bench.ts measures networking
    bridge: 'none',
    'log-opts': { 'log-path': join(d, 'log') },
  }));
  const isulad = join(d, 'isulad');
  symlinkSync(BIN, isulad);
  symlinkSync(BIN, join(d, 'isula'));
  const proc = spawn(isulad, ['--config-file', cfg], { stdio: 'ignore' });
  await waitFor(sock, proc, 'isulad');
  const cli = `${q(join(d, 'isula'))} -H unix://${sock}`;
  return {
    name: 'isula', cli, proc, pid: proc.pid,
    version: `${cli} version`,
    run: `${cli} run --rm busybox true`,
    create: (n) => `${cli} create --name ${n} busybox true`,
    ps: `${cli} ps -a`,
    inspect: (n) => `${cli} inspect ${n}`,
    runD: (n) => `${cli} run -d --name ${n} busybox sleep 600`,
    rmAll: `${cli} rm -f $(${cli} ps -aq) >/dev/null 2>&1 || true`,
  };
}

async function startContainerd(dir: string): Promise<Engine> {
  const d = join(dir, 'containerd');
  mkdirSync(d, { recursive: true });
  const sock = join(d, 'containerd.sock');
  const cfg = join(d, 'config.toml');
  writeFileSync(cfg, `version = 2\nroot = ${JSON.stringify(join(d, 'root'))}\nstate = ${JSON.stringify(join(d, 'state'))}\n[grpc]\n  address = ${JSON.stringify(sock)}\n`);
  const proc = spawn('containerd', ['--config', cfg, '--log-level', 'error'], { stdio: 'ignore' });
  await waitFor(sock, proc, 'containerd');
  const cli = `ctr -a ${sock} -n isula-bench-${process.pid}`;
  sh(`${cli} images import ${q(ARCHIVE)} >/dev/null`);
  const img = sh(`${cli} images ls -q`).split('\n').find((l) => l.includes('busybox')) ?? 'docker.io/library/busybox:latest';
  return {
    name: 'ctr', cli, proc, pid: proc.pid,
    version: `${cli} version`,
    run: `${cli} run --rm ${img} bench-run true`,
    create: (n) => `${cli} containers create ${img} ${n} true`,
    ps: `${cli} containers ls`,
    inspect: (n) => `${cli} containers info ${n}`,
    runD: (n) => `${cli} run -d ${img} ${n} sleep 600`,
    rmAll: `for t in $(${cli} tasks ls -q); do ${cli} tasks kill -s KILL $t; done >/dev/null 2>&1; sleep 1; for t in $(${cli} tasks ls -q); do ${cli} tasks rm -f $t; done >/dev/null 2>&1; ${cli} containers rm $(${cli} containers ls -q) >/dev/null 2>&1 || true`,
  };
}

function podman(dir: string): Engine {
  const d = join(dir, 'podman');
  mkdirSync(d, { recursive: true });
  // this host lacks CAP_SYS_RESOURCE: podman's default rlimits would fail (research/peers.md)
  const conf = join(d, 'containers.conf');
  writeFileSync(conf, '[containers]\ndefault_ulimits = ["nofile=20000:20000","nproc=4096:4096"]\n');
  const cli = `CONTAINERS_CONF=${q(conf)} podman --root ${q(join(d, 'root'))} --runroot ${q(join(d, 'run'))} --tmpdir ${q(join(d, 'tmp'))} ` +
    `--storage-driver overlay --cgroup-manager cgroupfs --events-backend file --runtime runc`;
  sh(`${cli} load -i ${q(ARCHIVE)} >/dev/null 2>&1`);
  return {
    name: 'podman', cli,
    run: `${cli} run --rm --network none busybox true`,
    create: (n) => `${cli} create --network none --name ${n} busybox true`,
    ps: `${cli} ps -a`,
    inspect: (n) => `${cli} inspect ${n}`,
    runD: (n) => `${cli} run -d --network none --name ${n} busybox sleep 600`,
    rmAll: `${cli} rm -af >/dev/null 2>&1 || true`,
  };
}

/** The floor: runc on an unpacked busybox bundle, no engine at all. */
function runcFloor(dir: string): Engine {
  const b = join(dir, 'runc-bundle');
  mkdirSync(join(b, 'rootfs'), { recursive: true });
  sh(`tar -xf ${q(ROOTFS)} -C ${q(join(b, 'rootfs'))}`);
  sh(`cd ${q(b)} && runc spec`);
  const spec = JSON.parse(readFileSync(join(b, 'config.json'), 'utf8')) as { process: { args: string[]; terminal: boolean }; root: { readonly: boolean } };
  spec.process.args = ['true'];
  spec.process.terminal = false;
  writeFileSync(join(b, 'config.json'), JSON.stringify(spec));
  const cli = `runc --root ${q(join(dir, 'runc-state'))}`;
  return { name: 'runc', cli, run: `${cli} run -b ${q(b)} bench-floor`, create: () => 'true' };
}

interface Result { metric: string; engine: string; median: number; mean: number; cpu: number }

function hyperfine(metric: string, cmds: Array<[string, string]>, opts: { runs?: number; warmup?: number; prepare?: string[] } = {}): Result[] {
  const json = join(tmpdir(), `bench-peers-${process.pid}.json`);
  const args = ['-N', '--warmup', String(opts.warmup ?? 2), '--runs', String(opts.runs ?? RUNS), '--export-json', json];
  for (const p of opts.prepare ?? []) args.push('--prepare', `sh -c ${q(p)}`);
  for (const [name, cmd] of cmds) args.push('-n', name, cmd.includes('$(') || cmd.includes('&') || cmd.includes(';') || cmd.includes('=') ? `sh -c ${q(cmd)}` : cmd);
  const r = spawnSync('hyperfine', args, { encoding: 'utf8', stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) throw new Error(`hyperfine ${metric} failed`);
  const out = JSON.parse(readFileSync(json, 'utf8')) as { results: Array<{ command: string; median: number; mean: number; user: number; system: number }> };
  rmSync(json, { force: true });
  return out.results.map((x) => ({ metric, engine: x.command, median: x.median * 1000, mean: x.mean * 1000, cpu: (x.user + x.system) * 1000 }));
}

function status(pid: number | undefined): { rss: number; anon: number } | undefined {
  if (pid === undefined) return undefined;
  const s = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(s)?.[1] ?? 0);
  return { rss: kb('VmRSS') / 1024, anon: kb('RssAnon') / 1024 };
}

function writeBytes(pid: number | undefined): number {
  if (pid === undefined) return 0;
  return Number(/write_bytes:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/io`, 'utf8'))?.[1] ?? 0);
}

async function main(): Promise<void> {
  if (!has('hyperfine')) throw new Error('hyperfine is not installed (sh scripts/install-deps.sh --bench)');
  if (!existsSync(BIN)) throw new Error(`${BIN} missing (make build)`);
  if (!existsSync(ARCHIVE)) throw new Error(`${ARCHIVE} missing (make fixtures)`);
  const dir = mkdtempSync(join(tmpdir(), 'bench-peers-'));
  const engines: Engine[] = [];
  const results: Result[] = [];
  const notes: string[] = ['docker: not run (dockerd turns on net.ipv4.ip_forward even with --bridge=none --iptables=false; a bench must not change the host)'];
  try {
    engines.push(await startIsulad(dir));
    if (wanted('ctr') && has('containerd') && has('ctr')) engines.push(await startContainerd(dir));
    else notes.push('containerd/ctr: skipped (not installed or not in BENCH_PEERS)');
    if (wanted('podman') && has('podman') && has('runc')) engines.push(podman(dir));
    else notes.push('podman: skipped');
    const floor = wanted('runc') && has('runc') && existsSync(ROOTFS) ? runcFloor(dir) : undefined;
    if (!floor) notes.push('runc floor: skipped');
    const E = engines;

    results.push(...hyperfine('version', E.filter((e) => e.version).map((e) => [e.name, e.version as string])));
    results.push(...hyperfine('run --rm true', [...E.map((e): [string, string] => [e.name, e.run]), ...(floor ? [[floor.name, floor.run] as [string, string]] : [])]));

    // one lifecycle's bytes written by each daemon (its own /proc/<pid>/io; monitors not counted)
    const lifeBytes: string[] = [];
    for (const e of E.filter((x) => x.pid !== undefined)) {
      const before = writeBytes(e.pid);
      sh(e.create('bench-life'));
      if (e.name === 'isula') sh(`${e.cli} start bench-life && ${e.cli} wait bench-life >/dev/null; ${e.cli} rm -f bench-life >/dev/null`);
      else sh(`${e.cli} tasks start bench-life >/dev/null; ${e.cli} containers rm bench-life`, { quiet: true });
      await sleep(1500);
      lifeBytes.push(`${e.name} ${((writeBytes(e.pid) - before) / 1024).toFixed(1)} KiB`);
    }

    for (const e of E) {
      sh(`${e.rmAll ?? 'true'}`, { quiet: true });
      sh(`for i in $(seq 1 ${PS_N}); do ${e.create('bench-ps-$i')} >/dev/null 2>&1 || exit 1; done`);
    }
    results.push(...hyperfine(`ps -a (${PS_N} containers)`, E.filter((e) => e.ps).map((e) => [e.name, e.ps as string])));
    results.push(...hyperfine('inspect', E.filter((e) => e.inspect).map((e) => [e.name, (e.inspect as (n: string) => string)('bench-ps-1')])));
    const idle = E.filter((e) => e.pid !== undefined).map((e) => ({ name: e.name, ...status(e.pid)! }));
    for (const e of E) sh(`${e.rmAll ?? 'true'}`, { quiet: true });

    const par = (e: Engine) => `for i in $(seq 1 20); do ${(e.runD as (n: string) => string)('bench-par-$i')} >/dev/null & done; wait`;
    results.push(...hyperfine('20 parallel run -d', E.filter((e) => e.runD).map((e) => [e.name, par(e)]),
      { runs: Math.min(RUNS, 5), warmup: 0, prepare: E.filter((e) => e.runD).map((e) => e.rmAll ?? 'true') }));
    for (const e of E) sh(`${e.rmAll ?? 'true'}`, { quiet: true });

    report(results, idle, lifeBytes, notes);
  } finally {
    for (const e of engines) if (e.rmAll) sh(e.rmAll, { quiet: true });
    for (const e of engines) if (e.proc && e.proc.exitCode === null) e.proc.kill('SIGTERM');
    await sleep(2000);
    sh(`umount -R ${q(dir)}/* 2>/dev/null; true`, { quiet: true });
    // the empty cgroups our daemon and ctr (namespace isula-bench-<pid>) leave behind
    sh(`for c in /sys/fs/cgroup/*/isulad-bench-${process.pid} /sys/fs/cgroup/*/isulad-bench-${process.pid}.monitor /sys/fs/cgroup/*/isula-bench-${process.pid}; do [ -d "$c" ] && find "$c" -depth -type d -exec rmdir {} \\; ; done 2>/dev/null; true`, { quiet: true });
    rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  }
}

function report(results: Result[], idle: Array<{ name: string; rss: number; anon: number }>, lifeBytes: string[], notes: string[]): void {
  const date = new Date().toISOString().slice(0, 16).replace('T', ' ');
  const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  const lines = [
    '# isulad and its peers, side by side',
    '',
    `Made by \`make bench\` (bench/peers.bench.ts) on ${date} UTC, ${spawnSync('nproc').stdout.toString().trim()} CPUs, load average ${load}.`,
    `hyperfine -N, ${RUNS} runs per command, all peers of a metric in ONE hyperfine invocation. ratio = isula median / peer median.`,
    '',
    '| metric | engine | median ms | mean ms | CPU ms (user+sys) | isula / this |',
    '|---|---|---|---|---|---|',
  ];
  for (const metric of [...new Set(results.map((r) => r.metric))]) {
    const rows = results.filter((r) => r.metric === metric);
    const mine = rows.find((r) => r.engine === 'isula');
    for (const r of rows) {
      lines.push(`| ${metric} | ${r.engine} | ${r.median.toFixed(1)} | ${r.mean.toFixed(1)} | ${r.cpu.toFixed(1)} | ${mine ? (mine.median / r.median).toFixed(2) : ''} |`);
    }
  }
  lines.push('', '| daemon (after the ps -a metric) | VmRSS MiB | RssAnon MiB |', '|---|---|---|');
  for (const i of idle) lines.push(`| ${i.name} | ${i.rss.toFixed(1)} | ${i.anon.toFixed(1)} |`);
  lines.push('', `Bytes written by the daemon process for one create+start+wait+rm: ${lifeBytes.join(', ')}.`);
  if (notes.length > 0) lines.push('', ...notes.map((n) => `- ${n}`));
  const md = lines.join('\n') + '\n';
  process.stdout.write('\n' + md);
  writeFileSync(join(ROOT, 'docs', 'bench-peers.md'), md);
  plot(results);
}

/** docs/bench-peers.png: median ms per metric and engine (gnuplot, offline), if gnuplot is there. */
function plot(results: Result[]): void {
  if (!has('gnuplot')) return void process.stdout.write('gnuplot not installed: no docs/bench-peers.png\n');
  const engines = [...new Set(results.map((r) => r.engine))];
  const metrics = [...new Set(results.map((r) => r.metric))];
  const data = join(tmpdir(), `bench-peers-${process.pid}.dat`);
  const rows = metrics.map((m) => [`"${m}"`, ...engines.map((e) => results.find((r) => r.metric === m && r.engine === e)?.median.toFixed(1) ?? '-')].join(' '));
  writeFileSync(data, `metric ${engines.join(' ')}\n${rows.join('\n')}\n`);
  const script = [
    'set terminal pngcairo size 1000,520 noenhanced',
    `set output ${JSON.stringify(join(ROOT, 'docs', 'bench-peers.png'))}`,
    'set style data histograms', 'set style histogram clustered gap 1', 'set style fill solid 0.8 border -1',
    'set logscale y', 'set ylabel "median ms (log)"', 'set key top left', 'set xtics rotate by -15', 'set datafile missing "-"',
    'set title "isula and peers (lower is better)"',
    `plot ${engines.map((_, i) => `${JSON.stringify(data)} using ${i + 2}:xtic(1) title columnheader(${i + 2})`).join(', ')}`,
  ].join('\n');
  const r = spawnSync('gnuplot', [], { input: script, encoding: 'utf8' });
  if (r.status !== 0) process.stdout.write(`gnuplot failed: ${r.stderr}\n`);
  rmSync(data, { force: true });
}

await main();
