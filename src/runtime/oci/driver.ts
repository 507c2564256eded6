// A Runtime for any OCI runtime CLI (runc; crun where the host allows it), with Debian's conmon as
// the per-container monitor: conmon runs `<runtime> create`, reaps the init, writes the exit file
// and the k8s-file log, and outlives the daemon. The driver then runs `<runtime> start`.
// Design and trade-offs (stdin, attach, exec): docs/oci-runtimes.md.
import { spawn } from 'node:child_process';
import { closeSync, constants, existsSync, openSync, readFileSync } from 'node:fs';
import type { Writable } from 'node:stream';
import { access, chmod, chown, mkdir, open, readdir, readFile, readlink, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type {
  CreateOptions, ExecOptions, ExecProcess, Executor, ExitInfo, OciSpec, ProcessLister, ResourceUpdate, ResourceUpdater, Runtime,
  Resizable, RuntimeStats, RuntimeStatus, StartOptions, StartResult, StatsSource, StdinOpener, StdioPaths, StopOptions,
} from '../runtime.ts';
import type { CgroupLayout } from '../../cgroups/hierarchy.ts';
import { controllerDir, readCgroupLayout } from '../../cgroups/hierarchy.ts';
import { detectAwk, detectScript, hasSwapAccounting, hostBoundingCaps } from '../host.ts';
import { killAndRemoveCgroup } from '../../cgroups/cleanup.ts';
import { readCgroupStats } from '../../cgroups/stats.ts';
import { readCgroupProcs } from '../../cgroups/procs.ts';
import { readNetCounters } from '../../cgroups/proc-usage.ts';
import { alreadyExists, conflict, EngineError, errnoCode, failedPrecondition, internal, notFound, notImplemented, wrap } from '../../util/errors.ts';
import { log } from '../../util/log.ts';
import { isAlive, readProcStat } from '../proc.ts';
import { readExitFile, readJson, readPidFile, writeAtomic } from '../state-files.ts';
import { ExitDelivery, exitInfo } from '../exit-delivery.ts';
import type { ExitRecord } from '../exit-delivery.ts';
import { runTool } from '../tools.ts';
import { execInOci } from './exec.ts';
import { liveInit, signalInit, stopWithGrace } from '../stop.ts';
import { attachRelay } from './attach-relay.ts';
import { ociExits, ociFiles, ociRoot, ociRotateAwk, ociSockets, ociStdinWrapper } from './layout.ts';
import { killLogCopier, ROTATE_AWK, startLogCopier, waitLogCopier } from './log-copier.ts';
import { attachSocketPath, conmonArgs, readSyncPid } from './conmon.ts';
import { resourcesAfterUpdate } from './update.ts';
import { moveStagedDev, stageDevBind } from './dev-stage.ts';
import { applyCgroupWrites, checkCpusetOnline, currentValues, planCgroupWrites } from '../cgroup-writes.ts';
import type { SyslogTarget } from '../syslog.ts';
import { openFifoWriter } from '../fifo-writer.ts';

export interface OciRuntimeOptions {
  /** the name containers ask for (--runtime runc) */
  name: string;
  /** the runtime binary (absolute, or found in PATH) */
  runtimePath: string;
  /** global arguments put before every runtime subcommand (daemon.json runtime-args) */
  runtimeArgs: string[];
  /** conmon binary */
  conmon: string;
  /** runtime state (tmpfs on a device): bundles, exit files, the runtime's --root */
  stateDir: string;
  /** cgroup parent used when a spec has no cgroupsPath (e.g. "isulad") */
  cgroupParent: string;
  startTimeoutMs?: number;
}

export interface OciHost {
  layout: CgroupLayout;
  /** capabilities the daemon can still grant (CapBnd): others are dropped from the spec */
  hostCaps: string[];
  /** util-linux script(1): a terminal for exec -t */
  script: string | undefined;
  /** socat: the one-shot relay into conmon's SOCK_SEQPACKET attach socket (stdin of -it containers) */
  socat?: string | undefined;
  /** memsw files exist (v1 swap accounting) */
  swap?: boolean;
  /** the log copier's awk (../host.ts detectAwk, as lcr): rotation at max-size */
  awk?: string;
}

interface Meta {
  id: string;
  logPath: string;
  logMaxSize: number;
  /** absent in records written before rotation (then conmon truncated at max-size) */
  logMaxFile?: number;
  openStdin: boolean;
  terminal: boolean;
  cgroupsPath: string;
  noPivot?: boolean;
  /** the user's /dev bind is staged in the container's tmpfs and moved over /dev before start (dev-stage.ts) */
  devStage?: boolean;
  /** --log-driver syslog: the log copier also feeds logger(1) */
  syslog?: SyslogTarget;
  /** log driver none (the CRI's pause container): conmon drops the output, no FIFO, no copier */
  logNone?: true;
  /** a user namespace's root on the host (the ids its 0 maps to): owns the init's stdio before the start */
  mappedRoot?: { uid: number; gid: number };
}

const STOPPED_POLL_MS = 10;

export class OciRuntime implements Runtime, StatsSource, ProcessLister, Executor, ResourceUpdater, StdinOpener, Resizable {
  readonly name: string;
  readonly #o: OciRuntimeOptions;
  readonly #host: OciHost;
  readonly #exits: ExitDelivery;

  constructor(o: OciRuntimeOptions, host: OciHost) {
    this.name = o.name;
    this.#o = o;
    this.#host = host;
    this.#exits = new ExitDelivery({ dir: ociExits(o.stateDir), read: (id) => this.#deliverable(id), reconcile: () => this.#reconcileAll() });
  }

  /** `<runtime> --root R [runtime-args] <sub> args…` */
  #rt(sub: string, args: string[], kind?: EngineError['kind']) {
    return runTool(this.#o.runtimePath, ['--root', ociRoot(this.#o.stateDir), ...this.#o.runtimeArgs, sub, ...args], kind ? { kind } : {});
  }

  async create(o: CreateOptions): Promise<void> {
    const f = ociFiles(this.#o.stateDir, o.id);
    // the caller's spec is left as it was: the driver's additions go on a copy (as in lcr)
    const cgroupsPath = o.spec.linux.cgroupsPath ?? `/${this.#o.cgroupParent}/${o.id}`;
    const spec: OciSpec = {
      ...o.spec,
      process: o.terminal ? { ...o.spec.process, terminal: true } : o.spec.process,
      linux: { ...o.spec.linux, cgroupsPath },
    };
    if (spec.process.args.length === 0) throw failedPrecondition(`create container "${o.id}": no command`);
    // syslog lines are fed by the log copier, which runs only with a size and an awk
    if (o.syslog && (o.logMaxSize <= 0 || this.#host.awk === undefined)) throw failedPrecondition(`create container "${o.id}": the syslog log driver needs awk and a log max-size on ${this.name}`);
    const staged = stageDevBind(spec);
    const config = bundleConfig(staged ?? spec, this.#host.hostCaps);
    try {
      await mkdir(f.bundle);
    } catch (err) {
      if (errnoCode(err) === 'EEXIST') throw alreadyExists(`container "${o.id}" already exists in runtime ${this.name}`);
      throw wrap(err, `create container "${o.id}"`);
    }
    try {
      await mkdir(f.persist);
      await mkdir(dirname(o.logPath), { recursive: true });
      await writeFile(f.config, JSON.stringify(config));
      // -i without -t: a FIFO the runtime wrapper hands to the container as stdin (docs/oci-runtimes.md);
      // a rotated log: conmon writes into a FIFO and the copier rotates (log-copier.ts). One spawn.
      const logNone = o.logFormat === 'none';
      const fifos = [...(o.openStdin && !spec.process.terminal ? [f.stdin] : []), ...(o.logMaxSize > 0 && !logNone ? [f.logFifo] : [])];
      if (fifos.length > 0) await runTool('mkfifo', ['-m', '0600', ...fifos]);
      const meta: Meta = { id: o.id, logPath: o.logPath, logMaxSize: o.logMaxSize, logMaxFile: o.logMaxFile, openStdin: o.openStdin, terminal: spec.process.terminal, cgroupsPath, ...(o.noPivot ? { noPivot: true } : {}), ...(staged ? { devStage: true } : {}), ...(o.syslog ? { syslog: o.syslog } : {}), ...(logNone ? { logNone: true as const } : {}), ...mappedRootOf(spec) };
      await writeFile(f.meta, JSON.stringify(meta));
    } catch (err) {
      await rm(f.bundle, { recursive: true, force: true }).catch(() => undefined);
      throw wrap(err, `create container "${o.id}"`);
    }
  }

  async #meta(id: string): Promise<Meta> {
    const m = await readJson<Meta>(ociFiles(this.#o.stateDir, id).meta);
    if (m === undefined) throw notFound(`no such container "${id}" in runtime ${this.name}`);
    return m;
  }

  /** The runtime still knows the id (a previous run, stopped): it must be deleted before a create. */
  async #forgetInRuntime(id: string): Promise<void> {
    if (!existsSync(`${ociRoot(this.#o.stateDir)}/${id}`)) return;
    await this.#rt('delete', ['--force', id]).catch((err: unknown) => log.with({ container: id }).warn(`${this.name} delete failed`, err));
  }

  async start(id: string, opts: StartOptions = {}): Promise<StartResult> {
    const meta = await this.#meta(id);
    const f = ociFiles(this.#o.stateDir, id);
    const st = await this.status(id);
    if (st.status === 'running' || st.status === 'paused') throw conflict(`container "${id}" is already running`);
    const [busy] = await Promise.all([
      killAndRemoveCgroup(this.#host.layout, meta.cgroupsPath),
      this.#forgetInRuntime(id),
      rm(f.exit, { force: true }),
      rm(f.init, { force: true }),
      rm(f.oom, { force: true }),
      rm(f.pidFile, { force: true }),
      rm(`${f.persist}/exit`, { force: true }),
      rm(`${f.bundle}/attach`, { force: true }), // a stale socket would take a -it writer's input
      rm(f.copier, { force: true }),
    ]);
    if (busy.length > 0) throw failedPrecondition(`stale cgroup of container "${id}" still has tasks: ${busy[0]}`);
    const withStdin = meta.openStdin && !meta.terminal;
    const rotate = meta.logMaxSize > 0 && meta.logMaxFile !== undefined && this.#host.awk !== undefined && existsSync(f.logFifo);
    if (rotate) {
      await startLogCopier({
        awk: this.#host.awk as string,
        program: ociRotateAwk(this.#o.stateDir),
        fifo: f.logFifo,
        logPath: meta.logPath,
        logMaxSize: meta.logMaxSize,
        logMaxFile: meta.logMaxFile as number,
        pidFile: f.copier,
        errorLog: f.conmonLog,
        ...(meta.syslog ? { syslog: meta.syslog } : {}),
      });
    }
    const args = conmonArgs({
      id,
      runtime: withStdin ? ociStdinWrapper(this.#o.stateDir) : this.#o.runtimePath,
      runtimeArgs: ['--root', ociRoot(this.#o.stateDir), ...this.#o.runtimeArgs],
      files: f,
      exitDir: ociExits(this.#o.stateDir),
      socketDir: ociSockets(this.#o.stateDir),
      logPath: rotate ? f.logFifo : meta.logPath,
      ...(meta.logNone ? { logNone: true } : {}),
      logMaxSize: rotate ? 0 : meta.logMaxSize,
      terminal: meta.terminal,
      attachStdin: meta.openStdin && meta.terminal,
      ...(meta.noPivot ? { noPivot: true } : {}),
    });
    const logFd = openSync(f.conmonLog, 'a');
    let child;
    try {
      child = spawn(this.#o.conmon, args, {
        detached: true, // setsid: conmon survives the daemon and its process group
        stdio: ['ignore', logFd, logFd, 'pipe'],
        cwd: f.bundle,
        env: {
          PATH: process.env.PATH ?? '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
          _OCI_SYNCPIPE: '3',
          ...(withStdin ? { OCI_RUNTIME: this.#o.runtimePath, OCI_STDIN: f.stdin, ...(opts.stdinOnce === true ? { OCI_STDIN_ONCE: '1' } : {}) } : {}),
        },
      });
    } finally {
      closeSync(logFd);
    }
    child.on('error', (err) => log.with({ container: id }).error(err, 'conmon spawn failed'));
    child.unref();
    const timeoutMs = this.#o.startTimeoutMs ?? 120_000;
    let pid: number;
    try {
      pid = await readSyncPid(child, timeoutMs);
    } catch (err) {
      await this.#forgetInRuntime(id);
      await rm(f.exit, { force: true });
      await killLogCopier(f.copier);
      throw wrap(err, `${this.name} create`); // the service says which container it started
    }
    // conmon's own pid: its pidfile (the daemonized child), recorded with its start time
    const cpid = Number((await readFile(f.conmonPid, 'utf8').catch(() => '')).trim());
    const cst = cpid > 0 ? await readProcStat(cpid) : undefined;
    await writeAtomic(`${f.bundle}/monitor`, `${cpid} ${cst?.startTime ?? ''}\n`);
    const ps = await readProcStat(pid);
    const startTime = ps?.startTime ?? '';
    await writeAtomic(f.init, `${pid} ${startTime}\n`);
    try {
      if (meta.devStage === true) await moveStagedDev(pid);
      if (meta.mappedRoot) await ownStdioByMappedRoot(pid, meta.mappedRoot);
      await this.#rt('start', [id], 'failed-precondition');
    } catch (err) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone already
      }
      throw wrap(err, `${this.name} start`);
    }
    return { pid, startTime };
  }

  async status(id: string): Promise<RuntimeStatus> {
    const meta = await this.#meta(id);
    const f = ociFiles(this.#o.stateDir, id);
    for (let attempt = 0; ; attempt++) {
      const exit = await this.#readExit(id);
      if (exit) return { status: 'stopped', exit: exitInfo(exit) };
      const mon = await readPidFile(`${f.bundle}/monitor`);
      if (mon === undefined) return { status: 'created' };
      const init = await readPidFile(f.init);
      if (init && (await isAlive(init.pid, init.startTime))) {
        const dir = controllerDir(this.#host.layout, 'freezer', meta.cgroupsPath);
        const v1 = this.#host.layout.version === 'v1';
        const frozen = dir ? (await readFile(`${dir}/${v1 ? 'freezer.state' : 'cgroup.freeze'}`, 'utf8').catch(() => '')).trim() : '';
        const paused = frozen === 'FROZEN' || frozen === 'FREEZING' || frozen === '1';
        return { status: paused ? 'paused' : 'running', pid: init.pid, startTime: init.startTime };
      }
      if (await isAlive(mon.pid, mon.startTime)) {
        if (init === undefined) return { status: 'created' };
        // the init is gone and conmon is about to write the exit file
        if (attempt < 300) {
          await sleep(STOPPED_POLL_MS);
          continue;
        }
        return { status: 'unknown' };
      }
      const late = await this.#readExit(id);
      if (late) return { status: 'stopped', exit: exitInfo(late) };
      // conmon and the init are gone with no exit file (conmon killed, host crash): -1, once
      await mkdir(ociExits(this.#o.stateDir), { recursive: true });
      await writeAtomic(f.exit, '-1\n');
    }
  }

  async #readExit(id: string): Promise<ExitRecord | undefined> {
    const f = ociFiles(this.#o.stateDir, id);
    const e = await readExitFile(f.exit);
    if (e === undefined) return undefined;
    // the copier writes conmon's last lines after conmon exits: the log is complete once it is gone
    await waitLogCopier(f.copier);
    // conmon marks an OOM kill with an empty <persist-dir>/oom
    return existsSync(f.oom) ? { ...e, oomKilled: true } : e;
  }

  stdio(id: string): StdioPaths {
    const f = ociFiles(this.#o.stateDir, id);
    let m: Meta;
    try {
      m = JSON.parse(readFileSync(f.meta, 'utf8')) as Meta;
    } catch (err) {
      if (errnoCode(err) === 'ENOENT') throw notFound(`no such container "${id}" in runtime ${this.name}`);
      throw wrap(err, `read state of container "${id}"`);
    }
    return { ...(m.openStdin && !m.terminal ? { stdin: f.stdin } : {}), logPath: m.logPath };
  }

  /**
   * stdin of a -i container. Without -t: the FIFO (no process). With -t the terminal belongs to
   * conmon and only its SOCK_SEQPACKET attach socket reaches it, which Node cannot open: a socat
   * relay lives for this one writer (docs/oci-runtimes.md). Its output side is read and dropped
   * (the daemon follows the log), so conmon never blocks on a full attach socket.
   */
  openStdin(id: string): Writable {
    const f = ociFiles(this.#o.stateDir, id);
    const m = JSON.parse(readFileSync(f.meta, 'utf8')) as Meta;
    if (!m.openStdin) throw failedPrecondition(`container "${id}" was not created with -i`);
    if (!m.terminal) return openFifoWriter(f.stdin);
    if (!this.#host.socat) throw notImplemented(`runtime ${this.name}: stdin of a -t container needs socat (conmon's attach socket), not found`);
    return attachRelay(this.#host.socat, attachSocketPath(ociSockets(this.#o.stateDir), id), this.#o.startTimeoutMs);
  }

  /**
   * CRI ReopenContainerLog: conmon holds the k8s-file log open; "2 0 0" on its ctl FIFO (a
   * reopen-logs event) makes it reopen the file at its path. The FIFO is opened non-blocking:
   * with conmon gone (container stopped) there is no reader and nothing to reopen.
   */
  async reopenLog(id: string): Promise<void> {
    await this.#running(id);
    const fh = await open(ociFiles(this.#o.stateDir, id).ctl, constants.O_WRONLY | constants.O_NONBLOCK);
    try {
      await fh.write('2 0 0\n');
    } finally {
      await fh.close();
    }
  }

  /** -t window size: conmon's ctl FIFO, "1 <rows> <cols>" (a resize event). */
  async resize(id: string, size: { rows: number; cols: number }): Promise<void> {
    const meta = await this.#meta(id);
    if (!meta.terminal) throw failedPrecondition(`container "${id}" has no terminal`);
    await this.#running(id);
    const fh = await open(ociFiles(this.#o.stateDir, id).ctl, constants.O_WRONLY | constants.O_NONBLOCK);
    try {
      await fh.write(`1 ${size.rows} ${size.cols}\n`);
    } finally {
      await fh.close();
    }
  }

  async #running(id: string): Promise<{ pid: number; paused: boolean }> {
    return liveInit(id, await this.status(id));
  }

  async kill(id: string, signal: number): Promise<void> {
    signalInit(id, (await this.#running(id)).pid, signal);
  }

  stop(id: string, o: StopOptions): Promise<ExitInfo> {
    return stopWithGrace(id, o, {
      status: () => this.status(id),
      signal: (s) => this.kill(id, s),
      resume: () => this.resume(id),
      forceKill: () => this.kill(id, 9).catch(() => undefined),
    });
  }

  async pause(id: string): Promise<void> {
    const { paused } = await this.#running(id);
    if (paused) throw failedPrecondition(`container "${id}" is already paused`);
    await this.#rt('pause', [id], 'failed-precondition');
  }

  async resume(id: string): Promise<void> {
    const { paused } = await this.#running(id);
    if (!paused) throw failedPrecondition(`container "${id}" is not paused`);
    await this.#rt('resume', [id], 'failed-precondition');
  }

  onExit(listener: (id: string, exit: ExitInfo) => void): void {
    this.#exits.subscribe(listener);
  }

  /** At watch start: containers whose conmon vanished while nobody watched get their -1 exit. */
  async #reconcileAll(): Promise<void> {
    for (const n of await readdir(this.#o.stateDir).catch(() => [] as string[])) {
      if (n === 'exits' || n === 'sock' || n === 'root' || n.includes('.')) continue;
      await this.status(n).catch(() => undefined);
    }
  }

  /** The exit recorded for id, if id is (still) a container of this runtime: a stray file in exits/ is none. */
  async #deliverable(id: string): Promise<ExitRecord | undefined> {
    let f;
    try {
      f = ociFiles(this.#o.stateDir, id);
    } catch {
      return undefined;
    }
    const exit = await this.#readExit(id);
    if (exit === undefined || (await readJson<Meta>(f.meta).catch(() => undefined)) === undefined) return undefined;
    return exit;
  }

  async stats(id: string): Promise<RuntimeStats> {
    const meta = await this.#meta(id);
    const { frozen: _frozen, oomKills: _oom, ...s } = await readCgroupStats(this.#host.layout, meta.cgroupsPath);
    const st = await this.status(id);
    const net = st.status === 'running' || st.status === 'paused' ? await readNetCounters(st.pid) : undefined;
    return net ? { ...s, netRx: net.rxBytes, netTx: net.txBytes } : s;
  }

  async pids(id: string): Promise<number[]> {
    const meta = await this.#meta(id);
    return readCgroupProcs(this.#host.layout, meta.cgroupsPath);
  }

  /**
   * isula update: the cgroup files of a running container (the same all-or-nothing writer and
   * messages as lcr), then linux.resources in config.json for the next start.
   */
  async updateResources(id: string, r: ResourceUpdate): Promise<void> {
    const meta = await this.#meta(id);
    const f = ociFiles(this.#o.stateDir, id);
    const spec = JSON.parse(await readFile(f.config, 'utf8')) as OciSpec;
    const { layout, swap } = this.#host;
    const mem = spec.linux.resources.memory;
    const writes = planCgroupWrites(layout.version, r, { memory: mem?.limit ?? -1, swap: mem?.swap ?? -1 }, swap ?? false);
    if (writes.length === 0) return;
    const st = await this.status(id);
    const live = st.status === 'running' || st.status === 'paused';
    if (!live && r.cpusetCpus !== undefined) checkCpusetOnline(r.cpusetCpus, await readFile('/sys/devices/system/cpu/online', 'utf8'));
    const undo = live ? await currentValues(layout, meta.cgroupsPath, writes) : [];
    if (live) await applyCgroupWrites(layout, meta.cgroupsPath, writes);
    try {
      spec.linux.resources = resourcesAfterUpdate(spec.linux.resources, r);
      await writeAtomic(f.config, JSON.stringify(spec));
    } catch (err) {
      if (live) await applyCgroupWrites(layout, meta.cgroupsPath, undo).catch(() => undefined);
      throw wrap(err, `update container "${id}": write its config.json`);
    }
  }

  /** isula exec: `<runtime> exec --process` as the daemon's child (docs/oci-runtimes.md). */
  async exec(id: string, opts: ExecOptions): Promise<ExecProcess> {
    const { paused } = await this.#running(id);
    if (paused) throw failedPrecondition(`container "${id}" is paused`);
    const f = ociFiles(this.#o.stateDir, id);
    const spec = JSON.parse(await readFile(f.config, 'utf8')) as OciSpec;
    return execInOci(id, opts, {
      runtime: this.#o.runtimePath,
      globalArgs: ['--root', ociRoot(this.#o.stateDir), ...this.#o.runtimeArgs],
      bundle: f.bundle,
      process: spec.process,
      script: this.#host.script,
      hostCaps: this.#host.hostCaps,
      conmon: this.#o.conmon,
    });
  }

  async delete(id: string): Promise<void> {
    const meta = await this.#meta(id);
    const st = await this.status(id);
    if (st.status === 'running' || st.status === 'paused') throw conflict(`container "${id}" is running: stop it before removing`);
    const f = ociFiles(this.#o.stateDir, id);
    await this.#forgetInRuntime(id);
    const busy = await killAndRemoveCgroup(this.#host.layout, meta.cgroupsPath);
    if (busy.length > 0) throw failedPrecondition(`delete container "${id}": cgroup still has tasks: ${busy[0]}`);
    await rm(f.exit, { force: true });
    await rm(f.bundle, { recursive: true, force: true });
    this.#exits.forget(id);
  }

  async close(): Promise<void> {
    this.#exits.close();
  }
}


/**
 * The bundle's config.json: the spec as built, with capabilities the daemon does not hold dropped
 * (the runtime would fail to grant them: this host lacks CAP_SYS_RESOURCE) and the non-OCI
 * fields removed. Pure.
 */
export function bundleConfig(spec: OciSpec, hostCaps: readonly string[]): OciSpec {
  const have = new Set(hostCaps.map((c) => (c.startsWith('CAP_') ? c : `CAP_${c.toUpperCase()}`)));
  const keep = (l: string[] | undefined) => l?.filter((c) => have.has(c));
  const caps = spec.process.capabilities;
  const out: OciSpec = {
    ...spec,
    process: {
      ...spec.process,
      user: { uid: spec.process.user.uid, gid: spec.process.user.gid, ...(spec.process.user.additionalGids ? { additionalGids: spec.process.user.additionalGids } : {}) },
      capabilities: {
        bounding: keep(caps.bounding) ?? [],
        effective: keep(caps.effective) ?? [],
        permitted: keep(caps.permitted) ?? [],
        ...(caps.inheritable ? { inheritable: keep(caps.inheritable) ?? [] } : {}),
        ...(caps.ambient ? { ambient: keep(caps.ambient) ?? [] } : {}),
      },
    },
    linux: { ...spec.linux, devices: spec.linux.devices.map(({ hostPath: _h, ...d }) => d) },
  };
  return out;
}

/**
 * The wrapper conmon runs as the runtime for -i containers: the container's stdin becomes the FIFO.
 * OCI_STDIN_ONCE (run -i, its client attached; runtime.ts StartOptions): read-only, the daemon's
 * writer is the only one, so the client's EOF reaches the container. Otherwise read-write: the
 * container keeps a writer itself and stdin stays open between clients.
 */
export const STDIN_WRAPPER = `#!/bin/sh
# iSulad Edge: run the OCI runtime with the container's stdin FIFO. Written by the daemon; do not edit.
# once: read-only (5<> first so the open does not wait for a writer, then dropped); else
# read-write (the open never blocks, writers may come and go, stdin never ends)
[ -n "\${OCI_STDIN_ONCE:-}" ] && exec "$OCI_RUNTIME" "$@" 5<>"$OCI_STDIN" <"$OCI_STDIN" 5>&-
exec "$OCI_RUNTIME" "$@" <>"$OCI_STDIN"
`;

async function writeIfChanged(path: string, text: string): Promise<void> {
  const cur = await readFile(path, 'utf8').catch(() => undefined);
  if (cur !== text) await writeAtomic(path, text);
  await chmod(path, 0o755);
}

/** Prepares the state dirs (absolute, made before conmon needs them) and reads host facts once. */
export async function createOciRuntime(o: OciRuntimeOptions, host?: OciHost): Promise<OciRuntime> {
  if (!o.stateDir.startsWith('/')) throw internal(`runtime ${o.name}: state dir must be absolute (${o.stateDir})`);
  for (const d of [o.stateDir, ociRoot(o.stateDir), ociExits(o.stateDir), ociSockets(o.stateDir)]) await mkdir(d, { recursive: true });
  await writeIfChanged(ociStdinWrapper(o.stateDir), STDIN_WRAPPER);
  await writeIfChanged(ociRotateAwk(o.stateDir), ROTATE_AWK);
  const [layout, hostCaps, script, socat, awk] = host
    ? [host.layout, host.hostCaps, host.script, host.socat, host.awk]
    : await Promise.all([readCgroupLayout(), hostBoundingCaps(), detectScript(), findExecutable('socat'), detectAwk()]);
  const swap = host?.swap ?? (await hasSwapAccounting(layout));
  return new OciRuntime(o, { layout, hostCaps, script, socat, swap, awk });
}

/** An executable by name: absolute as given, else the first hit in PATH. */
export async function findExecutable(name: string, extra: readonly string[] = []): Promise<string | undefined> {
  const dirs = name.includes('/') ? [''] : [...(process.env.PATH ?? '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin').split(':'), ...extra];
  for (const d of dirs) {
    const p = d === '' ? name : `${d}/${name}`;
    try {
      await access(p, constants.X_OK);
      return p;
    } catch {
      // next
    }
  }
  return undefined;
}

/** The host ids a spec's user namespace maps its root to (none without one). */
function mappedRootOf(spec: OciSpec): { mappedRoot?: { uid: number; gid: number } } {
  if (!spec.linux.namespaces.some((n) => n.type === 'user')) return {};
  const uid = spec.linux.uidMappings?.find((m) => m.containerID === 0)?.hostID;
  const gid = spec.linux.gidMappings?.find((m) => m.containerID === 0)?.hostID;
  return uid === undefined || gid === undefined ? {} : { mappedRoot: { uid, gid } };
}

/**
 * conmon's stdio pipes (or pty) are the host root's, 0600: a remapped root reopening them by path
 * (/dev/stdout is /proc/self/fd/1) is refused. Between runc create and start the init holds them:
 * chown through /proc/PID/fd reaches the pipe itself. /dev/null (no stdin) is left alone.
 */
async function ownStdioByMappedRoot(pid: number, owner: { uid: number; gid: number }): Promise<void> {
  for (const fd of [0, 1, 2]) {
    const p = `/proc/${pid}/fd/${fd}`;
    const target = await readlink(p).catch(() => '');
    if (!target.startsWith('pipe:') && !target.startsWith('/dev/pts/')) continue;
    await chown(p, owner.uid, owner.gid).catch((err: unknown) => log.with({ pid }).warn(`chown of the init's fd ${fd} for its user namespace failed`, err));
  }
}
