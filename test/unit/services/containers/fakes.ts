// Fakes for unit tests of the container service logic (no root, no LXC): an in-memory store that
// freezes values like the real one, a layer store that records calls, and a Runtime whose exits
// the test triggers. Integration tests use the real parts instead.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { mkdtemp, rm, appendFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { ContainerService } from '../../../../src/services/containers/service.ts';
import type { ContainerEvent, SpecInput } from '../../../../src/services/containers/types.ts';
import type { ImageRecord } from '../../../../src/image/types.ts';
import type { CreateOptions, ExitInfo, Runtime, RuntimeStatus, StartResult, StdioPaths, StopOptions } from '../../../../src/runtime/runtime.ts';
import type { RecordKind, StateStore, StoreOp } from '../../../../src/store/types.ts';
import type { ContainerLayers } from '../../../../src/storage/types.ts';
import { conflict, failedPrecondition, invalidArgument, notFound } from '../../../../src/util/errors.ts';
import { RECORD_KINDS } from '../../../../src/store/kinds.ts';
import { nowRfc3339Nano } from '../../../../src/services/containers/time.ts';
import { defaults } from '../../../../src/spec/index.ts';
import { setLogLevel } from '../../../../src/util/log.ts';

setLogLevel('WARN');

function deepFreeze<T>(v: T): T {
  if (v && typeof v === 'object') {
    for (const x of Object.values(v)) deepFreeze(x);
    Object.freeze(v);
  }
  return v;
}

/** An in-memory StateStore, held to the store contract (memstore-contract.test.ts). */
export class MemStore implements StateStore {
  private readonly maps = new Map<RecordKind, Map<string, unknown>>();
  private closed = false;
  puts = 0;
  /** what the real store refuses: a closed store, an unknown kind, an empty id, a value CBOR cannot hold */
  private check(ops: StoreOp[]): void {
    if (this.closed) throw failedPrecondition('store: closed');
    for (const op of ops) {
      if (!(RECORD_KINDS as string[]).includes(op.kind)) throw invalidArgument(`store: unknown record kind ${JSON.stringify(op.kind)}`);
      if (typeof op.id !== 'string' || op.id.length === 0) throw invalidArgument(`store: ${op.kind} id must be a non-empty string`);
      if (op.op === 'put') {
        try {
          structuredClone(op.value);
        } catch {
          throw invalidArgument(`store: ${op.kind} ${op.id}: value cannot be stored`);
        }
      }
    }
  }
  private m(kind: RecordKind): Map<string, unknown> {
    let m = this.maps.get(kind);
    if (!m) this.maps.set(kind, (m = new Map()));
    return m;
  }
  get<T>(kind: RecordKind, id: string): T | undefined {
    return this.m(kind).get(id) as T | undefined;
  }
  list<T>(kind: RecordKind): T[] {
    return [...this.m(kind).values()] as T[];
  }
  ids(kind: RecordKind): string[] {
    return [...this.m(kind).keys()];
  }
  async put(kind: RecordKind, id: string, value: unknown): Promise<void> {
    this.check([{ op: 'put', kind, id, value }]);
    this.puts++;
    this.m(kind).set(id, deepFreeze(structuredClone(value)));
  }
  async delete(kind: RecordKind, id: string): Promise<void> {
    this.check([{ op: 'delete', kind, id }]);
    this.m(kind).delete(id);
  }
  async batch(ops: StoreOp[]): Promise<void> {
    this.check(ops); // all or nothing
    for (const op of ops) {
      if (op.op === 'put') await this.put(op.kind, op.id, op.value);
      else await this.delete(op.kind, op.id);
    }
  }
  async close(): Promise<void> {
    this.closed = true;
  }
}

