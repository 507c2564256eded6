// Pull throughput: the ~100 MB, 5-layer image (test/fixtures/images/big.ts, incompressible data,
// gzip'd by skopeo when pushed) from a loopback docker-registry, side by side with the peers that
// are installed: `skopeo copy` to an OCI dir (download + verify, no extraction), `ctr pull`,
// `podman pull`. Ours is measured twice: `isula pull` through a fresh daemon (download, verify,
// gunzip, extract, syncfs, commit) and the registry client alone into a hashing sink (the wire
// and verification cost without the store), and downloads alone (skopeo's share of the work). Reports MB/s of blob bytes (median of RUNS) and the
// daemon's peak RSS (VmHWM) for this image and for one with 1/5 the layer size: streaming means
// the peak does not grow with layer size.
// Needs root (the daemon's layer store) and docker-registry + skopeo (scripts/install-deps.sh).
import { spawn, spawnSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

const RUNS = Math.max(1, Number(process.env['BENCH_RUNS'] ?? 3));
/** size of the big image in MiB (BENCH_PULL_MB; default 100, the figure) */
const BIG_MB = Math.max(10, Number(process.env['BENCH_PULL_MB'] ?? 100));
const MB = 1024 * 1024;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

function has(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
}

function vmRssKb(pid: number | undefined): number {
  if (pid === undefined) return NaN;
  const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : NaN;
}

function vmHwmKb(pid: number | undefined): number {
  if (pid === undefined) return NaN;
  const m = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : NaN;
}

async function main(): Promise<void> {
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
    const rows: Array<[string, string, string, string]> = [];
    const rate = (bytes: number, ms: number) => ((bytes / MB) / (ms / 1000)).toFixed(1);

    // 1. isula pull through a fresh daemon per run.
    const peak: Record<string, number> = {};
    const growth: Record<string, number> = {};
    let ours = NaN;
    for (const img of images) {
      const times: number[] = [];
      const peaks: number[] = [];
      const grown: number[] = [];
      for (let i = 0; i < (img.tag === 'big' ? RUNS : 1); i++) {
        const d = await startDaemon({ config: { 'insecure-registries': [reg.host] } });
        try {
          // RSS of the idle daemon after one request (the CLI connection set up), then the pull
          await d.isula(['images']);
          const before = vmRssKb(d.pid);
          const t0 = performance.now();
          const r = await d.isula(['pull', `${reg.host}/bench/${img.tag}:latest`], { timeoutMs: 600_000 });
          const ms = performance.now() - t0;
          if (r.code !== 0) throw new Error(`isula pull: ${r.stderr}\n${d.log().slice(-2000)}`);
          times.push(ms);
          peaks.push(vmHwmKb(d.pid));
          grown.push(vmHwmKb(d.pid) - before);
        } finally {
          await d.stop();
        }
      }
      peak[img.tag] = median(peaks);
      growth[img.tag] = median(grown);
      if (img.tag === 'big') {
        // The same pull in a daemon that pulled the small image first: what a pull costs once the
        // first one paid for code, JIT and allocator arenas (one-time, ~15 MB on x64).
        const warmGrown: number[] = [];
        for (let i = 0; i < RUNS; i++) {
          const d = await startDaemon({ config: { 'insecure-registries': [reg.host] } });
          try {
            const w = await d.isula(['pull', `${reg.host}/bench/small:latest`], { timeoutMs: 600_000 });
            if (w.code !== 0) throw new Error(`isula pull: ${w.stderr}`);
            const before = vmRssKb(d.pid);
            const r = await d.isula(['pull', `${reg.host}/bench/${img.tag}:latest`], { timeoutMs: 600_000 });
            if (r.code !== 0) throw new Error(`isula pull: ${r.stderr}`);
            warmGrown.push(vmHwmKb(d.pid) - before); // HWM may still be the warm-up's peak: errs high
          } finally {
            await d.stop();
          }
        }
        growth.warm = median(warmGrown);
      }
      if (img.tag === 'big') {
        ours = median(times);
        rows.push(['isula pull (daemon, extract)', `${(median(times) / 1000).toFixed(2)} s`, rate(sizes.big ?? 0, median(times)), `${(median(peaks) / 1024).toFixed(1)} MB`]);
      }
    }

    // 2. the registry client alone, into a hashing sink (no extraction, no store).
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
    rows.push(['registry client (verify + gunzip-hash)', `${(median(clientTimes) / 1000).toFixed(2)} s`, rate(sizes.big ?? 0, median(clientTimes)), '-']);

    // 2b. download + verify only, 3 at a time: the same work skopeo does (no extraction).
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
    rows.push(['registry client download+verify only', `${(median(dlTimes) / 1000).toFixed(2)} s`, rate(sizes.big ?? 0, median(dlTimes)), '-']);

    // 3. peers.
    if (has('skopeo')) {
      const times: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const dest = join(work, `oci-${i}`);
        const t0 = performance.now();
        const r = spawnSync('skopeo', ['copy', '-q', '--src-tls-verify=false', `docker://${reg.host}/bench/big:latest`, `oci:${dest}:latest`]);
        times.push(performance.now() - t0);
        if (r.status !== 0) throw new Error(`skopeo: ${r.stderr}`);
        rmSync(dest, { recursive: true, force: true });
      }
      rows.push(['skopeo copy -> oci dir (no extract)', `${(median(times) / 1000).toFixed(2)} s`, rate(sizes.big ?? 0, median(times)), '-']);
    }
    const peers: number[] = [];
    // podman pull (Debian's podman, overlay storage in a temp root): download, verify, extract.
    if (has('podman')) {
      const times: number[] = [];
      const peaks: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const root = mkdtempSync(join(work, 'podman-'));
        const base = ['--root', join(root, 'root'), '--runroot', join(root, 'run'), '--storage-driver', 'overlay', '--events-backend', 'none', '--cgroup-manager', 'cgroupfs'];
        const t0 = performance.now();
        const r = spawnSync('/usr/bin/time', ['-f', '%M', 'podman', ...base, 'pull', '-q', '--tls-verify=false', `docker://${reg.host}/bench/big:latest`], { encoding: 'utf8' });
        times.push(performance.now() - t0);
        if (r.status !== 0) throw new Error(`podman: ${r.stderr}`);
        peaks.push(Number(r.stderr.trim().split('\n').at(-1)));
        spawnSync('podman', [...base, 'rmi', '-a', '-f'], { stdio: 'ignore' });
        spawnSync('umount', [join(root, 'root', 'overlay')], { stdio: 'ignore' });
        rmSync(root, { recursive: true, force: true });
      }
      peers.push(median(times));
      rows.push(['podman pull (extract)', `${(median(times) / 1000).toFixed(2)} s`, rate(sizes.big ?? 0, median(times)), `${(median(peaks) / 1024).toFixed(1)} MB`]);
    } else rows.push(['podman pull', 'not installed', '-', '-']);
    // ctr pull (Debian's containerd, started here on its own root and socket): fetch + unpack
    // into the overlayfs snapshotter. Peak RSS is containerd's (the daemon doing the work).
    if (has('ctr') && has('containerd')) {
      const times: number[] = [];
      const peaks: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const root = mkdtempSync(join(work, 'containerd-'));
        const sock = join(root, 'c.sock');
        const cd = spawn('containerd', ['--root', join(root, 'root'), '--state', join(root, 'state'), '--address', sock], { stdio: 'ignore' });
        try {
          for (let t = 0; t < 100 && spawnSync('ctr', ['-a', sock, 'version'], { stdio: 'ignore' }).status !== 0; t++) await sleep(100);
          const t0 = performance.now();
          const r = spawnSync('ctr', ['-a', sock, '-n', 'bench', 'images', 'pull', '--plain-http', `${reg.host}/bench/big:latest`], { encoding: 'utf8' });
          times.push(performance.now() - t0);
          if (r.status !== 0) throw new Error(`ctr: ${r.stderr}`);
          peaks.push(vmHwmKb(cd.pid));
        } finally {
          cd.kill('SIGTERM');
          await new Promise((res) => cd.once('exit', res));
          spawnSync('sh', ['-c', `grep -o ' ${root}[^ ]*' /proc/mounts | sort -r | xargs -r -n1 umount`], { stdio: 'ignore' });
          rmSync(root, { recursive: true, force: true });
        }
      }
      peers.push(median(times));
      rows.push(['ctr pull (containerd, unpack)', `${(median(times) / 1000).toFixed(2)} s`, rate(sizes.big ?? 0, median(times)), `${(median(peaks) / 1024).toFixed(1)} MB`]);
    } else rows.push(['ctr pull', 'not installed', '-', '-']);

    process.stdout.write(`pull of ${((sizes.big ?? 0) / MB).toFixed(1)} MB of blobs in 5 layers from a loopback registry (median of ${RUNS})\n`);
    const w = [40, 15, 8, 14];
    process.stdout.write(`${'WHAT'.padEnd(w[0] as number)}${'TIME'.padEnd(w[1] as number)}${'MB/s'.padEnd(w[2] as number)}PEAK RSS\n`);
    for (const r of rows) process.stdout.write(`${r[0].padEnd(w[0] as number)}${r[1].padEnd(w[1] as number)}${r[2].padEnd(w[2] as number)}${r[3]}\n`);
    process.stdout.write(
      `daemon peak RSS: ${((peak.small ?? NaN) / 1024).toFixed(1)} MB for 5 x ${((sizes.small ?? 0) / 5 / MB).toFixed(0)} MB layers, ` +
        `${((peak.big ?? NaN) / 1024).toFixed(1)} MB for 5 x ${((sizes.big ?? 0) / 5 / MB).toFixed(0)} MB layers; ` +
        `growth over the idle daemon during the pull: +${((growth.small ?? NaN) / 1024).toFixed(1)} MB / +${((growth.big ?? NaN) / 1024).toFixed(1)} MB; ` +
        `the big pull after a warm-up pull (same daemon): +${((growth.warm ?? NaN) / 1024).toFixed(1)} MB\n`,
    );
    if (peers.length > 0) process.stdout.write(`isula pull / fastest extracting peer: ${(ours / Math.min(...peers)).toFixed(2)}x (target <= 0.8x)\n`);
  } finally {
    await reg.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
