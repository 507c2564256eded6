// Shared setup for the lcr integration suites: a busybox rootfs built from /bin/busybox, a private
// lxcpath, state dir and cgroup parent per suite, and a cleanup that leaves nothing behind.
// Real LXC only; needs root.
import { execFileSync } from 'node:child_process';
import { readFileSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync, chmodSync, existsSync, readdirSync, rmdirSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { createLcrRuntime } from '../../src/runtime/lcr/driver.ts';
import type { LcrOptions } from '../../src/runtime/lcr/driver.ts';
import type { ExitInfo, Runtime } from '../../src/runtime/runtime.ts';
import type { Spec } from '../../src/spec/types.ts';
import { specOf } from '../helpers/spec.ts';
import type { SpecFields } from '../helpers/spec.ts';
import { readCgroupLayout, cgroupDirs } from '../../src/cgroups/hierarchy.ts';

export const canRun = process.getuid?.() === 0 && existsSync('/bin/busybox') && existsSync('/usr/bin/lxc-start');
export const skipReason = canRun ? false : 'needs root, /bin/busybox and lxc-start';

export function makeBusyboxRootfs(dir: string): void {
  for (const d of ['bin', 'etc', 'proc', 'sys', 'dev', 'tmp', 'root', 'home/user', 'data']) mkdirSync(join(dir, d), { recursive: true });
  copyFileSync('/bin/busybox', join(dir, 'bin/busybox'));
  chmodSync(join(dir, 'bin/busybox'), 0o755);
  const applets = execFileSync('/bin/busybox', ['--list'], { encoding: 'utf8' }).split('\n').filter((a) => a !== '' && a !== 'busybox');
  for (const a of applets) symlinkSync('busybox', join(dir, 'bin', a));
  writeFileSync(join(dir, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\nuser:x:1000:1000:user:/home/user:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n');
  writeFileSync(join(dir, 'etc/group'), 'root:x:0:\ntty:x:5:user\nuser:x:1000:\naudio:x:29:user\nnobody:x:65534:\n');
  chmodSync(join(dir, 'tmp'), 0o1777);
}

export interface Suite {
  root: string;
  rootfs: string;
  opts: LcrOptions;
  rt: Runtime;
  logPath(id: string): string;
  spec(id: string, o: SpecFields): Promise<Spec>;
  /** create + register for cleanup */
  create(id: string, o: SpecFields, extra?: { logMaxSize?: number; logMaxFile?: number; openStdin?: boolean }): Promise<void>;
  reopen(): Promise<Runtime>;
  cleanup(): Promise<void>;
}

export async function setupSuite(name: string): Promise<Suite> {
  const root = mkdtempSync(join(tmpdir(), `lcr-${name}-`));
  const rootfs = join(root, 'rootfs');
  makeBusyboxRootfs(rootfs);
  mkdirSync(join(root, 'logs'));
  const cgroupParent = `lcrtest-${name}-${process.pid}`;
  const opts: LcrOptions = { lxcPath: join(root, 'lxc'), stateDir: join(root, 'state'), cgroupParent, startTimeoutMs: 30_000 };
  let rt = await createLcrRuntime(opts);
  const ids = new Set<string>();
  const suite: Suite = {
    root,
    rootfs,
    opts,
    get rt() {
      return rt;
    },
    logPath: (id) => join(root, 'logs', `${id}.log`),
    spec: (id, o) => specOf(id, rootfs, cgroupParent, o),
    async create(id, o, extra = {}) {
      const spec = await suite.spec(id, o);
      ids.add(id);
      await rt.create({
        id,
        spec,
        logPath: suite.logPath(id),
        logMaxSize: extra.logMaxSize ?? 1024 * 1024,
        logMaxFile: extra.logMaxFile ?? 7,
        openStdin: extra.openStdin ?? false,
        terminal: false,
      });
    },
    async reopen() {
      await rt.close();
      rt = await createLcrRuntime(opts);
      return rt;
    },
    async cleanup() {
      for (const id of ids) {
        try {
          const st = await rt.status(id);
          if (st.status === 'running' || st.status === 'paused') await rt.stop(id, { signal: 9, timeoutMs: 0 });
          await rt.delete(id);
        } catch {
          // not created or already deleted
        }
      }
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
    },
  };
  return suite;
}

/** Reads the json-file log (rotated files oldest first) as records. */
export function readJsonLog(path: string, maxFile = 10): Array<{ log: string; stream: string; time: string }> {
  const out: Array<{ log: string; stream: string; time: string }> = [];
  const paths = [];
  for (let i = maxFile; i >= 1; i--) if (existsSync(`${path}.${i}`)) paths.push(`${path}.${i}`);
  if (existsSync(path)) paths.push(path);
  for (const p of paths) {
    for (const line of readFileSync(p, 'utf8').split('\n')) if (line !== '') out.push(JSON.parse(line));
  }
  return out;
}

/** Polls status until the container stopped (status reads the exit file, so no watcher is needed). */
export async function waitStopped(rt: Runtime, id: string, timeoutMs = 20_000): Promise<ExitInfo> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const st = await rt.status(id);
    if (st.status === 'stopped') return st.exit;
    if (Date.now() > until) throw new Error(`container ${id} still ${st.status} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** create + start + wait; returns exit code and the log text of one stream. */
export async function runToExit(s: Suite, id: string, o: SpecFields): Promise<{ code: number; out: string; err: string }> {
  await s.create(id, o);
  await s.rt.start(id);
  const exit = await waitStopped(s.rt, id);
  const recs = readJsonLog(s.logPath(id));
  return {
    code: exit.exitCode,
    out: recs.filter((r) => r.stream === 'stdout').map((r) => r.log).join(''),
    err: recs.filter((r) => r.stream === 'stderr').map((r) => r.log).join(''),
  };
}

/** Host processes whose command line mentions the path (monitor, lxc-start, awk copiers). */
export function processesMentioning(path: string): number[] {
  const out: number[] = [];
  for (const p of readdirSync('/proc')) {
    if (!/^\d+$/.test(p) || Number(p) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(path)) out.push(Number(p));
    } catch {
      // gone
    }
  }
  return out;
}

export function mountsMentioning(path: string): string[] {
  return readFileSync('/proc/self/mountinfo', 'utf8').split('\n').filter((l) => l.includes(path));
}

export const sh = (script: string) => ({ Entrypoint: ['/bin/sh', '-c'], Cmd: [script] });

/** Waits until the container's log has a line containing text (e.g. "ready" after a trap is set). */
export async function waitLog(s: Suite, id: string, text: string, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!readJsonLog(s.logPath(id)).some((r) => r.log.includes(text))) {
    if (Date.now() > until) throw new Error(`container ${id}: no "${text}" in its log after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
