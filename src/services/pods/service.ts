// The pod service: the use-cases behind runtime.v1.RuntimeService. A pod sandbox is a pause
// container plus its network; CRI containers are ordinary engine containers that join the
// sandbox's namespaces. Sandboxes are store records (kind 'sandbox', id = the pause container's
// id); a CRI container's own facts travel in its engine record's LABEL_CRI label, so both survive
// a daemon kill -9 with the containers they describe. Handlers in src/api/cri only translate.
import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, readFile, realpath, rm, stat, writeFile } from 'node:fs/promises';
import { hostname as osHostname } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { Writable } from 'node:stream';
import type { ExecProcess } from '../../runtime/runtime.ts';
import type { StateStore } from '../../store/types.ts';
import type { ImageRecord } from '../../image/types.ts';
import { deadline, errnoCode, failedPrecondition, invalidArgument, isNotFound, messageOf, notFound } from '../../util/errors.ts';
import { log } from '../../util/log.ts';
import { KeyedMutex } from '../../util/keyed-mutex.ts';
import type { ContainerService } from '../containers/service.ts';
import type { ContainerRecord, CreateRequest } from '../containers/types.ts';
import { ZERO_TIME } from '../containers/types.ts';
import type { UpdatePatch } from '../containers/update.ts';
import type { ContainerStatsSample } from '../containers/stats.ts';
import type { EventBus } from '../../events/bus.ts';
import {
  containerRequest, matchesLabels, namespaceOptions, NS_NODE, resolvConf, rfc3339ToNs, sandboxName, sandboxRequest,
  validatePodMetadata,
} from './translate.ts';
import type { ContainerConfigIn, CriContainerMeta, PodConfigIn, ResourcesIn, SandboxRecord } from './types.ts';
import { LABEL_CRI } from './types.ts';
import { cniStatus, type PodNetwork } from './network.ts';
import { followCriLog, type Following, type OutputChunk } from './streams.ts';

export interface RuntimeCondition {
  type: string;
  status: boolean;
  reason: string;
  message: string;
}

export interface PodServiceConfig {
  /** engine version (build info) */
  version: string;
  cniConfDir: string;
  systemdCgroup: boolean;
  /** daemon.json cri-runtimes: CRI runtime handler → engine runtime name */
  criRuntimes?: Record<string, string>;
  /** whether the engine has a usable runtime of this name */
  knownRuntime?: (name: string) => boolean;
}

export interface PodServiceDeps {
  store: StateStore;
  containers: ContainerService;
  network: PodNetwork;
  /** the pause image's name, made available (embedded or pulled) */
  sandboxImage(): Promise<string>;
  /** where the pods' resolv.conf and hostname files live (<graph>/cri/sandboxes) */
  sandboxesDir: string;
  /** the daemon's own oom_score_adj (a container's may not be lower) */
  hostOomScoreAdj(): Promise<number>;
  /** the engine's event bus (GetContainerEvents) */
  events?: Pick<EventBus, 'subscribe'>;
}

/** CONTAINER_CREATED_EVENT = 0, STARTED = 1, STOPPED = 2, DELETED = 3 */
export type CriEventType = 0 | 1 | 2 | 3;

/** One GetContainerEvents message: a CRI container's (or a sandbox's) life step and its pod as now. */
export interface CriContainerEvent {
  /** the container's id, or the sandbox's for its own (pause container) events */
  containerId: string;
  type: CriEventType;
  /** ns since the epoch */
  createdAt: bigint;
  sandbox: SandboxView | undefined;
  containers: CriContainerView[];
}

/** A pod's figures: its pause container and each of its CRI containers, sampled together. */
export interface SandboxStatsView {
  sandbox: SandboxView;
  pause: ContainerStatsSample | undefined;
  containers: Array<{ view: CriContainerView; sample: ContainerStatsSample | undefined }>;
}

/** engine container actions → CRI event types */
const CRI_EVENTS: Readonly<Record<string, CriEventType>> = { create: 0, start: 1, die: 2, destroy: 3 };

/** CONTAINER_CREATED = 0, RUNNING = 1, EXITED = 2, UNKNOWN = 3 */
export type CriContainerState = 0 | 1 | 2 | 3;