/** One real directory per test process for the fake rootfs mounts (start writes /etc/mtab there); removed at exit. */
let fakeRoot: string | undefined;
function fakeRootDir(): string {
  if (fakeRoot === undefined) {
    const dir = mkdtempSync(join(tmpdir(), 'isulad-unit-layers-'));
    fakeRoot = dir;
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  return fakeRoot;
}

/** Where FakeLayers mounts a container's rootfs (an empty directory). */
export const fakeMerged = (id: string): string => join(fakeRootDir(), id, 'merged');

export class FakeLayers implements ContainerLayers {
  readonly created = new Set<string>();
  readonly mounted = new Set<string>();
  failCreate = false;
  async createContainerLayer(id: string): Promise<void> {
    if (this.failCreate) throw new Error('disk full');
    this.created.add(id);
  }
  async mountContainerLayer(id: string): Promise<string> {
    if (!this.created.has(id)) throw notFound(`layer ${id}`);
    this.mounted.add(id);
    const merged = fakeMerged(id);
    mkdirSync(merged, { recursive: true });
    return merged;
  }
  async unmountContainerLayer(id: string): Promise<void> {
    this.mounted.delete(id);
  }
  async removeContainerLayer(id: string): Promise<void> {
    if (this.mounted.has(id)) throw conflict('mounted');
    if (!this.created.delete(id)) throw notFound(`layer ${id}`);
    rmSync(join(fakeRootDir(), id), { recursive: true, force: true });
  }
  containerLayerPaths(id: string) {
    if (!this.created.has(id)) return undefined;
    return { lowerDir: '/fake/lower', upperDir: `/fake/${id}/diff`, workDir: `/fake/${id}/work`, mergedDir: `/fake/${id}/merged` };
  }
  async containerChanges(id: string): Promise<Readable> {
    if (!this.created.has(id)) throw notFound(`layer ${id}`);
    return Readable.from([]);
  }
}

interface FakeContainer {
  opts: CreateOptions;
  state: 'created' | 'running' | 'paused' | 'stopped';
  pid: number;
  exit?: ExitInfo;
  signals: number[];
}

export class FakeRuntime implements Runtime {
  readonly name = 'lcr';
  readonly containers = new Map<string, FakeContainer>();
  private listeners: Array<(id: string, exit: ExitInfo) => void> = [];
  private nextPid = 1000;
  failCreate = false;
  /** output each start writes to the json-file log */
  startOutput: string[] = [];
  /** exit code a start produces at once (a short-lived container), or undefined to keep running */
  exitOnStart: number | undefined;
  statusOverride = new Map<string, RuntimeStatus>();

  async create(opts: CreateOptions): Promise<void> {
    if (this.failCreate) throw new Error('lxc config write failed');
    if (this.containers.has(opts.id)) throw conflict('exists');
    this.containers.set(opts.id, { opts, state: 'created', pid: 0, signals: [] });
  }
  private c(id: string): FakeContainer {
    const c = this.containers.get(id);
    if (!c) throw notFound(`runtime: ${id}`);
    return c;
  }
  failStart = false;
  async start(id: string): Promise<StartResult> {
    const c = this.c(id);
    if (this.failStart) throw failedPrecondition(`lxc-start failed: exec format error`);
    c.state = 'running';
    c.pid = this.nextPid++;
    c.exit = undefined;
    for (const line of this.startOutput) {
      await appendFile(c.opts.logPath, JSON.stringify({ log: line + '\n', stream: 'stdout', time: nowRfc3339Nano() }) + '\n');
    }
    if (this.exitOnStart !== undefined) {
      const code = this.exitOnStart;
      setTimeout(() => this.exit(id, code), 5);
    }
    return { pid: c.pid, startTime: String(c.pid * 7) };
  }
  /** The monitor reports an exit. */
  exit(id: string, code: number, extra: { oomKilled?: boolean } = {}): ExitInfo {
    const c = this.c(id);
    const exit = { exitCode: code, finishedAt: nowRfc3339Nano(), ...extra };
    c.state = 'stopped';
    c.exit = exit;
    for (const l of this.listeners) l(id, exit);
    return exit;
  }
  async kill(id: string, signal: number): Promise<void> {
    const c = this.c(id);
    if (c.state !== 'running' && c.state !== 'paused') throw failedPrecondition('not running');
    c.signals.push(signal);
    if (signal === 9 && c.state === 'running') setTimeout(() => this.exit(id, 137), 1);
  }
  /** make stop() fail as a runtime that lost track of the container does */
  stopLosesTrack = false;
  async stop(id: string, opts: StopOptions): Promise<ExitInfo> {
    const c = this.c(id);
    if (this.stopLosesTrack) {
      c.state = 'created';
      throw failedPrecondition(`container "${id}" is not running`);
    }
    if (c.state === 'stopped' && c.exit) return c.exit;
    c.signals.push(opts.signal);
    return this.exit(id, 128 + opts.signal);
  }
  async pause(id: string): Promise<void> {
    this.c(id).state = 'paused';
  }
  async resume(id: string): Promise<void> {
    this.c(id).state = 'running';
  }
  async status(id: string): Promise<RuntimeStatus> {
    const o = this.statusOverride.get(id);
    if (o) return o;
    const c = this.containers.get(id);
    if (!c) return { status: 'unknown' };
    if (c.state === 'running' || c.state === 'paused') return { status: c.state, pid: c.pid, startTime: String(c.pid * 7) };
    if (c.state === 'stopped' && c.exit) return { status: 'stopped', exit: c.exit };
    return { status: 'created' };
  }
  stdio(id: string): StdioPaths {
    const c = this.c(id);
    return { logPath: c.opts.logPath };
  }
  onExit(listener: (id: string, exit: ExitInfo) => void): void {
    this.listeners.push(listener);
  }
  async ids(): Promise<string[]> {
    return [...this.containers.keys()];
  }

  async delete(id: string): Promise<void> {
    const c = this.c(id);
    if (c.state === 'running') throw conflict('running');
    this.containers.delete(id);
  }
  async close(): Promise<void> {
    this.listeners = [];
  }
}

export const BUSYBOX: ImageRecord = {
  id: 'a'.repeat(64),
  names: ['busybox:latest'],
  digests: [],
  topLayer: 'sha256:' + 'b'.repeat(64),
  layers: ['sha256:' + 'b'.repeat(64)],
  size: 1000,
  created: '2026-01-01T00:00:00Z',
  loaded: '2026-01-01T00:00:00Z',
  config: {
    architecture: 'amd64',
    os: 'linux',
    config: { Env: ['PATH=/bin', 'A=image'], Cmd: ['sh'], Labels: { from: 'image' } },
    rootfs: { type: 'layers', diff_ids: [] },
  },
};

export interface Env {
  svc: ContainerService;
  store: MemStore;
  layers: FakeLayers;
  runtime: FakeRuntime;
  events: ContainerEvent[];
  specs: SpecInput[];
  dir: string;
  /** a second service over the same store/runtime, as after a daemon restart */
  restartDaemon(): Promise<ContainerService>;
  cleanup(): Promise<void>;
}

export async function makeEnv(opts: { pullImage?: (ref: string) => Promise<ImageRecord> } = {}): Promise<Env> {
  const dir = await mkdtemp(join(tmpdir(), 'svc-containers-'));
  const store = new MemStore();
  const layers = new FakeLayers();
  const runtime = new FakeRuntime();
  const events: ContainerEvent[] = [];
  const specs: SpecInput[] = [];
  const make = () =>
    new ContainerService({
      store,
      images: { resolve: (ref) => (ref === 'busybox' || ref === 'busybox:latest' || ref === BUSYBOX.id ? BUSYBOX : undefined) },
      layers,
      runtimes: new Map([['lcr', runtime]]),
      defaultRuntime: 'lcr',
      events: { publish: (e) => events.push(e) },
      buildSpec: async (input) => {
        specs.push(input);
        const spec = defaults();
        spec.root.path = input.rootfs;
        return spec;
      },
      containersDir: dir,
      ...(opts.pullImage ? { pullImage: opts.pullImage } : {}),
    });
  let svc = make();
  await svc.start();
  const env: Env = {
    get svc() {
      return svc;
    },
    store,
    layers,
    runtime,
    events,
    specs,
    dir,
    async restartDaemon() {
      await svc.close();
      await runtime.close();
      svc = make();
      return svc;
    },
    async cleanup() {
      await svc.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
  return env;
}

export function actions(env: Env, id: string): string[] {
  return env.events.filter((e) => e.id === id).map((e) => (e.action === 'die' ? `die:${e.attributes['exitCode']}` : e.action));
}

export async function until(pred: () => boolean, what: string, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
