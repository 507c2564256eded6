// Pull throughput: the ~100 MB, 5-layer image (test/fixtures/images/big.ts, incompressible data,
// gzip'd by skopeo when pushed) from a loopback docker-registry, side by side with the peers that
// are installed: `podman pull`, `ctr pull` (which unpacks) on its own containerd, `docker pull` on
// its own dockerd (when a dockerd is found, see below), and `skopeo copy` to an OCI dir (download +
// verify, no extraction). The extracting pulls run in rounds, one of each per round in a rotating
// order, so a load change on a shared machine hits every row alike; the figures are medians over
// the rounds. Every extracting row also gives the CPU time (user + sys) its processes spent.
//
// Ours is `isula pull` through a fresh daemon (download, verify, gunzip, extract, sync, commit),
// run as packaged (MALLOC_ARENA_MAX=2, as in packaging/isulad.service): its time includes the CLI;
// its CPU is the daemon's; its memory is the daemon's RSS growth over the idle daemon during the
// pull (VmHWM - VmRSS before), the issue's "+20 MiB" figure. BENCH_PULL_BASE=/path/to/isulad adds
// the same row for another build of the engine (before/after in one run). Then, outside the
// rounds: the registry client alone into a hashing sink, downloads alone, the peak for an image
// with 1/5 the layer size (streaming: the peak does not grow with layer size) and the growth of a
// big pull in a daemon that pulled before.
//
// docker: Debian's docker.io is not installed by scripts/install-deps.sh (its service would start
// a host-wide dockerd at install). When `dockerd` is in PATH or BENCH_DOCKERD names one, it runs on
// a scratch data/exec root and socket, in a private mount namespace (a tmpfs over /etc/docker, where
// 20.10 writes key.json), with --bridge=none --iptables=false --ip6tables=false --ip-forward=false:
// nothing of the host changes.
// Needs root (the daemon's layer store) and docker-registry + skopeo (scripts/install-deps.sh).
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { BlobDownloader } from '../src/image/registry/blob-download.ts';
import { RegistryClient } from '../src/image/registry/client.ts';
import { parseManifest } from '../src/image/registry/manifest.ts';
import type { ImageManifest } from '../src/image/registry/manifest.ts';
import { parsePlatform } from '../src/image/registry/platform.ts';
import { Puller } from '../src/image/registry/pull-image.ts';
import { writeBigImage } from '../test/fixtures/images/big.ts';
import { startDaemon } from '../test/helpers/daemon.ts';
import { skopeoCopy, startRegistry } from '../test/helpers/registry.ts';
import { RecordingLayerStore } from '../test/helpers/registry-layers.ts';

// The build under test is the single executable as packaged (dist/<host>/isulad, its V8 flags),
// not the bundle under a plain node: test/helpers/daemon.ts falls back to the bundle when
// ISULA_BIN is unset, which measured ~18 MB more peak RSS than the executable.
const HOST = process.arch === 'arm64' ? 'linux-arm64' : 'linux-x64';
const PACKAGED = join(resolve(import.meta.dirname, '..'), 'dist', HOST, 'isulad');
if (process.env['ISULA_BIN'] === undefined && existsSync(PACKAGED)) process.env['ISULA_BIN'] = PACKAGED;

const RUNS = Math.max(1, Number(process.env['BENCH_RUNS'] ?? 3));
/** size of the big image in MiB (BENCH_PULL_MB; default 100, the issue's figure) */
const BIG_MB = Math.max(10, Number(process.env['BENCH_PULL_MB'] ?? 100));
const BASE = process.env['BENCH_PULL_BASE'];
/**
 * BENCH_PULL_VARIANTS="name:K=V,K=V;name2:K=V": one more row per variant, the build under test
 * with those variables in its daemon's environment (knobs of a scratch build, side by side).
 */
const VARIANTS = (process.env['BENCH_PULL_VARIANTS'] ?? '')
  .split(';')
  .filter((v) => v.includes(':'))
  .map((v) => {
    const [name, kvs] = v.split(/:(.*)/s) as [string, string];
    return { name, env: Object.fromEntries(kvs.split(',').filter(Boolean).map((kv) => kv.split(/=(.*)/s).slice(0, 2) as [string, string])) };
  });
const MB = 1024 * 1024;
/** environment of the packaged daemon (packaging/isulad.service) */
const DAEMON_ENV = { MALLOC_ARENA_MAX: '2' };
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

function has(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
}

function statusKb(pid: number | undefined, field: 'VmRSS' | 'VmHWM'): number {
  if (pid === undefined) return NaN;
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : NaN;
}

