// Footprint and start-up of the single executable: binary sizes (raw and .tar.xz), `isula` start-up
// with and without a daemon, idle daemon RSS/PSS, and the V8 flags considered for the SEA execArgv.
// Run by `make bench` (bench/run.ts) after `make build`; `make dist` first for armv7 and archives.
// Start-up is timed with `hyperfine -N` when installed, else with our own loop (same median).
// The machine may be shared: read medians as ±3 ms, and compare rows taken in the same run.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const ROOT = resolve(import.meta.dirname, '..');
const HOST = process.arch === 'arm64' ? 'linux-arm64' : 'linux-x64';
const HOST_BIN = process.env['ISULA_BIN'] ?? join(ROOT, 'dist', HOST, 'isulad');
const NODE = process.execPath; // the pinned Node 24 (make bench runs us with it)
const RUNS = Number(process.env['BENCH_RUNS'] ?? 30);

const mib = (kib: number) => (kib / 1024).toFixed(1);
const mb = (bytes: number) => (bytes / 1e6).toFixed(1);

function row(cells: Array<string | number>, widths: number[]): string {
  return cells.map((c, i) => String(c).padEnd(widths[i] ?? 10)).join(' ');
}

// ---- sizes -----------------------------------------------------------------------------------

function archiveSize(target: string): string {
  const built = join(ROOT, 'dist', `isulad-${target}.tar.xz`);
  if (existsSync(built)) return mb(statSync(built).size);
  return 'n/a (make dist)';
}

function sizes(): void {
  console.log('## sizes (MB = 10^6 bytes): ls -l dist/<target>/isulad, dist/isulad-<target>.tar.xz');
  const w = [14, 12, 18];
  console.log(row(['target', 'isulad', '.tar.xz (xz -9)'], w));
  for (const t of ['linux-x64', 'linux-arm64', 'linux-armv7']) {
    const bin = join(ROOT, 'dist', t, 'isulad');
    if (!existsSync(bin)) {
      console.log(row([t, 'not built', ''], w));
      continue;
    }
    console.log(row([t, mb(statSync(bin).size), archiveSize(t)], w));
  }
  const bundle = join(ROOT, 'dist', 'isula.cjs');
  if (existsSync(bundle)) console.log(`bundle dist/isula.cjs: ${statSync(bundle).size} bytes`);
}

// ---- timing ----------------------------------------------------------------------------------

function hasHyperfine(): boolean {
  return spawnSync('hyperfine', ['--version']).status === 0;
}

type Timing = { wallMs: number; cpuMs: number | undefined };

const fmt = (t: Timing) => `${t.wallMs.toFixed(1)} ms${t.cpuMs === undefined ? '' : `  (cpu user+sys ${t.cpuMs.toFixed(1)} ms)`}`;

