// lcr driver: start latency of `true` through the driver vs raw `lxc-start -F` with the same
// config (median of 20), and the memory (PSS, /proc/<pid>/smaps_rollup) of the per-container
// processes: sh monitor, lxc-start, two awk log copiers. Needs root and LXC. Run with Node 24.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, rmdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLcrRuntime } from '../src/runtime/lcr/driver.ts';
import type { Runtime, ExitInfo } from '../src/runtime/runtime.ts';
import { loadSpecContext } from '../src/spec/build.ts';
import { specOfSync } from '../test/helpers/spec.ts';
import { readCgroupLayout, cgroupDirs } from '../src/cgroups/hierarchy.ts';

const N = 20;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (ms: number) => `${ms.toFixed(1)} ms`;

function busyboxRootfs(dir: string): void {
  for (const d of ['bin', 'etc', 'proc', 'sys', 'dev', 'tmp']) mkdirSync(join(dir, d), { recursive: true });
  copyFileSync('/bin/busybox', join(dir, 'bin/busybox'));
  chmodSync(join(dir, 'bin/busybox'), 0o755);
  for (const a of execFileSync('/bin/busybox', ['--list'], { encoding: 'utf8' }).split('\n')) if (a && a !== 'busybox') symlinkSync('busybox', join(dir, 'bin', a));
  writeFileSync(join(dir, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\n');
  writeFileSync(join(dir, 'etc/group'), 'root:x:0:\n');
}

function pss(pid: number): number {
  try {
    const m = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

function children(): Map<number, number[]> {
  const out = new Map<number, number[]>();
  for (const p of readdirSync('/proc')) {
    if (!/^\d+$/.test(p)) continue;
    try {
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      out.set(ppid, [...(out.get(ppid) ?? []), Number(p)]);
    } catch {
      // gone
    }
  }
  return out;
}

const comm = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '?';
  }
};

async function main(): Promise<void> {
  if (process.getuid?.() !== 0) {
    console.log('lcr bench: needs root (LXC); skipped');
    return;
  }
  const root = mkdtempSync(join(tmpdir(), 'lcr-bench-'));
  const rootfs = join(root, 'rootfs');
  busyboxRootfs(rootfs);
  const cgroupParent = `lcrbench-${process.pid}`;
  const opts = { lxcPath: join(root, 'lxc'), stateDir: join(root, 'state'), cgroupParent };
  const rt: Runtime = await createLcrRuntime(opts);
  const ctx = await loadSpecContext(rootfs);
  const exits = new Map<string, (e: ExitInfo) => void>();
  rt.onExit((id, e) => exits.get(id)?.(e));
  const create = (id: string, cmd: string[]) =>
    rt.create({ id, spec: specOfSync(id, rootfs, cgroupParent, { Cmd: cmd }, ctx), logPath: join(root, `${id}.log`), logMaxSize: 1 << 20, logMaxFile: 7, openStdin: false, terminal: false });
  try {
    // raw lxc-start -F on the very config the driver wrote (same seccomp, mounts, cgroups)
    await create('raw', ['/bin/true']);
    const raw: number[] = [];
    for (let i = 0; i < N; i++) {
      const t0 = performance.now();
      const r = spawnSync('lxc-start', ['-F', '-q', '-C', '-n', 'raw', '-P', opts.lxcPath, '-o', join(root, 'raw.lxc.log'), '-l', 'INFO', '--', '/bin/true'], { stdio: 'ignore' });
      raw.push(performance.now() - t0);
      if (r.status !== 0) throw new Error(`lxc-start exited ${r.status}`);
    }
    await rt.delete('raw');

    const startRet: number[] = [];
    const toExit: number[] = [];
    for (let i = 0; i < N; i++) {
      const id = `t${i}`;
      await create(id, ['/bin/true']);
      const exited = new Promise<ExitInfo>((r) => exits.set(id, r));
      const t0 = performance.now();
      await rt.start(id);
      startRet.push(performance.now() - t0);
      await exited;
      toExit.push(performance.now() - t0);
      await rt.delete(id);
    }
    console.log(`start latency of \`true\`, median of ${N} (min):`);
    console.log(`  raw lxc-start -F (same config)        ${fmt(median(raw))} (${fmt(Math.min(...raw))})`);
    console.log(`  driver start() returns (init pid)    ${fmt(median(startRet))} (${fmt(Math.min(...startRet))})`);
    console.log(`  driver start() → exit delivered      ${fmt(median(toExit))} (${fmt(Math.min(...toExit))})   ratio to raw ${(median(toExit) / median(raw)).toFixed(2)}x`);

    // memory of the per-container processes while 5 containers sleep
    const K = 5;
    for (let i = 0; i < K; i++) {
      await create(`m${i}`, ['sleep', '1000']);
      await rt.start(`m${i}`);
    }
    await new Promise((r) => setTimeout(r, 500));
    const kids = children();
    let total = 0;
    let lxcStart = 0;
    const kinds = new Map<string, number>();
    for (let i = 0; i < K; i++) {
      const monitor = Number(readFileSync(join(opts.stateDir, `m${i}`, 'monitor'), 'utf8').split(' ')[0]);
      const init = Number(readFileSync(join(opts.stateDir, `m${i}`, 'init'), 'utf8').split(' ')[0]);
      const stack = [monitor];
      while (stack.length > 0) {
        const p = stack.pop()!;
        if (p === init) continue; // the container's own process is not monitor overhead
        const kb = pss(p);
        total += kb;
        const c = comm(p);
        kinds.set(c, (kinds.get(c) ?? 0) + kb);
        if (c === 'lxc-start') lxcStart += kb;
        stack.push(...(kids.get(p) ?? []));
      }
    }
    console.log(`monitor PSS per container (${K} sleeping containers, smaps_rollup):`);
    console.log(`  with lxc-start     ${(total / K / 1024).toFixed(2)} MB`);
    console.log(`  without lxc-start  ${((total - lxcStart) / K / 1024).toFixed(2)} MB   (sh monitor + 2 awk copiers)`);
    console.log(`  by process: ${[...kinds].map(([c, kb]) => `${c} ${(kb / K / 1024).toFixed(2)} MB`).join(', ')}`);
    for (let i = 0; i < K; i++) {
      await rt.stop(`m${i}`, { signal: 9, timeoutMs: 0 });
      await rt.delete(`m${i}`);
    }
  } finally {
    await rt.close();
    const layout = await readCgroupLayout();
    for (const p of [cgroupParent, `${cgroupParent}.monitor`]) {
      for (const d of cgroupDirs(layout, p)) {
        try {
          for (const e of readdirSync(d, { withFileTypes: true })) if (e.isDirectory()) rmdirSync(join(d, e.name));
          rmdirSync(d);
        } catch {
          // absent
        }
      }
    }
    rmSync(root, { recursive: true, force: true });
  }
}

await main();