/** user + sys CPU seconds of a process so far (its own threads; children it waited for too) */
function cpuSeconds(pid: number | undefined): number {
  if (pid === undefined) return NaN;
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  // fields after "comm) ": state is [0], utime [11], stime [12], cutime [13], cstime [14]
  return [11, 12, 13, 14].reduce((a, i) => a + Number(f[i]), 0) / 100;
}

/** runs a command under /usr/bin/time: wall ms, max RSS kB, user + sys seconds */
function timed(cmd: string, args: string[]): { ms: number; maxKb: number; cpu: number; status: number | null; stderr: string } {
  const t0 = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', '%M %U %S', cmd, ...args], { encoding: 'utf8' });
  const ms = performance.now() - t0;
  const last = (r.stderr ?? '').trim().split('\n').at(-1)?.split(' ') ?? [];
  return { ms, maxKb: Number(last[0]), cpu: Number(last[1]) + Number(last[2]), status: r.status, stderr: r.stderr ?? '' };
}

interface Sample {
  ms: number;
  cpu: number;
  /** peak RSS of the process doing the work, kB */
  peakKb: number;
  /** ours: daemon growth during the pull, kB */
  growthKb?: number;
}

type Puller1 = () => Promise<Sample>;

async function main(): Promise<void> {
  const started = new Date();
  const loadBefore = loadavg();
  const work = mkdtempSync(join(tmpdir(), 'bench-pull-'));
  const reg = await startRegistry();
  try {
    const images: Array<{ tag: string; totalBytes: number }> = [
      { tag: 'big', totalBytes: BIG_MB * MB },
      { tag: 'small', totalBytes: 20 * MB },
    ];
    for (const img of images) {
      const archive = join(work, `${img.tag}.docker.tar`);
      writeBigImage(archive, { totalBytes: img.totalBytes });
      await skopeoCopy(`docker-archive:${archive}`, `docker://${reg.host}/bench/${img.tag}:latest`);
      rmSync(archive);
    }
    const probe = new RegistryClient({ endpoint: { host: reg.host, url: new URL(`http://${reg.host}/`), tls: {}, insecure: true } });
    const sizes: Record<string, number> = {};
    for (const img of images) {
      const m = parseManifest((await probe.getManifest(`bench/${img.tag}`, 'latest')).bytes) as ImageManifest;
      sizes[img.tag] = m.layers.reduce((a, l) => a + l.size, 0);
    }
    probe.close();
    const big = `${reg.host}/bench/big:latest`;

    /** isula pull of `tag` through a fresh daemon of executable `bin` (undefined: the build under test) */
    const isulaPull = async (bin: string | undefined, tag: string, extraEnv: Record<string, string> = {}): Promise<Sample> => {
      const saved = process.env['ISULA_BIN'];
      if (bin !== undefined) process.env['ISULA_BIN'] = bin;
      try {
        const d = await startDaemon({ config: { 'insecure-registries': [reg.host] }, env: { ...DAEMON_ENV, ...extraEnv } });
        try {
          // RSS of the idle daemon after one request (the CLI connection set up), then the pull
          await d.isula(['images']);
          const before = statusKb(d.pid, 'VmRSS');
          const cpu0 = cpuSeconds(d.pid);
          const t0 = performance.now();
          const r = await d.isula(['pull', `${reg.host}/bench/${tag}:latest`], { timeoutMs: 600_000 });
          const ms = performance.now() - t0;
          if (r.code !== 0) throw new Error(`isula pull: ${r.stderr}\n${d.log().slice(-2000)}`);
          const peak = statusKb(d.pid, 'VmHWM');
          return { ms, cpu: cpuSeconds(d.pid) - cpu0, peakKb: peak, growthKb: peak - before };
        } finally {
          await d.stop();
        }
      } finally {
        if (saved === undefined) delete process.env['ISULA_BIN'];
        else process.env['ISULA_BIN'] = saved;
      }
    };

    const rows: Array<{ name: string; pull: Puller1 }> = [];
    rows.push({ name: 'isula pull (daemon, extract)', pull: () => isulaPull(undefined, 'big') });
    if (BASE) rows.push({ name: `isula pull, base build`, pull: () => isulaPull(BASE, 'big') });
    for (const v of VARIANTS) rows.push({ name: `isula pull, ${v.name}`, pull: () => isulaPull(undefined, 'big', v.env) });
    const peerNames: string[] = [];
    const notes: string[] = [];
    // podman pull (Debian's podman, overlay storage in a temp root): download, verify, extract.
    if (has('podman')) {
      peerNames.push('podman pull (extract)');
      rows.push({
        name: 'podman pull (extract)',
        pull: async () => {
          const root = mkdtempSync(join(work, 'podman-'));
          const base = ['--root', join(root, 'root'), '--runroot', join(root, 'run'), '--storage-driver', 'overlay', '--events-backend', 'none', '--cgroup-manager', 'cgroupfs'];
          try {
            const r = timed('podman', [...base, 'pull', '-q', '--tls-verify=false', `docker://${big}`]);
            if (r.status !== 0) throw new Error(`podman: ${r.stderr}`);
            return { ms: r.ms, cpu: r.cpu, peakKb: r.maxKb };
          } finally {
            spawnSync('podman', [...base, 'rmi', '-a', '-f'], { stdio: 'ignore' });
            spawnSync('umount', [join(root, 'root', 'overlay')], { stdio: 'ignore' });
            rmSync(root, { recursive: true, force: true });
          }
        },
      });
    } else notes.push('podman: not installed');
    // ctr pull (Debian's containerd, started here on its own root and socket): ctr fetches into
    // the content store, containerd unpacks into the overlayfs snapshotter. CPU is both.
    if (has('ctr') && has('containerd')) {
      peerNames.push('ctr pull (containerd, unpack)');
      rows.push({
        name: 'ctr pull (containerd, unpack)',
        pull: async () => {
          const root = mkdtempSync(join(work, 'containerd-'));
          const sock = join(root, 'c.sock');
          const cd = spawn('containerd', ['--root', join(root, 'root'), '--state', join(root, 'state'), '--address', sock], { stdio: 'ignore' });
          try {
            for (let t = 0; t < 100 && spawnSync('ctr', ['-a', sock, 'version'], { stdio: 'ignore' }).status !== 0; t++) await sleep(100);
            const cpu0 = cpuSeconds(cd.pid);
            const r = timed('ctr', ['-a', sock, '-n', 'bench', 'images', 'pull', '--plain-http', big]);
            if (r.status !== 0) throw new Error(`ctr: ${r.stderr}`);
            return { ms: r.ms, cpu: r.cpu + cpuSeconds(cd.pid) - cpu0, peakKb: statusKb(cd.pid, 'VmHWM') };
          } finally {
            await stop(cd);
            unmountUnder(root);
            rmSync(root, { recursive: true, force: true });
          }
        },
      });
    } else notes.push('ctr: not installed');
    const dockerd = process.env['BENCH_DOCKERD'] ?? (has('dockerd') ? 'dockerd' : undefined);
    const dockerCli = has('docker') ? 'docker' : undefined;
    if (dockerd && dockerCli) {
      peerNames.push('docker pull (dockerd 20.10)');
      rows.push({ name: 'docker pull (dockerd 20.10)', pull: () => dockerPull(dockerd, dockerCli, work, big) });
    } else notes.push('docker: no dockerd (BENCH_DOCKERD=/path/to/dockerd to add it)');

    // The rounds: each row once per round, the order rotating.
    const samples = new Map<string, Sample[]>(rows.map((r) => [r.name, []]));
    for (let round = 0; round < RUNS; round++) {
      for (let k = 0; k < rows.length; k++) {
        const row = rows[(round + k) % rows.length] as (typeof rows)[number];
        (samples.get(row.name) as Sample[]).push(await row.pull());
      }
    }

    // Outside the rounds: the small image's peak, a big pull after a warm-up pull.
    const small = await isulaPull(undefined, 'small');
    const warmGrown: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const d = await startDaemon({ config: { 'insecure-registries': [reg.host] }, env: DAEMON_ENV });
      try {
        const w = await d.isula(['pull', `${reg.host}/bench/small:latest`], { timeoutMs: 600_000 });
        if (w.code !== 0) throw new Error(`isula pull: ${w.stderr}`);
        const before = statusKb(d.pid, 'VmRSS');
        const r = await d.isula(['pull', big], { timeoutMs: 600_000 });
        if (r.code !== 0) throw new Error(`isula pull: ${r.stderr}`);
        warmGrown.push(statusKb(d.pid, 'VmHWM') - before); // HWM may still be the warm-up's peak: errs high
      } finally {
        await d.stop();
      }
    }
    // The registry client alone, into a hashing sink (no extraction, no store).
    const clientTimes: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const dir = join(work, `dl-${i}`);
      const c = new RegistryClient({ endpoint: { host: reg.host, url: new URL(`http://${reg.host}/`), tls: {}, insecure: true } });
      const p = new Puller({ layers: new RecordingLayerStore(), downloader: new BlobDownloader({ dir }) });
      const t0 = performance.now();
      await p.pull(c, 'bench/big', 'latest', { platform: parsePlatform('linux/amd64') });
      clientTimes.push(performance.now() - t0);
      c.close();
      rmSync(dir, { recursive: true, force: true });
    }
    // Download + verify only, 3 at a time: the same work skopeo does (no extraction).
    const dlTimes: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const c = new RegistryClient({ endpoint: { host: reg.host, url: new URL(`http://${reg.host}/`), tls: {}, insecure: true } });
      const m = parseManifest((await c.getManifest('bench/big', 'latest')).bytes) as ImageManifest;
      const d = new BlobDownloader({ dir: join(work, `dlonly-${i}`) });
      let next = 0;
      const worker = async () => {
        while (next < m.layers.length) {
          const l = m.layers[next++] as { digest: string; size: number };
          const lease = await d.fetch(c, 'bench/big', l);
          await lease.release();
        }
      };
      const t0 = performance.now();
      await Promise.all([worker(), worker(), worker()]);
      dlTimes.push(performance.now() - t0);
      c.close();
    }
    const skopeoTimes: number[] = [];
    if (has('skopeo')) {
      for (let i = 0; i < RUNS; i++) {
        const dest = join(work, `oci-${i}`);
        const t0 = performance.now();
        const r = spawnSync('skopeo', ['copy', '-q', '--src-tls-verify=false', `docker://${big}`, `oci:${dest}:latest`]);
        skopeoTimes.push(performance.now() - t0);
        if (r.status !== 0) throw new Error(`skopeo: ${r.stderr}`);
        rmSync(dest, { recursive: true, force: true });
      }
    }

    const bytes = sizes.big ?? 0;
    const rate = (ms: number) => ((bytes / MB) / (ms / 1000)).toFixed(1);
    const loadAfter = loadavg();
    const out = (s: string) => process.stdout.write(s + '\n');
    out(`pull of ${(bytes / MB).toFixed(1)} MB of blobs in 5 layers from a loopback registry; ${started.toISOString()}, ${RUNS} rounds; load average ${loadBefore.map((x) => x.toFixed(1)).join(' ')} before, ${loadAfter.map((x) => x.toFixed(1)).join(' ')} after`);
    const w = [38, 26, 8, 10, 12];
    const line = (c: string[]) => out(c.map((x, i) => x.padEnd(w[i] ?? 0)).join(''));
    line(['WHAT', 'TIME median (min-max)', 'MB/s', 'CPU s', 'PEAK RSS']);
    const medians: Record<string, number> = {};
    for (const r of rows) {
      const ss = samples.get(r.name) as Sample[];
      const ms = ss.map((s) => s.ms);
      medians[r.name] = median(ms);
      line([
        r.name,
        `${(median(ms) / 1000).toFixed(2)} s (${(Math.min(...ms) / 1000).toFixed(2)}-${(Math.max(...ms) / 1000).toFixed(2)})`,
        rate(median(ms)),
        median(ss.map((s) => s.cpu)).toFixed(2),
        `${(median(ss.map((s) => s.peakKb)) / 1024).toFixed(1)} MB`,
      ]);
    }
    line(['registry client (verify+gunzip-hash)', `${(median(clientTimes) / 1000).toFixed(2)} s`, rate(median(clientTimes)), '-', '-']);
    line(['registry client download+verify', `${(median(dlTimes) / 1000).toFixed(2)} s`, rate(median(dlTimes)), '-', '-']);
    if (skopeoTimes.length > 0) line(['skopeo copy -> oci dir (no extract)', `${(median(skopeoTimes) / 1000).toFixed(2)} s`, rate(median(skopeoTimes)), '-', '-']);
    for (const n of notes) out(`(${n})`);
    const growth = (name: string) => samples.get(name)?.map((s) => (s.growthKb ?? NaN) / 1024) ?? [];
    for (const r of rows.filter((x) => x.name.startsWith('isula'))) {
      const g = growth(r.name);
      out(`${r.name}: daemon RSS growth during a first pull, per round: ${g.map((x) => `+${x.toFixed(1)}`).join(' ')} MiB (median +${median(g).toFixed(1)}, target <= +20)`);
    }
    out(
      `daemon peak RSS: ${(small.peakKb / 1024).toFixed(1)} MB for 5 x ${((sizes.small ?? 0) / 5 / MB).toFixed(0)} MB layers (growth +${((small.growthKb ?? NaN) / 1024).toFixed(1)}), ` +
        `${(median((samples.get(rows[0]?.name ?? '') ?? []).map((s) => s.peakKb)) / 1024).toFixed(1)} MB for 5 x ${(bytes / 5 / MB).toFixed(0)} MB layers; ` +
        `the big pull after a warm-up pull (same daemon): +${(median(warmGrown) / 1024).toFixed(1)} MiB`,
    );
    const peerMs = peerNames.map((n) => medians[n] ?? NaN).filter((x) => Number.isFinite(x));
    if (peerMs.length > 0) {
      const fastest = Math.min(...peerMs);
      for (const r of rows.filter((x) => x.name.startsWith('isula'))) {
        const perRound = (samples.get(r.name) as Sample[]).map((s, i) => s.ms / Math.min(...peerNames.map((n) => (samples.get(n) as Sample[])[i]?.ms ?? Infinity)));
        out(`${r.name} / fastest extracting peer: ${((medians[r.name] ?? NaN) / fastest).toFixed(2)}x of medians; per round ${perRound.map((x) => x.toFixed(2)).join(' ')} (target <= 0.8x)`);
      }
    }
  } finally {
    await reg.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((res) => child.once('exit', res));
  child.kill('SIGTERM');
  await Promise.race([exited, sleep(20_000)]);
  if (child.exitCode === null && child.signalCode === null) {
    child.kill('SIGKILL');
    await exited;
  }
}

