// THE integration-test harness: start a real isulad on its own temporary root and talk to it
// with the real isula CLI.
//
//   import { startDaemon, runIsula } from '../helpers/daemon.ts';
//   const d = await startDaemon();                 // opts: { config, flags, env, logLevel }
//   const r = await d.isula(['version']);          // { code, signal, stdout, stderr }
//   const out = await d.isulaOk(['ps', '-a']);     // stdout, or throws with stderr + daemon log
//   await d.isula(['run', '--rm', 'busybox', 'true'], { input: 'x', env: {...}, timeoutMs: 60_000 });
//   await d.kill9(); await d.restart();            // crash + boot on the same root
//   await d.stop();                                // SIGTERM, wait, unmount leftovers, rm temp dirs
//
// Each daemon gets a fresh temp dir holding root/ (graph), state/, isulad.sock, isulad.pid,
// daemon.json (with a unique cgroup-parent per daemon, `d.cgroupParent`) and log/isulad.log
// (`d.log()` returns it: print it when a test fails). Binary: $ISULA_BIN (the single executable,
// run as `isula` through spawn's argv0), else `<this node> $ISULA_BUNDLE|dist/isula.cjs`.
// The harness only ever signals processes it spawned itself, by pid.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmdirSync, type Dirent } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  input?: string | Buffer;
  env?: Record<string, string | undefined>;
  timeoutMs?: number;
}

export interface StartOptions {
  /** extra daemon.json keys (override the harness's) */
  config?: Record<string, unknown>;
  /** extra isulad command-line flags */
  flags?: string[];
  env?: Record<string, string | undefined>;
  /** wait for the socket (default true); false returns as soon as the process is spawned */
  waitReady?: boolean;
  /**
   * run the daemon in this network namespace (a pinned netns file the test made): its bridges,
   * iptables rules and sysctls stay there. nsenter execs the engine in place (same pid).
   */
  netns?: string;
}

export interface Daemon {
  /** the temp dir holding everything below */
  dir: string;
  root: string;
  state: string;
  sock: string;
  /** unix://<sock> */
  host: string;
  pidfile: string;
  configFile: string;
  logPath: string;
  cgroupParent: string;
  /** pid of the running daemon (undefined once it exited) */
  readonly pid: number | undefined;
  /** isula against this daemon (-H is added in front) */
  isula(args: string[], opts?: RunOptions): Promise<RunResult>;
  /** isula that must exit 0: resolves to its stdout, else throws with stderr and the daemon log tail */
  isulaOk(args: string[], opts?: RunOptions): Promise<string>;
  /** SIGTERM, wait for exit; keeps the temp dir (inspect pidfile/socket afterwards) */
  terminate(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGKILL, wait for exit; keeps the temp dir */
  kill9(): Promise<void>;
  /** terminate if running, then boot again on the same dir and config */
  restart(opts?: Pick<StartOptions, 'flags' | 'env'>): Promise<void>;
  /** terminate if running, unmount anything left under dir, remove dir; idempotent */
  stop(): Promise<void>;
  /** the daemon's log file plus anything it wrote to stdout/stderr */
  log(): string;
}

export interface BinarySpec {
  cmd: string;
  /** arguments that select the face before the user's arguments */
  prefix: string[];
  /** argv0 for the face (SEA binary) */
  argv0?: string;
}

/** How to run one face of the engine. */
export function binaryFor(face: 'isulad' | 'isula'): BinarySpec {
  const bin = process.env['ISULA_BIN'];
  if (bin) return { cmd: bin, prefix: [], argv0: face };
  const bundle = process.env['ISULA_BUNDLE'] ?? join(REPO, 'dist', 'isula.cjs');
  if (!existsSync(bundle)) throw new Error(`no engine to test: set ISULA_BIN or build ${bundle} (node build.mjs bundle)`);
  return { cmd: process.execPath, prefix: [bundle, face] };
}

const live = new Set<ChildProcess>();
let exitHookInstalled = false;
function track(child: ChildProcess): void {
  live.add(child);
  child.once('exit', () => live.delete(child));
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    // A crashed test must not leave its daemons running: SIGTERM the ones we started.
    process.once('exit', () => {
      for (const c of live) if (c.pid !== undefined) try { process.kill(c.pid, 'SIGTERM'); } catch { /* gone */ }
    });
  }
}

/** Runs isula (no -H added): for tests of flag errors, missing daemons, env. */
export function runIsula(args: string[], opts: RunOptions = {}): Promise<RunResult> {
  return runFace('isula', args, opts);
}