export interface CriContainerView {
  id: string;
  sandboxId: string;
  meta: CriContainerMeta;
  record: ContainerRecord;
  state: CriContainerState;
  createdNs: string;
  startedNs: string;
  finishedNs: string;
  exitCode: number;
  reason: string;
  message: string;
}

export interface SandboxView {
  record: SandboxRecord;
  ready: boolean;
}

export interface ExecSyncResult {
  stdout: Buffer;
  stderr: Buffer;
  exitCode: number;
}

/** ExecSync output is capped (a runaway command must not exhaust the daemon). */
const EXEC_SYNC_MAX = 16 << 20;

export function criMetaOf(rec: ContainerRecord): CriContainerMeta | undefined {
  const raw = rec.Config.Labels[LABEL_CRI];
  if (raw === undefined) return undefined;
  try {
    return JSON.parse(raw) as CriContainerMeta;
  } catch {
    return undefined;
  }
}

function containerState(rec: ContainerRecord): CriContainerState {
  if (rec.State.Running) return 1;
  if (rec.State.StartedAt === ZERO_TIME && rec.State.FinishedAt === ZERO_TIME) return 0;
  return 2;
}

export class PodService {
  readonly #cfg: PodServiceConfig;
  readonly #deps: PodServiceDeps | undefined;
  #podCidr = '';
  /** per-sandbox serialisation of run/stop/remove */
  readonly #locks = new KeyedMutex();

  constructor(cfg: PodServiceConfig, deps?: PodServiceDeps) {
    this.#cfg = cfg;
    this.#deps = deps;
  }

  get #d(): PodServiceDeps {
    if (!this.#deps) throw failedPrecondition('the pod service is not wired');
    return this.#deps;
  }