// Median wall time in ms of `argv` and, with hyperfine, its mean user+sys CPU time: on a loaded
// machine wall time mostly measures the other tenants, CPU time much less so.
function timeCmd(argv: string[]): Timing {
  const check = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8' });
  if (check.status !== 0) throw new Error(`${argv.join(' ')}: exit ${check.status}: ${check.stderr.trim()}`);
  if (hasHyperfine()) {
    const dir = mkdtempSync(join(tmpdir(), 'bench-hf-'));
    try {
      const json = join(dir, 'out.json');
      const cmd = argv.map((a) => (/^[\w./:=,@+-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
      const r = spawnSync('hyperfine', ['-N', '--warmup', '3', '--runs', String(RUNS), '--export-json', json, cmd], {
        encoding: 'utf8',
      });
      if (r.status !== 0) throw new Error(`hyperfine ${cmd}: ${r.stderr}`);
      const res = JSON.parse(readFileSync(json, 'utf8')) as { results: Array<{ median: number; user: number; system: number }> };
      const r0 = res.results[0]!;
      return { wallMs: r0.median * 1000, cpuMs: (r0.user + r0.system) * 1000 };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const times: number[] = [];
  for (let i = 0; i < RUNS + 3; i++) {
    const t0 = process.hrtime.bigint();
    spawnSync(argv[0]!, argv.slice(1));
    if (i >= 3) times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  times.sort((a, b) => a - b);
  return { wallMs: times[Math.floor(times.length / 2)]!, cpuMs: undefined };
}

// Median ms of each command, timed round-robin: on a shared machine this compares commands
// fairly where back-to-back blocks (hyperfine's way) would each meet different load.
function interleavedMedians(cmds: string[][]): number[] {
  const times: number[][] = cmds.map(() => []);
  for (let round = 0; round < RUNS + 2; round++) {
    for (const [i, argv] of cmds.entries()) {
      const t0 = process.hrtime.bigint();
      const r = spawnSync(argv[0]!, argv.slice(1));
      if (r.status !== 0) throw new Error(`${argv.join(' ')}: exit ${r.status}`);
      if (round >= 2) times[i]!.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
  }
  return times.map((t) => t.sort((a, b) => a - b)[Math.floor(t.length / 2)]!);
}

// ---- daemon ----------------------------------------------------------------------------------

type Daemon = { proc: ChildProcess; dir: string; sock: string; pid: number };

// Starts a daemon on its own temp root/state/socket/pidfile and an empty config file, and waits
// until `isula version` answers. `cmd` is the daemon command line minus the per-run flags.
async function startDaemon(cmd: string[], isula: string[]): Promise<Daemon> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-isulad-'));
  const sock = join(dir, 'isulad.sock');
  writeFileSync(join(dir, 'daemon.json'), '{}\n');
  const args = [
    ...cmd.slice(1), '-g', join(dir, 'root'), '-S', join(dir, 'state'), '-H', `unix://${sock}`,
    '-p', join(dir, 'isulad.pid'), '--config-file', join(dir, 'daemon.json'),
  ];
  const proc = spawn(cmd[0]!, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  proc.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  for (let i = 0; i < 300; i++) {
    if (proc.exitCode !== null) break;
    if (existsSync(sock) && spawnSync(isula[0]!, [...isula.slice(1), '-H', `unix://${sock}`, 'version']).status === 0) {
      return { proc, dir, sock, pid: proc.pid! };
    }
    await sleep(200);
  }
  proc.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
  throw new Error(`daemon did not come up: ${cmd.join(' ')}\n${stderr.slice(-2000)}`);
}

async function stopDaemon(d: Daemon): Promise<void> {
  if (d.proc.exitCode === null) {
    const exited = new Promise((r) => d.proc.once('exit', r));
    d.proc.kill('SIGTERM');
    await Promise.race([exited, sleep(10000)]);
    if (d.proc.exitCode === null) d.proc.kill('SIGKILL');
  }
  rmSync(d.dir, { recursive: true, force: true });
}

type Mem = { rss: number; pss: number; anon: number; pssFile: number };

function smapsRollup(pid: number): Mem {
  const text = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? NaN);
  return { rss: kb('Rss'), pss: kb('Pss'), anon: kb('Anonymous'), pssFile: kb('Pss_File') };
}

function memCells(m: Mem): string[] {
  return [mib(m.rss), mib(m.pss), mib(m.anon), mib(m.pssFile)];
}

// ---- sections --------------------------------------------------------------------------------

async function singleExecutable(): Promise<void> {
  console.log(`\n## single executable ${HOST_BIN} (median of ${RUNS}${hasHyperfine() ? ', hyperfine -N --warmup 3' : ', own loop'})`);
  // Installed copy: a freshly written postject output shows ~15 MiB more file-backed RSS (page
  // cache artefact, single-binary.md §4.3), which an installed binary does not have.
  const dir = mkdtempSync(join(tmpdir(), 'bench-bin-'));
  const bin = join(dir, 'isulad');
  copyFileSync(HOST_BIN, bin);
  symlinkSync('isulad', join(dir, 'isula'));
  const isula = join(dir, 'isula');
  let daemon: Daemon | undefined;
  try {
    console.log(`node -e 0 (floor)                ${fmt(timeCmd([NODE, '-e', '0']))}`);
    console.log(`isula --version (no daemon)      ${fmt(timeCmd([isula, '--version']))}`);
    try {
      daemon = await startDaemon([bin], [isula]);
    } catch (err) {
      console.log(`daemon: unavailable (${(err as Error).message.split('\n')[0]})`);
      return;
    }
    console.log(`isula version (running daemon)   ${fmt(timeCmd([isula, '-H', `unix://${daemon.sock}`, 'version']))}`);
    await sleep(2000);
    const w = [34, 8, 8, 8, 8];
    console.log(row(['idle daemon, MiB (smaps_rollup)', 'RSS', 'PSS', 'anon', 'PSS file'], w));
    console.log(row(['2 s after ready', ...memCells(smapsRollup(daemon.pid))], w));
    spawnSync(isula, ['-H', `unix://${daemon.sock}`, 'info']);
    await sleep(1000);
    console.log(row(['after isula info', ...memCells(smapsRollup(daemon.pid))], w));
  } finally {
    if (daemon) await stopDaemon(daemon);
    rmSync(dir, { recursive: true, force: true });
  }
}

// The execArgv choice: same bundle on the same Node (a SEA is measured equal to `node x.cjs`,
// single-binary.md §4.3), one row per flag set.
async function execArgvCandidates(): Promise<void> {
  const bundle = join(ROOT, 'dist', 'isula.cjs');
  if (!existsSync(bundle)) return;
  console.log(`\n## V8 flag candidates for the SEA execArgv: ${NODE} <flags> dist/isula.cjs`);
  const sets = [
    [],
    ['--max-semi-space-size=1'],
    ['--max-semi-space-size=1', '--max-old-space-size=64'],
    ['--optimize-for-size'],
    ['--max-semi-space-size=1', '--optimize-for-size'],
  ];
  const w = [52, 12, 8, 8];
  console.log(`(start-up: the sets' runs interleaved, ${RUNS} rounds, so a burst of load hits all alike)`);
  console.log(row(['flags', 'version ms', 'RSS', 'anon'], w));
  const starts = interleavedMedians(sets.map((flags) => [NODE, ...flags, bundle, 'isula', '--version']));
  for (const [i, flags] of sets.entries()) {
    const cli = [NODE, ...flags, bundle, 'isula'];
    const startMs = starts[i]!;
    let mem = 'daemon unavailable';
    try {
      const d = await startDaemon([NODE, ...flags, bundle, 'isulad'], cli);
      try {
        await sleep(2000);
        const m = smapsRollup(d.pid);
        mem = `${mib(m.rss).padEnd(8)} ${mib(m.anon)}`;
      } finally {
        await stopDaemon(d);
      }
    } catch {
      // the row still shows start-up
    }
    console.log(row([flags.join(' ') || '(none)', startMs.toFixed(1), mem], w));
  }
}

async function main(): Promise<void> {
  sizes();
  if (!existsSync(HOST_BIN)) throw new Error(`${HOST_BIN} missing: run make build`);
  await singleExecutable();
  await execArgvCandidates();
}

main().catch((err: unknown) => {
  console.error(`startup bench: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