/** Runs isulad to completion (e.g. --version, or a start that must fail). */
export function runIsulad(args: string[], opts: RunOptions = {}): Promise<RunResult> {
  return runFace('isulad', args, opts);
}

function runFace(face: 'isula' | 'isulad', args: string[], opts: RunOptions): Promise<RunResult> {
  const b = binaryFor(face);
  return new Promise((resolvePromise, reject) => {
    const child = spawn(b.cmd, [...b.prefix, ...args], {
      argv0: b.argv0,
      env: cleanEnv(opts.env),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    track(child);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    const timeoutMs = opts.timeoutMs ?? 60_000;
    const timer = setTimeout(() => {
      if (child.pid !== undefined) try { process.kill(child.pid, 'SIGKILL'); } catch { /* gone */ }
      reject(new Error(`${face} ${args.join(' ')}: no exit after ${timeoutMs} ms\nstdout: ${Buffer.concat(out)}\nstderr: ${Buffer.concat(err)}`));
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code, signal, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() });
    });
    child.stdin.on('error', () => undefined); // the command may exit without reading its input
    child.stdin.end(opts.input ?? '');
  });
}

function cleanEnv(extra?: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  // The test runner's own settings must not leak into the engine under test.
  delete env['NODE_OPTIONS'];
  delete env['NODE_TEST_CONTEXT'];
  delete env['ISULAD_HOST'];
  for (const [k, v] of Object.entries(extra ?? {})) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

export async function startDaemon(opts: StartOptions = {}): Promise<Daemon> {
  const dir = await mkdtemp(join(tmpdir(), 'isulad-test-'));
  const id = dir.slice(dir.lastIndexOf('-') + 1);
  const paths = {
    dir,
    root: join(dir, 'root'),
    state: join(dir, 'state'),
    sock: join(dir, 'isulad.sock'),
    pidfile: join(dir, 'isulad.pid'),
    configFile: join(dir, 'daemon.json'),
    logPath: join(dir, 'log', 'isulad.log'),
    cgroupParent: `isulad-test-${id}`,
  };
  const config = {
    hosts: [`unix://${paths.sock}`],
    graph: paths.root,
    state: paths.state,
    pidfile: paths.pidfile,
    'cgroup-parent': paths.cgroupParent,
    'log-driver': 'file',
    'log-level': 'DEBUG',
    'log-opts': { 'log-path': join(dir, 'log'), 'max-size': '4MB', 'max-file': '2' },
    // no default bridge network: suites that test networking ask for it (and clean its bridge up)
    bridge: 'none',
    ...opts.config,
  };
  await writeFile(paths.configFile, JSON.stringify(config, null, 2));

  let child: ChildProcess | undefined;
  let exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }> = Promise.resolve({ code: null, signal: null });
  let output = '';
  let stopped = false;

  const spawnDaemon = async (flags: string[], env?: Record<string, string | undefined>, waitReady = true) => {
    const b = binaryFor('isulad');
    const args = [...b.prefix, '--config-file', paths.configFile, ...flags];
    // in a netns the engine's argv[0] is its path (nsenter execs it): its basename must name the face
    const c = spawn(opts.netns ? 'nsenter' : b.cmd, opts.netns ? [`--net=${opts.netns}`, b.cmd, ...args] : args, {
      ...(opts.netns ? {} : { argv0: b.argv0 }),
      env: cleanEnv(env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    track(c);
    child = c;
    c.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    c.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    exited = new Promise((r) => c.once('exit', (code, signal) => r({ code, signal })));
    if (waitReady) await waitForSocket(paths.sock, exited, () => daemon.log());
  };

  const terminate = async () => {
    const c = child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return exited;
    if (c.pid !== undefined) process.kill(c.pid, 'SIGTERM');
    return exited;
  };

  const daemon: Daemon = {
    ...paths,
    host: `unix://${paths.sock}`,
    get pid() {
      return child && child.exitCode === null && child.signalCode === null ? child.pid : undefined;
    },
    isula: (args, o) => runIsula(['-H', `unix://${paths.sock}`, ...args], o),
    async isulaOk(args, o) {
      const r = await runIsula(['-H', `unix://${paths.sock}`, ...args], o);
      if (r.code !== 0) {
        const tail = daemon.log().split('\n').slice(-40).join('\n');
        throw new Error(`isula ${args.join(' ')}: exit ${r.code ?? r.signal}\nstdout: ${r.stdout}\nstderr: ${r.stderr}\n--- daemon log tail ---\n${tail}`);
      }
      return r.stdout;
    },
    terminate,
    async kill9() {
      const c = child;
      if (!c || c.exitCode !== null || c.signalCode !== null) return;
      if (c.pid !== undefined) process.kill(c.pid, 'SIGKILL');
      await exited;
    },
    async restart(o = {}) {
      await terminate();
      await spawnDaemon([...(opts.flags ?? []), ...(o.flags ?? [])], { ...opts.env, ...o.env });
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await terminate();
      unmountUnder(dir);
      removeEmptyCgroups(paths.cgroupParent);
      await rm(dir, { recursive: true, force: true });
      // LXC's lock dir for this daemon's lxcpath (liblxc makes it; nothing else removes it)
      await rm(join('/run/lxc/lock', dir), { recursive: true, force: true });
    },
    log() {
      let text = '';
      try {
        text = readFileSync(paths.logPath, 'utf8');
      } catch { /* not written yet */ }
      return `${text}${output ? `\n--- daemon stdout/stderr ---\n${output}` : ''}`;
    },
  };
  try {
    await spawnDaemon(opts.flags ?? [], opts.env, opts.waitReady ?? true);
  } catch (err) {
    await daemon.stop();
    throw err;
  }
  return daemon;
}

/** Resolves once something accepts connections on `sock`; rejects if the daemon exits first. */
async function waitForSocket(
  sock: string,
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>,
  log: () => string,
  limitMs = 60_000,
): Promise<void> {
  let gone: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  void exited.then((e) => (gone = e));
  const deadline = Date.now() + limitMs;
  while (Date.now() < deadline) {
    if (gone) throw new Error(`isulad exited (${gone.code ?? gone.signal}) before listening\n${log()}`);
    if (existsSync(sock) && (await canConnect(sock))) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`isulad did not listen on ${sock} within ${limitMs} ms\n${log()}`);
}

function canConnect(path: string): Promise<boolean> {
  return new Promise((r) => {
    const s = connect(path);
    s.once('connect', () => {
      s.destroy();
      r(true);
    });
    s.once('error', () => r(false));
  });
}

/** Unmounts everything mounted at or below `dir`, deepest first (lazy, so busy mounts go too). */
export function unmountUnder(dir: string): void {
  let text: string;
  try {
    text = readFileSync('/proc/self/mountinfo', 'utf8');
  } catch {
    return;
  }
  const points = text
    .split('\n')
    .map((l) => l.split(' ')[4])
    .filter((p): p is string => p !== undefined)
    .map((p) => p.replace(/\\040/g, ' '))
    .filter((p) => p === dir || p.startsWith(`${dir}/`))
    .sort((a, b) => b.length - a.length);
  for (const p of points) spawnSync('umount', ['-l', p], { stdio: 'ignore' });
}

/**
 * Removes the (empty) cgroup directories of one daemon in every hierarchy, deepest first: the
 * parent itself and its siblings named `<parent>.<suffix>` (the lcr monitors' `<parent>.monitor`).
 * Only rmdir: a cgroup that still holds a process stays, and nothing is killed.
 */
export function removeEmptyCgroups(parent: string, base = '/sys/fs/cgroup'): void {
  if (!parent || parent.includes('/') || parent.includes('..')) return;
  const rmTree = (p: string) => {
    let entries: Dirent[];
    try {
      entries = readdirSync(p, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) if (e.isDirectory()) rmTree(join(p, e.name));
    try { rmdirSync(p); } catch { /* busy or not ours to remove */ }
  };
  const ours = (name: string) => name === parent || name.startsWith(`${parent}.`);
  const dirs = (p: string): Dirent[] => {
    try {
      return readdirSync(p, { withFileTypes: true }).filter((e) => e.isDirectory());
    } catch {
      return [];
    }
  };
  // cgroup v2 puts them straight under base; v1 and the hybrid's unified/ one level down
  for (const top of [base, ...dirs(base).map((h) => join(base, h.name))]) {
    for (const e of dirs(top)) if (ours(e.name)) rmTree(join(top, e.name));
  }
}

/** The daemon's pidfile content, or undefined when absent. */
export async function readPidfile(d: Daemon): Promise<string | undefined> {
  try {
    return await readFile(d.pidfile, 'utf8');
  } catch {
    return undefined;
  }
}