  #withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
    return this.#locks.run(key, fn);
  }

  version(): { name: string; version: string } {
    return { name: 'iSulad', version: this.#cfg.version };
  }

  cgroupDriver(): 'systemd' | 'cgroupfs' {
    return this.#cfg.systemdCgroup ? 'systemd' : 'cgroupfs';
  }

  /**
   * The engine runtime of a CRI runtime handler: daemon.json `cri-runtimes` maps handlers to
   * runtimes (as iSulad's); a handler not in the map names a runtime itself ("runc", "lcr");
   * '' is the daemon's default runtime. An unknown runtime fails RunPodSandbox.
   */
  runtimeFor(handler: string): string {
    if (handler === '') return '';
    const mapped = this.#cfg.criRuntimes?.[handler] ?? handler;
    if (this.#cfg.knownRuntime && !this.#cfg.knownRuntime(mapped)) {
      throw invalidArgument(`RunPodSandbox: runtime handler "${handler}"${mapped !== handler ? ` (runtime "${mapped}")` : ''} is not configured`);
    }
    return mapped;
  }

  updateRuntimeConfig(c: { podCidr: string }): void {
    if (c.podCidr !== '') this.#podCidr = c.podCidr;
  }

  /** RuntimeReady always (the daemon answers); NetworkReady from the network layer. */
  async status(): Promise<{ conditions: RuntimeCondition[]; info: Record<string, unknown> }> {
    const runtime: RuntimeCondition = { type: 'RuntimeReady', status: true, reason: '', message: '' };
    const net = this.#deps ? await this.#deps.network.status() : await cniStatus(this.#cfg.cniConfDir);
    const network: RuntimeCondition = { type: 'NetworkReady', status: net.ready, reason: net.reason, message: net.message };
    return { conditions: [runtime, network], info: { cniConfDir: this.#cfg.cniConfDir, podCidr: this.#podCidr, cgroupDriver: this.cgroupDriver() } };
  }

  // ---------------------------------------------------------------------------------------------
  // sandboxes

  /** A sandbox by full id or unique id prefix; throws not-found. */
  findSandbox(ref: string): SandboxRecord {
    if (ref === '') throw invalidArgument('pod sandbox id is empty');
    const exact = this.#d.store.get<SandboxRecord>('sandbox', ref);
    if (exact) return exact;
    const hits = this.#d.store.list<SandboxRecord>('sandbox').filter((s) => s.id.startsWith(ref) || s.name === ref);
    if (hits.length === 1) return hits[0] as SandboxRecord;
    if (hits.length > 1) throw invalidArgument(`pod sandbox id prefix ${ref} is ambiguous`);
    throw notFound(`pod sandbox ${ref} not found`);
  }

  #pauseOf(sb: SandboxRecord): ContainerRecord | undefined {
    try {
      return this.#d.containers.get(sb.id);
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  sandboxView(sb: SandboxRecord): SandboxView {
    const pause = this.#pauseOf(sb);
    return { record: sb, ready: sb.state === 'ready' && pause !== undefined && pause.State.Running };
  }

  /**
   * The pause container and the pod's network come up side by side. Network: the netns (lo up),
   * then the CNI ADD. Pause: the pod's files and the pause image, then its create (the netns is
   * only a path until the start) and its record, then, once the netns exists, its start (the
   * pause program never looks at the network; the pod is answered when both sides are done). The
   * sandbox record is committed before the start as not ready, then as ready with the pod IP, so
   * a daemon killed in between leaves a NotReady pod for the kubelet to stop, never a running
   * pause container without a record. A failure on either side waits for the other, then undoes
   * all that was made.
   */
  async runSandbox(cfg: PodConfigIn, runtimeHandler: string): Promise<string> {
    const md = validatePodMetadata(cfg.metadata);
    const name = sandboxName(md);
    const runtime = this.runtimeFor(runtimeHandler);
    return this.#withLock(`name:${name}`, async () => {
      const d = this.#d;
      const tr = podTrace(name);
      const ns = namespaceOptions(cfg.linux?.security_context?.namespace_options);
      const hostNet = ns.network === NS_NODE;
      const key = randomBytes(16).toString('hex');
      const dir = join(d.sandboxesDir, key);
      const hostname = hostNet ? osHostname() : cfg.hostname || md.name;
      const netnsPath = hostNet ? '' : d.network.netnsPath(key);
      // undo steps by kind, run in this order whatever order the parallel steps finished in
      const made = { dir: false, net: false, pause: '', record: '' };
      const undo = async () => {
        const steps: Array<[boolean, () => Promise<unknown>]> = [
          [made.pause !== '', () => d.containers.remove(made.pause, { force: true })],
          [made.record !== '', () => d.store.delete('sandbox', made.record)],
          [made.net, () => d.network.tearDown({ key, metadata: md, netnsPath, portMappings: cfg.port_mappings })],
          [made.dir, () => rm(dir, { recursive: true, force: true })],
        ];
        for (const [needed, u] of steps) {
          if (needed) await u().catch((e: unknown) => log.with({ pod: name }).warn(`undo after a failed RunPodSandbox: ${messageOf(e)}`));
        }
      };
      try {
        made.net = !hostNet; // before the calls: a half-made netns or attachment is removed too
        const netnsMade = hostNet ? Promise.resolve('') : d.network.createNetns(key).then((p) => (tr('netns'), p));
        const networking = hostNet
          ? Promise.resolve({ ip: '', additionalIps: [] as string[] })
          : netnsMade.then(async (p) => {
              const r = await d.network.attach({ key, metadata: md, portMappings: cfg.port_mappings, hostname, netnsPath: p });
              tr('cni');
              return r;
            });
        const pausing = (async () => {
          const [image] = await settleAll([
            d.sandboxImage(),
            (async () => {
              await mkdir(dir, { recursive: true, mode: 0o755 });
              made.dir = true;
              await writeFile(join(dir, 'hostname'), `${hostname}\n`);
              const resolv = resolvConf(cfg.dns_config);
              if (resolv !== undefined) await writeFile(join(dir, 'resolv.conf'), resolv);
              else await copyFile('/etc/resolv.conf', join(dir, 'resolv.conf')).catch(() => writeFile(join(dir, 'resolv.conf'), ''));
              tr('files');
            })(),
          ]);
          const meta: CriContainerMeta = { kind: 'sandbox', sandboxId: '', name: md.name, attempt: md.attempt, labels: {}, annotations: {}, logPath: '', image, mounts: [] };
          const req = sandboxRequest(cfg, { name, image, netnsPath, hostOomAdj: await d.hostOomScoreAdj(), runtime, meta });
          await inlineSeccompProfile(req);
          const pause = await d.containers.create(req);
          made.pause = pause.Id;
          tr('create');
          const sb: SandboxRecord = {
            id: pause.Id,
            name,
            metadata: md,
            labels: { ...cfg.labels },
            annotations: { ...cfg.annotations },
            createdAt: rfc3339ToNs(pause.Created),
            state: hostNet ? 'ready' : 'notready',
            hostname,
            logDirectory: cfg.log_directory,
            cgroupParent: cfg.linux?.cgroup_parent ?? '',
            netMode: ns.network,
            pidMode: ns.pid,
            ipcMode: ns.ipc,
            dir,
            netnsPath,
            ip: '',
            additionalIps: [],
            portMappings: cfg.port_mappings.map((p) => ({ ...p })),
            runtimeHandler,
            runtime,
            privileged: cfg.linux?.security_context?.privileged ?? false,
            sysctls: { ...(cfg.linux?.sysctls ?? {}) },
          };
          await d.store.put('sandbox', sb.id, sb);
          made.record = sb.id;
          tr('record');
          await netnsMade; // the pause container joins it at its start
          await d.containers.startContainer(pause.Id);
          tr('start');
          return sb;
        })();
        const [net, sb] = await settleAll([networking, pausing]);
        if (!hostNet) await d.store.put('sandbox', sb.id, { ...sb, state: 'ready', ip: net.ip, additionalIps: net.additionalIps });
        tr('ready');
        return sb.id;
      } catch (err) {
        await undo();
        throw err;
      }
    });
  }

  /** CRI containers of a sandbox (engine records that carry its id). */
  #containersOf(sandboxId: string): ContainerRecord[] {
    return this.#d.containers.list({ all: true }).filter((c) => {
      const m = criMetaOf(c);
      return m?.kind === 'container' && m.sandboxId === sandboxId;
    });
  }

  /** Stops every container of the pod, then the pause container, and releases the network. Idempotent. */
  async stopSandbox(ref: string): Promise<void> {
    let sb: SandboxRecord;
    try {
      sb = this.findSandbox(ref);
    } catch (err) {
      if (isNotFound(err)) return;
      throw err;
    }
    await this.#withLock(`sb:${sb.id}`, async () => {
      const d = this.#d;
      for (const c of this.#containersOf(sb.id)) {
        if (c.State.Running) await d.containers.stop(c.Id, { timeoutSec: 0 }).catch((e: unknown) => { if (!isNotFound(e)) throw e; });
      }
      const pause = this.#pauseOf(sb);
      if (pause?.State.Running) await d.containers.stop(pause.Id, { timeoutSec: 0 });
      const cur = d.store.get<SandboxRecord>('sandbox', sb.id) ?? sb;
      if (cur.netMode !== NS_NODE && (cur.netnsPath !== '' || cur.state === 'ready')) {
        await d.network.tearDown({ key: keyOf(cur), metadata: cur.metadata, netnsPath: cur.netnsPath, portMappings: cur.portMappings });
      }
      if (cur.state !== 'notready' || cur.netnsPath !== '') await d.store.put('sandbox', cur.id, { ...cur, state: 'notready', netnsPath: '' });
    });
  }

  /** Removes the pod's containers, the pause container, its files and record. Idempotent. */
  async removeSandbox(ref: string): Promise<void> {
    let sb: SandboxRecord;
    try {
      sb = this.findSandbox(ref);
    } catch (err) {
      if (isNotFound(err)) return;
      throw err;
    }
    const pause = this.#pauseOf(sb);
    if (pause?.State.Running) await this.stopSandbox(sb.id);
    await this.#withLock(`sb:${sb.id}`, async () => {
      const d = this.#d;
      const cur = d.store.get<SandboxRecord>('sandbox', sb.id);
      if (!cur) return;
      for (const c of this.#containersOf(sb.id)) {
        await d.containers.remove(c.Id, { force: true }).catch((e: unknown) => { if (!isNotFound(e)) throw e; });
      }
      if (cur.netnsPath !== '') {
        await d.network.tearDown({ key: keyOf(cur), metadata: cur.metadata, netnsPath: cur.netnsPath, portMappings: cur.portMappings });
      }
      await d.containers.remove(cur.id, { force: true }).catch((e: unknown) => { if (!isNotFound(e)) throw e; });
      await rm(cur.dir, { recursive: true, force: true });
      await d.store.delete('sandbox', cur.id);
    });
  }

  sandboxStatus(ref: string): SandboxView {
    return this.sandboxView(this.findSandbox(ref));
  }

  listSandboxes(f: { id?: string; state?: 0 | 1; labels?: Record<string, string> } = {}): SandboxView[] {
    return this.#d.store
      .list<SandboxRecord>('sandbox')
      .filter((s) => !f.id || s.id.startsWith(f.id))
      .map((s) => this.sandboxView(s))
      .filter((v) => f.state === undefined || (f.state === 0) === v.ready)
      .filter((v) => matchesLabels(v.record.labels, f.labels));
  }

  // ---------------------------------------------------------------------------------------------
  // containers

  view(rec: ContainerRecord): CriContainerView | undefined {
    const meta = criMetaOf(rec);
    if (!meta || meta.kind !== 'container') return undefined;
    const state = containerState(rec);
    let reason = '';
    if (state === 2) reason = rec.State.OOMKilled ? 'OOMKilled' : rec.State.ExitCode === 0 ? 'Completed' : 'Error';
    return {
      id: rec.Id,
      sandboxId: meta.sandboxId,
      meta,
      record: rec,
      state,
      createdNs: rfc3339ToNs(rec.Created),
      startedNs: rfc3339ToNs(rec.State.StartedAt),
      finishedNs: state === 2 ? rfc3339ToNs(rec.State.FinishedAt) : '0',
      exitCode: state === 2 ? rec.State.ExitCode : 0,
      reason,
      message: state === 2 ? rec.State.Error : '',
    };
  }

  /** A CRI container by id or unique prefix; throws not-found for other engine containers too. */
  findContainer(ref: string): CriContainerView {
    if (ref === '') throw invalidArgument('container id is empty');
    const rec = this.#d.containers.get(ref);
    const v = this.view(rec);
    if (!v) throw notFound(`container ${ref} not found`);
    return v;
  }

  async createContainer(sandboxRef: string, cfg: ContainerConfigIn): Promise<string> {
    const d = this.#d;
    const sb = this.findSandbox(sandboxRef);
    if (!this.sandboxView(sb).ready) throw failedPrecondition(`pod sandbox ${sb.id} is not ready`);
    const { request, meta } = containerRequest(cfg, sb, {
      hostOomAdj: await d.hostOomScoreAdj(),
      files: { resolvConf: join(sb.dir, 'resolv.conf'), hostname: join(sb.dir, 'hostname') },
    });
    // CRI (as containerd): a missing host path is made a directory; a symlink is followed
    for (const m of request.hostConfig?.Mounts ?? []) {
      try {
        await stat(m.Source);
      } catch (err) {
        if (errnoCode(err) !== 'ENOENT') throw err;
        await mkdir(m.Source, { recursive: true });
      }
      m.Source = await realpath(m.Source);
    }
    if (meta.logPath !== '') await mkdir(join(meta.logPath, '..'), { recursive: true });
    await inlineSeccompProfile(request);
    const rec = await d.containers.create(request);
    return rec.Id;
  }

  async startContainer(ref: string): Promise<void> {
    const v = this.findContainer(ref);
    if (v.state === 2) throw failedPrecondition(`container ${v.id} has exited; CRI containers start once`);
    await this.#d.containers.startContainer(v.id);
  }

  async stopContainer(ref: string, timeoutSec: number): Promise<void> {
    const v = this.findContainer(ref);
    if (v.state !== 1) return;
    await this.#d.containers.stop(v.id, { timeoutSec: Math.max(0, timeoutSec) });
  }

  async removeContainer(ref: string): Promise<void> {
    let v: CriContainerView;
    try {
      v = this.findContainer(ref);
    } catch (err) {
      if (isNotFound(err)) return;
      throw err;
    }
    await this.#d.containers.remove(v.id, { force: true }).catch((e: unknown) => { if (!isNotFound(e)) throw e; });
  }

  listContainers(f: { id?: string; state?: number; sandboxId?: string; labels?: Record<string, string> } = {}): CriContainerView[] {
    const out: CriContainerView[] = [];
    for (const rec of this.#d.containers.list({ all: true })) {
      const v = this.view(rec);
      if (!v) continue;
      if (f.id && !v.id.startsWith(f.id)) continue;
      if (f.state !== undefined && v.state !== f.state) continue;
      if (f.sandboxId && !v.sandboxId.startsWith(f.sandboxId)) continue;
      if (!matchesLabels(v.meta.labels, f.labels)) continue;
      out.push(v);
    }
    return out;
  }

  async execSync(ref: string, cmd: string[], timeoutSec: number, signal?: AbortSignal): Promise<ExecSyncResult> {
    const v = this.findContainer(ref);
    if (cmd.length === 0) throw invalidArgument('ExecSync: cmd is empty');
    const s = await this.#d.containers.exec(v.id, { args: cmd, env: [], tty: false, stdin: false, detach: false });
    const p = s.process;
    const collect = (r: NodeJS.ReadableStream | null) => {
      const chunks: Buffer[] = [];
      let n = 0;
      r?.on('data', (b: Buffer) => {
        if (n >= EXEC_SYNC_MAX) return;
        chunks.push(b);
        n += b.length;
      });
      return () => Buffer.concat(chunks).subarray(0, EXEC_SYNC_MAX);
    };
    const out = collect(p.stdout);
    const errs = collect(p.stderr);
    const ended = Promise.all([p.exit, streamEnd(p.stdout), streamEnd(p.stderr)]).then(([code]) => code);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = timeoutSec > 0
      ? new Promise<'timeout'>((resolve) => { timer = setTimeout(() => resolve('timeout'), timeoutSec * 1000); })
      : new Promise<never>(() => undefined);
    // a client that gave up (its own deadline is usually the same timeout) must not leave the
    // command running: the next call may well look for it
    const onAbort = () => p.kill('SIGKILL');
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const r = await Promise.race([ended, timedOut]);
      if (r === 'timeout') {
        p.kill('SIGKILL');
        throw deadline(`command ${JSON.stringify(cmd.join(' '))} timed out after ${timeoutSec}s`);
      }
      return { stdout: out(), stderr: errs(), exitCode: r };
    } finally {
      signal?.removeEventListener('abort', onAbort);
      if (timer) clearTimeout(timer);
    }
  }

  /** Exec for the streaming server: a process in a running CRI container. */
  async execStream(ref: string, o: { cmd: string[]; tty: boolean; stdin: boolean }): Promise<ExecProcess> {
    const v = this.findContainer(ref);
    if (v.state !== 1) throw failedPrecondition(`container ${v.id} is not running`);
    if (o.cmd.length === 0) throw invalidArgument('Exec: cmd is empty');
    const s = await this.#d.containers.exec(v.id, { args: o.cmd, env: [], tty: o.tty, stdin: o.stdin, detach: false });
    return s.process;
  }

  /**
   * Attach for the streaming server: the container's output from now on (followed in its CRI
   * log, or in its json-file log when the kubelet gave no log path), its stdin, its exit.
   * `follow` resolves once the reader is placed: input sent after that has its answer seen.
   */
  attachTarget(ref: string, wantStdin: boolean): {
    id: string;
    tty: boolean;
    stdin: Writable | undefined;
    follow(emit: (c: OutputChunk) => void, signal: AbortSignal): Promise<Following>;
    wait(signal: AbortSignal): Promise<number>;
  } {
    const v = this.findContainer(ref);
    if (v.state !== 1) throw failedPrecondition(`container ${v.id} is not running`);
    const d = this.#d;
    const logPath = v.meta.logPath;
    return {
      id: v.id,
      tty: v.record.Config.Tty,
      stdin: wantStdin && v.record.Config.OpenStdin ? d.containers.stdin(v.id) : undefined,
      follow: async (emit, signal) => {
        if (logPath !== '') {
          const unflush = d.containers.keepFlushing(v.id);
          try {
            const f = await followCriLog(logPath, emit, signal);
            return { done: f.done.finally(unflush) };
          } catch (err) {
            unflush();
            throw err;
          }
        }
        let placed!: () => void;
        const primed = new Promise<void>((r) => (placed = r));
        const done = (async () => {
          try {
            for await (const ev of d.containers.attach(v.id, { start: false, signal, onPrimed: placed })) {
              if (ev.kind !== 'log') return;
              emit({ stream: ev.entry.stream, data: Buffer.from(ev.entry.log, 'utf8') });
            }
          } catch (err) {
            if (!signal.aborted) throw err;
          } finally {
            placed();
          }
        })();
        await Promise.race([primed, done]);
        return { done };
      },
      wait: (signal) => d.containers.wait(v.id, signal),
    };
  }

  /** The network namespace a port-forward connects in: '' for a host-network pod. */
  portForwardNetns(sandboxRef: string): string {
    const sb = this.findSandbox(sandboxRef);
    if (!this.sandboxView(sb).ready) throw failedPrecondition(`pod sandbox ${sb.id} is not ready`);
    if (sb.netMode === NS_NODE) return '';
    if (sb.netnsPath !== '') return sb.netnsPath;
    const pause = this.#pauseOf(sb);
    if (!pause?.State.Running) throw failedPrecondition(`pod sandbox ${sb.id} has no running pause container`);
    return `/proc/${pause.State.Pid}/ns/net`;
  }

  async updateResources(ref: string, r: ResourcesIn | null | undefined): Promise<void> {
    const v = this.findContainer(ref);
    if (!r) return;
    const n = (x: string | number) => Number(x || 0);
    const patch: UpdatePatch = {};
    if (n(r.cpu_period) > 0) patch.CpuPeriod = n(r.cpu_period);
    if (n(r.cpu_quota) > 0) patch.CpuQuota = n(r.cpu_quota);
    if (n(r.cpu_shares) > 0) patch.CpuShares = n(r.cpu_shares);
    if (n(r.memory_limit_in_bytes) > 0) patch.Memory = n(r.memory_limit_in_bytes);
    if (n(r.memory_swap_limit_in_bytes) > 0) patch.MemorySwap = n(r.memory_swap_limit_in_bytes);
    if (r.cpuset_cpus) patch.CpusetCpus = r.cpuset_cpus;
    if (Object.keys(patch).length > 0) await this.#d.containers.update(v.id, patch);
  }

  /** The log writer opens the file per record, so a renamed-away log is recreated; make it now. */
  async reopenLog(ref: string): Promise<void> {
    const v = this.findContainer(ref);
    if (v.state !== 1) throw failedPrecondition(`container ${v.id} is not running`);
    if (v.meta.logPath === '') return;
    await writeFile(v.meta.logPath, '', { flag: 'a', mode: 0o640 });
    await this.#d.containers.reopenLog(v.id);
  }

  /**
   * GetContainerEvents: the CRI containers' and sandboxes' created/started/stopped/deleted steps
   * from now on, read from the engine's event bus (published after each store commit), each with
   * its pod's status and the statuses of the pod's containers at the time it is read.
   */
  async *containerEvents(signal: AbortSignal): AsyncGenerator<CriContainerEvent> {
    const bus = this.#d.events;
    if (!bus) throw failedPrecondition('container events are not wired');
    const sub = bus.subscribe({
      signal,
      filter: (e) => e.type === 'container' && CRI_EVENTS[e.action] !== undefined && e.attributes[LABEL_CRI] !== undefined,
    });
    for await (const e of sub) {
      let meta: CriContainerMeta;
      try {
        meta = JSON.parse(e.attributes[LABEL_CRI] ?? '') as CriContainerMeta;
      } catch {
        continue;
      }
      const sandboxId = meta.kind === 'sandbox' ? e.id : meta.sandboxId;
      const sb = this.#d.store.get<SandboxRecord>('sandbox', sandboxId);
      yield {
        containerId: e.id,
        type: CRI_EVENTS[e.action] as CriEventType,
        createdAt: e.time,
        sandbox: sb ? this.sandboxView(sb) : undefined,
        containers: sb ? this.listContainers({ sandboxId: sb.id }) : [],
      };
    }
  }

  /** PodSandboxStats / ListPodSandboxStats: cgroup figures of the pause container and each CRI container. */
  async sandboxStats(f: { id?: string; labels?: Record<string, string> } = {}): Promise<SandboxStatsView[]> {
    const pods = f.id !== undefined ? [this.sandboxView(this.findSandbox(f.id))] : this.listSandboxes(f.labels ? { labels: f.labels } : {});
    const out: SandboxStatsView[] = [];
    for (const sandbox of pods) {
      const containers = this.listContainers({ sandboxId: sandbox.record.id });
      const pause = this.#pauseOf(sandbox.record);
      const running = [...(pause?.State.Running ? [sandbox.record.id] : []), ...containers.filter((c) => c.state === 1).map((c) => c.id)];
      const samples = await this.stats(running).catch((err: unknown) => {
        if (isNotFound(err)) return new Map<string, ContainerStatsSample>(); // removed meanwhile
        throw err;
      });
      out.push({
        sandbox,
        pause: samples.get(sandbox.record.id),
        containers: containers.map((view) => ({ view, sample: samples.get(view.id) })),
      });
    }
    return out;
  }

  async stats(ids: string[]): Promise<Map<string, ContainerStatsSample>> {
    const out = new Map<string, ContainerStatsSample>();
    if (ids.length === 0) return out;
    for (const s of await this.#d.containers.stats(ids, true)) out.set(s.id, s);
    return out;
  }
}

