// Daemon memory over many runs: idle VmRSS / RssAnon of a fresh isulad (scratch root and socket),
// then after every BENCH_RSS_STEP `isula run --rm busybox true` up to BENCH_RSS_RUNS (default
// 1000), each sample taken after BENCH_IDLE_S (default 25) s of idle: the daemon's idle collector
// (src/daemon/idle-gc.ts) looks every 10 s. The daemon runs with MALLOC_ARENA_MAX=2, as its
// systemd unit and init script start it. The target: idle RSS <= 45 MiB,
// anonymous <= 20 MiB, flat (+-2 MiB) after 1000 runs.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const ROOT = resolve(import.meta.dirname, '..');
const HOST = process.arch === 'arm64' ? 'linux-arm64' : 'linux-x64';
const BIN = process.env['ISULA_BIN'] ?? join(ROOT, 'dist', HOST, 'isulad');
const RUNS = Number(process.env['BENCH_RSS_RUNS'] ?? 1000);
const STEP = Number(process.env['BENCH_RSS_STEP'] ?? Math.max(1, Math.floor(RUNS / 10)));
const IDLE_MS = Number(process.env['BENCH_IDLE_S'] ?? 25) * 1000;

function mem(pid: number): { rss: number; anon: number; file: number } {
  const s = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(s)?.[1] ?? 0);
  return { rss: kb('VmRSS') / 1024, anon: kb('RssAnon') / 1024, file: kb('RssFile') / 1024 };
}

async function main(): Promise<void> {
  if (!existsSync(BIN)) throw new Error(`${BIN} missing (make build)`);
  const d = mkdtempSync(join(tmpdir(), 'bench-rss-'));
  const sock = join(d, 'isulad.sock');
  writeFileSync(join(d, 'daemon.json'), JSON.stringify({
    hosts: [`unix://${sock}`], graph: join(d, 'root'), state: join(d, 'state'), pidfile: join(d, 'isulad.pid'),
    'cgroup-parent': `isulad-bench-rss-${process.pid}`, 'log-driver': 'file', 'log-level': 'ERROR', 'log-opts': { 'log-path': join(d, 'log') },
  }));
  // The file-backed part of RSS depends on what of the executable is in the page cache (the
  // kernel maps cached neighbours of a faulting page, whole large folios of a file just written):
  // drop the binary's pages first, as a daemon started at boot finds it (docs/performance.md).
  spawnSync('dd', [`if=${BIN}`, 'iflag=nocache', 'count=0'], { stdio: 'ignore' });
  symlinkSync(BIN, join(d, 'isulad'));
  symlinkSync(BIN, join(d, 'isula'));
  const proc = spawn(join(d, 'isulad'), ['--config-file', join(d, 'daemon.json')], { stdio: 'ignore', env: { ...process.env, MALLOC_ARENA_MAX: '2' } });
  try {
    for (let i = 0; i < 300 && !existsSync(sock); i++) await sleep(100);
    if (!existsSync(sock)) throw new Error('isulad did not start');
    const pid = proc.pid as number;
    await sleep(IDLE_MS);
    const rows: string[] = ['| runs | VmRSS MiB | RssAnon MiB | RssFile MiB |', '|---|---|---|---|'];
    const sample = (n: number) => {
      const m = mem(pid);
      rows.push(`| ${n} | ${m.rss.toFixed(1)} | ${m.anon.toFixed(1)} | ${m.file.toFixed(1)} |`);
      process.stdout.write(`${rows[rows.length - 1]}\n`);
    };
    sample(0);
    for (let n = 1; n <= RUNS; n++) {
      const r = spawnSync(join(d, 'isula'), ['-H', `unix://${sock}`, 'run', '--rm', 'busybox', 'true'], { stdio: 'ignore' });
      if (r.status !== 0) throw new Error(`run ${n}: exit ${r.status}`);
      if (n % STEP === 0) {
        await sleep(IDLE_MS);
        sample(n);
      }
    }
    mkdirSync(join(ROOT, 'docs'), { recursive: true });
    const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
    const cpu = /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? process.arch;
    const md = `# isulad memory over ${RUNS} runs\n\nMade by bench/rss.bench.ts on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC ` +
      `(${cpus().length} x ${cpu}, load average ${load} at the end): ` +
      `a fresh daemon, \`isula run --rm busybox true\` in a loop, sampled after ${IDLE_MS / 1000} s idle, MALLOC_ARENA_MAX=2, the binary's pages dropped from the page cache before the start.\n\n${rows.join('\n')}\n`;
    writeFileSync(join(ROOT, 'docs', 'bench-rss.md'), md);
  } finally {
    proc.kill('SIGTERM');
    await sleep(2000);
    rmSync(d, { recursive: true, force: true, maxRetries: 3 });
    spawnSync('sh', ['-c', `for c in /sys/fs/cgroup/*/isulad-bench-rss-${process.pid}*; do [ -d "$c" ] && find "$c" -depth -type d -exec rmdir {} \\; ; done 2>/dev/null; true`]);
  }
}

await main();