function unmountUnder(root: string): void {
  spawnSync('sh', ['-c', `grep -o ' ${root}[^ ]*' /proc/mounts | sort -r | xargs -r -n1 umount`], { stdio: 'ignore' });
}

/**
 * docker pull on a dockerd of its own: scratch data and exec roots, its own socket, no bridge, no
 * iptables, no ip_forward change, in a private mount namespace whose /etc/docker is a tmpfs.
 * CPU counts dockerd, the containerd it starts, and the docker CLI.
 */
async function dockerPull(dockerd: string, cli: string, work: string, ref: string): Promise<Sample> {
  const root = mkdtempSync(join(work, 'docker-'));
  const sock = join(root, 'd.sock');
  writeFileSync(join(root, 'daemon.json'), '{}\n');
  const args = [
    '--data-root', join(root, 'data'), '--exec-root', join(root, 'exec'), '--pidfile', join(root, 'pid'), '-H', `unix://${sock}`,
    '--config-file', join(root, 'daemon.json'), '--bridge=none', '--iptables=false', '--ip6tables=false', '--ip-forward=false',
    '--ip-masq=false', '--storage-driver=overlay2',
  ];
  const script = 'mkdir -p /etc/docker && mount -t tmpfs -o size=1m tmpfs /etc/docker && exec "$@"';
  const d = spawn('unshare', ['-m', '--propagation', 'private', 'sh', '-c', script, 'sh', dockerd, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  d.stderr?.on('data', (c: Buffer) => (log = (log + c.toString()).slice(-4000)));
  try {
    for (let t = 0; t < 300 && spawnSync(cli, ['-H', `unix://${sock}`, 'version'], { stdio: 'ignore' }).status !== 0; t++) {
      if (d.exitCode !== null) throw new Error(`dockerd exited: ${log}`);
      await sleep(100);
    }
    const tree = () => descendants(d.pid);
    const cpuTree = () => tree().reduce((a, p) => a + (safe(() => cpuSeconds(p)) ?? 0), 0);
    const cpu0 = cpuTree();
    const r = timed(cli, ['-H', `unix://${sock}`, 'pull', '-q', ref]);
    if (r.status !== 0) throw new Error(`docker pull: ${r.stderr}\n${log}`);
    const cpu = cpuTree() - cpu0 + r.cpu;
    return { ms: r.ms, cpu, peakKb: statusKb(d.pid, 'VmHWM') };
  } finally {
    await stop(d);
    // its mounts were in its own namespace, gone with it
    if (existsSync(root)) rmSync(root, { recursive: true, force: true });
  }
}

function safe<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch {
    return undefined;
  }
}

/** pid and every descendant (dockerd's containerd and shims) */
function descendants(pid: number | undefined): number[] {
  if (pid === undefined) return [];
  const out = [pid];
  for (let i = 0; i < out.length; i++) {
    const kids = safe(() => readFileSync(`/proc/${out[i]}/task/${out[i]}/children`, 'utf8')) ?? '';
    for (const k of kids.trim().split(/\s+/)) if (k) out.push(Number(k));
  }
  return out;
}

await main();