/** A localhost seccomp profile is a file on the daemon's host: the create request carries its JSON. */
async function inlineSeccompProfile(req: CreateRequest): Promise<void> {
  const opts = req.hostConfig?.SecurityOpt;
  if (!opts) return;
  for (let i = 0; i < opts.length; i++) {
    const o = opts[i] as string;
    if (!o.startsWith('seccomp=/')) continue;
    const path = o.slice('seccomp='.length);
    const text = await readFile(path, 'utf8').catch((err: unknown) => {
      throw invalidArgument(`seccomp profile ${path}: ${messageOf(err)}`);
    });
    opts[i] = `seccomp=${text}`;
  }
}

function keyOf(sb: SandboxRecord): string {
  return sb.dir.split('/').pop() ?? sb.id;
}

function streamEnd(r: NodeJS.ReadableStream | null): Promise<void> {
  if (!r) return Promise.resolve();
  return new Promise((resolve) => {
    r.once('end', () => resolve());
    r.once('close', () => resolve());
    r.once('error', () => resolve());
  });
}

/** The embedded pause image (pause.tar) loaded under its own name when no image is configured. */
export async function ensureSandboxImage(
  configured: string,
  deps: { resolve(ref: string): ImageRecord | undefined; load(r: Readable): Promise<ImageRecord[]>; pull(ref: string): Promise<ImageRecord>; embedded(): Buffer | undefined },
): Promise<string> {
  if (configured !== '') {
    if (!deps.resolve(configured)) await deps.pull(configured);
    return configured;
  }
  const bytes = deps.embedded();
  if (!bytes) throw failedPrecondition('no pod-sandbox-image configured and this build carries no pause image');
  const DEFAULT = 'pause:3.9';
  if (deps.resolve(DEFAULT)) return DEFAULT;
  const imgs = await deps.load(Readable.from([bytes]));
  const name = imgs[0]?.names[0];
  if (!name) throw failedPrecondition('the embedded pause image has no name');
  return name;
}

