// Load throughput: the 100 MB, 5-layer image (test/fixtures/images/big.ts) loaded through the
// images service into a fresh root each run (real store, real extraction, syncfs before each
// commit), reported as MB/s of uncompressed layer data (median of 3), beside GNU tar extracting
// the same layer tars (no hashing, no fsync) as a floor. Then disk use per image vs its
// uncompressed size, with tar-split overhead, and the same for the gzip'd variant.
// Needs root (device nodes/xattrs are not in this image, but the store runs as the daemon does).
import { execFileSync, spawnSync } from 'node:child_process';
import { createReadStream, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../src/store/index.ts';
import { ImageService } from '../src/services/images/image-service.ts';
import { openImageStorage } from '../src/daemon/storage.ts';
import type { OverlayLayerStore } from '../src/storage/overlay/layer-store.ts';
import { writeBigImage } from '../test/fixtures/images/big.ts';

const RUNS = 3;
const MB = 1024 * 1024;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function du(path: string): number {
  return Number(execFileSync('du', ['-sk', path], { encoding: 'utf8' }).split('\t')[0]) * 1024;
}

async function loadOnce(archive: string, root: string): Promise<{ ms: number; layers: OverlayLayerStore; rssGrowth: number; close: () => Promise<void> }> {
  const store = await openStore(join(root, 'store'));
  const { layers, images } = await openImageStorage(root, store);
  const svc = new ImageService({ store, layers, images, embeddedImage: () => undefined });
  await svc.start();
  const rss0 = process.memoryUsage().rss;
  let peak = rss0;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
  const t0 = performance.now();
  await svc.load(createReadStream(archive));
  const ms = performance.now() - t0;
  clearInterval(sampler);
  return { ms, layers, rssGrowth: peak - rss0, close: () => store.close() };
}

async function main(): Promise<void> {
  const tmp = mkdtempSync(join(tmpdir(), 'load-bench-'));
  try {
    for (const gzip of [false, true]) {
      const archive = join(tmp, `big${gzip ? '.gz' : ''}.tar`);
      const big = writeBigImage(archive, { gzip });
      const archiveBytes = statSync(archive).size;
      const times: number[] = [];
      let diskLine = '';
      for (let i = 0; i < RUNS; i++) {
        const root = join(tmp, `root-${gzip}-${i}`);
        const { ms, layers: store, close, rssGrowth } = await loadOnce(archive, root);
        times.push(ms);
        if (i === 0) {
          const overlay = join(root, 'storage', 'overlay');
          const layers = store.list();
          const splits = layers.reduce((a, l) => a + statSync(store.layout.splitFile(l.chainId)).size, 0);
          const used = du(overlay) + du(join(root, 'storage', 'overlay-images'));
          diskLine = `RSS growth during the load ${(rssGrowth / MB).toFixed(1)} MB; disk use ${(used / MB).toFixed(1)} MB for ${(big.layerBytes / MB).toFixed(1)} MB of layer tars (${((used / big.layerBytes) * 100).toFixed(1)}%), tar-split ${(splits / 1024).toFixed(1)} KiB`;
        }
        await close();
        rmSync(root, { recursive: true, force: true });
      }
      const ms = median(times);
      console.log(`load ${gzip ? 'gzip' : 'plain'} docker-save (${(archiveBytes / MB).toFixed(1)} MB archive, ${(big.layerBytes / MB).toFixed(1)} MB uncompressed): median ${ms.toFixed(0)} ms = ${(big.layerBytes / MB / (ms / 1000)).toFixed(1)} MB/s  [runs: ${times.map((t) => t.toFixed(0)).join(', ')} ms]`);
      console.log(`  ${diskLine}`);
      if (!gzip) {
        // Floor: GNU tar unpacking the same archive's layer blobs (hashing and syncfs excluded).
        const x = join(tmp, 'x');
        mkdirSync(x);
        execFileSync('tar', ['-xf', archive, '-C', x]);
        const blobs = readdirSync(join(x, 'blobs', 'sha256')).map((b) => join(x, 'blobs', 'sha256', b)).filter((p) => statSync(p).size > 1 << 20);
        const tt: number[] = [];
        for (let i = 0; i < RUNS; i++) {
          const out = join(tmp, `tar-${i}`);
          mkdirSync(out);
          const t0 = performance.now();
          for (const b of blobs) {
            const r = spawnSync('tar', ['-xf', b, '-C', out]);
            if (r.status !== 0) throw new Error(`tar: ${r.stderr}`);
          }
          tt.push(performance.now() - t0);
          rmSync(out, { recursive: true, force: true });
        }
        console.log(`  GNU tar -x of the same layers: median ${median(tt).toFixed(0)} ms = ${(big.layerBytes / MB / (median(tt) / 1000)).toFixed(1)} MB/s`);
        rmSync(x, { recursive: true, force: true });
      }
      rmSync(archive, { force: true });
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

await main();
