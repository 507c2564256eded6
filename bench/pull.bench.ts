// Pull throughput: the ~100 MB, 5-layer image (test/fixtures/images/big.ts, incompressible data,
// gzip'd by skopeo when pushed) from a loopback docker-registry, side by side with the peers that
// are installed: `skopeo copy` to an OCI dir (download + verify, no extraction), `ctr pull`,
// `podman pull`. Ours is measured twice: `isula pull` through a fresh daemon (download, verify,
// gunzip, extract, syncfs, commit) and the registry client alone into a hashing sink (the wire
// and verification cost without the store), and downloads alone (skopeo's share of the work). Reports MB/s of blob bytes (median of RUNS) and the
// daemon's peak RSS (VmHWM) for this image and for one with 1/5 the layer size: streaming means
// the peak does not grow with layer size.
// Needs root (the daemon's layer store) and docker-registry + skopeo (scripts/install-deps.sh).
import { spawnSync } from 'node:child_process';
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
    for (const img of images) {
      const times: number[] = [];
      const peaks: number[] = [];
      for (let i = 0; i < (img.tag === 'big' ? RUNS : 1); i++) {
        const d = await startDaemon({ config: { 'insecure-registries': [reg.host] } });
        try {
          const t0 = performance.now();
          const r = await d.isula(['pull', `${reg.host}/bench/${img.tag}:latest`], { timeoutMs: 600_000 });
          const ms = performance.now() - t0;
          if (r.code !== 0) throw new Error(`isula pull: ${r.stderr}\n${d.log().slice(-2000)}`);
          times.push(ms);
          peaks.push(vmHwmKb(d.pid));
        } finally {
          await d.stop();
        }
      }
      peak[img.tag] = median(peaks);
      if (img.tag === 'big') rows.push(['isula pull (daemon, extract)', `${(median(times) / 1000).toFixed(2)} s`, rate(sizes.big ?? 0, median(times)), `${(median(peaks) / 1024).toFixed(1)} MB`]);
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
    for (const peer of ['ctr', 'podman']) if (!has(peer)) rows.push([`${peer} pull`, 'not installed', '-', '-']);

    process.stdout.write(`pull of ${((sizes.big ?? 0) / MB).toFixed(1)} MB of blobs in 5 layers from a loopback registry (median of ${RUNS})\n`);
    const w = [40, 15, 8, 14];
    process.stdout.write(`${'WHAT'.padEnd(w[0] as number)}${'TIME'.padEnd(w[1] as number)}${'MB/s'.padEnd(w[2] as number)}PEAK RSS\n`);
    for (const r of rows) process.stdout.write(`${r[0].padEnd(w[0] as number)}${r[1].padEnd(w[1] as number)}${r[2].padEnd(w[2] as number)}${r[3]}\n`);
    process.stdout.write(
      `daemon peak RSS: ${((peak.small ?? NaN) / 1024).toFixed(1)} MB for 5 x ${((sizes.small ?? 0) / 5 / MB).toFixed(0)} MB layers, ` +
        `${((peak.big ?? NaN) / 1024).toFixed(1)} MB for 5 x ${((sizes.big ?? 0) / 5 / MB).toFixed(0)} MB layers\n`,
    );
  } finally {
    await reg.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