/** The daemon's oom_score_adj. */
export async function readOwnOomScoreAdj(): Promise<number> {
  return Number((await readFile('/proc/self/oom_score_adj', 'utf8').catch(() => '0')).trim()) || 0;
}

/** The values of all; when one fails, waits for the others to settle (their undo needs to know what they made), then throws the first error. */
async function settleAll<T extends readonly unknown[]>(ps: { [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const rs = await Promise.allSettled(ps);
  for (const r of rs) if (r.status === 'rejected') throw r.reason;
  return rs.map((r) => (r as PromiseFulfilledResult<unknown>).value) as unknown as T;
}

/**
 * ISULAD_POD_TRACE=1: one INFO line per RunPodSandbox giving the time (ms since the call) at
 * which each step ended (files, netns, cni, create, record, start, ready); steps that overlap
 * show interleaved. Off: a no-op.
 */
function podTrace(pod: string): (step: string) => void {
  if (process.env['ISULAD_POD_TRACE'] !== '1') return () => undefined;
  const t0 = performance.now();
  const steps: string[] = [];
  return (step) => {
    steps.push(`${step}=${(performance.now() - t0).toFixed(1)}`);
    if (step === 'ready') log.with({ pod }).info(`pod start trace: ${steps.join(' ')}`);
  };
}
