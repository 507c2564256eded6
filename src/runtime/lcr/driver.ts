// The lcr Runtime: stock LXC 5 driven through its tools, one detached sh monitor per container
// (monitor-script.ts), exit files watched by the daemon. Lifecycle: docs/container-lifecycle.md.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, constants as fsc, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { chown, mkdir, readdir, readFile, readlink, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { ResourceUpdate, ResourceUpdater } from '../runtime.ts';
import type { CreateOptions, OciSpec, ExecOptions, ExecProcess, Executor, ExitInfo, OutputFlusher, ProcessLister, Resizable, Runtime, RuntimeStats, RuntimeStatus, StartOptions, StartResult, StatsSource, StdioPaths, StopOptions } from '../runtime.ts';
import type { CgroupLayout } from '../../cgroups/hierarchy.ts';
import { readCgroupLayout, controllerDir } from '../../cgroups/hierarchy.ts';
import { killAndRemoveCgroup } from '../../cgroups/cleanup.ts';
import { readCgroupStats } from '../../cgroups/stats.ts';
import { limitsFromConfig, rewriteLxcConfig, writeLxcConfigAtomically } from './update.ts';
import { applyCgroupWrites, checkCpusetOnline, currentValues, planCgroupWrites } from '../cgroup-writes.ts';
import { readCgroupProcs } from '../../cgroups/procs.ts';
import { execInLcr } from './exec.ts';
import { shQuote } from '../exec-child.ts';
import { liveInit, signalInit, stopWithGrace } from '../stop.ts';
import { readNetCounters } from '../../cgroups/proc-usage.ts';
import { alreadyExists, conflict, errnoCode, failedPrecondition, internal, notFound, notImplemented, wrap } from '../../util/errors.ts';
import { log } from '../../util/log.ts';
import { stopSignalOf } from '../../util/signals.ts';
import { lxcConfigFromSpec, mountsForEntries } from './lxc-config.ts';
import { placeMountTargets, recheckMountTargets } from './mount-targets.ts';
import type { MountPlan } from './mount-targets.ts';
import type { LxcContext } from './lxc-config.ts';
import { lxcSeccompFromOci } from './lxc-seccomp.ts';
import { LOG_AWK, MONITOR_SH } from './monitor-script.ts';
import { readProcStat } from '../proc.ts';
import { runTool } from '../tools.ts';
import { clockBase, detectAwk, detectScript, detectShell, hasSwapAccounting, hostBoundingCaps } from '../host.ts';
import type { LcrPaths } from './layout.ts';
import { readEmbeddedAsset } from '../../util/embedded-assets.ts';
import { devScratchMount, exitsDir, files, HELPER_ASSET, helperPath, logAwk, monitorScript, rootfsMount } from './layout.ts';
import { ExitDelivery } from '../exit-delivery.ts';
import type { ExitRecord } from '../exit-delivery.ts';
import { reconcileStatus } from './status.ts';
import type { StatusDeps } from './status.ts';
import { hookScript, ociState, runHook } from './hooks.ts';
import type { Hook } from '../oci-spec.ts';
import { checkId, readExitFile, readJson, writeAtomic } from '../state-files.ts';
import { waitStarted } from './wait-started.ts';
import { syslogEnv, type SyslogTarget } from '../syslog.ts';

export interface LcrOptions {
  /**
   * LXC's lxcpath: <lxcPath>/<id>/config. The daemon puts it in the state dir (tmpfs): the config
   * is made again from the container's record when a start finds it gone (layout.ts).
   */
  lxcPath: string;
  /** persistent and exec-able: the lcr helper (default lxcPath); older builds kept <id>/ dirs here too */
  helperDir?: string;
  /** runtime state: monitors, exit files, FIFOs (tmpfs, like /var/run/isulad/lcr) */
  stateDir: string;
  /** cgroup parent used when a spec has no cgroupsPath (e.g. "isulad") */
  cgroupParent: string;
  /** how long start waits for the init pid (iSulad's start-timeout is 2 min) */
  startTimeoutMs?: number;
  /** log copier command; default: busybox awk, else mawk -W interactive */
  awk?: string;
}

/** What create records for start (the spec itself is only needed to write the config). */
interface Meta {
  id: string;
  args: string[];
  logPath: string;
  logMaxSize: number;
  logMaxFile: number;
  logFormat?: 'json-file' | 'cri' | 'none';
  /** --log-driver syslog */
  syslog?: SyslogTarget;
  openStdin: boolean;
  cgroupsPath: string;
  stopSignal: number;
  terminal?: boolean;
  /** the rootfs and the mount points the daemon made in it (checked again before each start) */
  rootfs?: string;
  made?: MountPlan['made'];
  /** OCI poststart hooks (--hook-spec): run by start() once the init runs */
  poststart?: Hook[];
  /** the container's user: an exec as that user keeps its supplementary groups */
  user?: { uid: number; gid: number; groups: number[] };
}




function pathKind(p: string): 'dir' | 'file' | 'missing' {
  try {
    // sync on purpose: lxcConfigFromSpec is pure and calls this a handful of times at create
    const st = statSync(p);
    return st.isDirectory() ? 'dir' : 'file';
  } catch {
    return 'missing';
  }
}

export class LcrRuntime implements Runtime, StatsSource, ResourceUpdater, Resizable, Executor, ProcessLister, OutputFlusher {
  readonly name = 'lcr';
  readonly #paths: LcrPaths;
  readonly #opts: LcrOptions;
  readonly #layout: CgroupLayout;
  readonly #awk: string;
  readonly #shell: string[];
  readonly #script: string | undefined;
  readonly #hostCaps: string[];
  readonly #swap: boolean;
  readonly #status: StatusDeps;
  readonly #exits: ExitDelivery;
  readonly #helper: string | undefined;

  /** host: facts read once by createLcrRuntime, and the paths it derived from opts and prepared */
  constructor(opts: LcrOptions, host: { paths: LcrPaths; layout: CgroupLayout; awk: string; shell: string[]; script: string | undefined; hostCaps: string[]; swap: boolean; helper?: string | undefined }) {
    this.#opts = opts;
    this.#paths = host.paths;
    this.#status = { paths: host.paths, layout: host.layout, startTimeoutMs: opts.startTimeoutMs ?? 120_000 };
    this.#exits = new ExitDelivery({ dir: exitsDir(host.paths), read: (id) => this.#readExit(id), reconcile: () => this.#reconcileAll() });
    this.#layout = host.layout;
    this.#awk = host.awk;
    this.#shell = host.shell;
    this.#script = host.script;
    this.#hostCaps = host.hostCaps;
    this.#swap = host.swap;
    this.#helper = host.helper;
  }

  async create(o: CreateOptions): Promise<void> {
    const f = files(this.#paths, o.id);
    // the caller's spec is left as it was: the driver's additions go on a copy
    const cgroupsPath = o.spec.linux.cgroupsPath ?? `/${this.#opts.cgroupParent}/${o.id}`;
    const spec: OciSpec = {
      ...o.spec,
      process: o.terminal ? { ...o.spec.process, terminal: true } : o.spec.process,
      linux: { ...o.spec.linux, cgroupsPath },
    };
    if (spec.process.terminal && this.#script === undefined) throw notImplemented('lcr: terminal (-t) needs util-linux script(1), not found');
    // mount points are made by the daemon under the rootfs, never by LXC through an image link
    const plan = await placeMountTargets(spec, mountsForEntries(spec), pathKind);
    const ctx: LxcContext = {
      plan,
      rootfsMount: rootfsMount(this.#paths),
      devScratchMount: devScratchMount(this.#paths),
      seccompPath: f.seccomp,
      monitorCgroup: `${cgroupsPath.replace(/\/[^/]+$/, '')}.monitor/${o.id}`,
      cgroupVersion: this.#layout.version,
      swapAccounting: this.#swap,
      hostCaps: this.#hostCaps,
      pathKind,
      haltSignal: stopSignalOf(spec),
      oom: this.#oomWitness(cgroupsPath, f.oom),
      ...(this.#helper !== undefined ? { helper: this.#helper } : {}),
      ...(spec.hooks ? {
        hookScripts: {
          prestart: (spec.hooks.prestart ?? []).map((_, i) => `${f.lxcDir}/hook-prestart-${i}.sh`),
          poststop: (spec.hooks.poststop ?? []).map((_, i) => `${f.lxcDir}/hook-poststop-${i}.sh`),
        },
      } : {}),
    };
    const config = lxcConfigFromSpec(spec, ctx); // validates before anything is written
    if (spec.process.args.length === 0) throw failedPrecondition(`create container "${o.id}": no command`);
    try {
      await mkdir(f.stateDir);
    } catch (err) {
      if (errnoCode(err) === 'EEXIST') throw alreadyExists(`container "${o.id}" already exists in runtime lcr`);
      throw wrap(err, `create container "${o.id}"`);
    }
    const undo: Array<() => Promise<unknown>> = [() => rm(f.stateDir, { recursive: true, force: true })];
    try {
      await mkdir(f.lxcDir, { recursive: true });
      // the copiers cannot create directories; a missing one would kill them (and the output)
      await mkdir(dirname(o.logPath), { recursive: true });
      undo.push(() => rm(f.lxcDir, { recursive: true, force: true }));
      if (spec.linux.seccomp) await writeFile(f.seccomp, lxcSeccompFromOci(spec.linux.seccomp));
      for (const [kind, status] of [['prestart', 'created'], ['poststop', 'stopped']] as const) {
        for (const [i, h] of (spec.hooks?.[kind] ?? []).entries()) await writeFile(`${f.lxcDir}/hook-${kind}-${i}.sh`, hookScript(h, status, f.lxcDir), { mode: 0o700 });
      }
      await writeFile(f.config, config);
      // The output FIFOs are made by the monitor on its first start (a fork of a small sh costs
      // ~1 ms, a spawn from the daemon 10-20 ms: `isula run` paid it on every run). stdin.fifo
      // is made here: an attach may open it before the first start.
      if (o.openStdin) await runTool('mkfifo', ['-m', '0600', f.stdin]);
      if (o.logFormat !== 'none') await ownFifosByMappedRoot(spec, f, o.openStdin); // 'none': the monitor makes no FIFOs
      const meta: Meta = {
        id: o.id,
        args: spec.process.args,
        logPath: o.logPath,
        logMaxSize: o.logMaxSize,
        logMaxFile: o.logMaxFile,
        ...(o.logFormat === 'cri' || o.logFormat === 'none' ? { logFormat: o.logFormat } : {}),
        ...(o.syslog ? { syslog: o.syslog } : {}),
        openStdin: o.openStdin,
        cgroupsPath,
        stopSignal: stopSignalOf(spec),
        terminal: spec.process.terminal,
        rootfs: spec.root.path,
        made: plan.made,
        ...(spec.hooks?.poststart?.length ? { poststart: spec.hooks.poststart } : {}),
        user: { uid: spec.process.user.uid, gid: spec.process.user.gid, groups: spec.process.user.additionalGids ?? [] },
      };
      await writeFile(f.meta, JSON.stringify(meta));
    } catch (err) {
      for (const u of undo.reverse()) await u().catch(() => undefined);
      throw wrap(err, `create container "${o.id}"`);
    }
  }

  #oomWitness(cgroupsPath: string, recordPath: string): LxcContext['oom'] {
    const dir = controllerDir(this.#layout, 'memory', cgroupsPath);
    if (dir === undefined) return undefined;
    return { eventsFile: `${dir}/${this.#layout.version === 'v1' ? 'memory.oom_control' : 'memory.events'}`, recordPath };
  }

  async #meta(id: string): Promise<Meta> {
    const m = await readJson<Meta>(files(this.#paths, id).meta);
    if (m === undefined) throw notFound(`no such container "${id}" in runtime lcr`);
    return m;
  }

  async start(id: string, opts: StartOptions = {}): Promise<StartResult> {
    const meta = await this.#meta(id);
    const f = files(this.#paths, id);
    const st = await this.status(id);
    if (st.status === 'running' || st.status === 'paused') throw conflict(`container "${id}" is already running`);
    if (!(await stat(f.config).then(() => true, () => false))) {
      // state left by a build that kept the LXC config elsewhere: the caller makes it again
      await this.delete(id);
      throw notFound(`no LXC config for container "${id}" in runtime lcr`);
    }
    // independent preparations in parallel: each async fs call waits for a threadpool slot
    const [busy, clock, monitorBusy] = await Promise.all([
      killAndRemoveCgroup(this.#layout, meta.cgroupsPath),
      clockBase(),
      // a monitor killed with SIGKILL leaves its cgroup behind, and lxc-start refuses to start in
      // an existing one ("Failed to create monitor cgroup", iSulad CI lcr_bigdata_stream.sh)
      killAndRemoveCgroup(this.#layout, `${meta.cgroupsPath.replace(/\/[^/]+$/, '')}.monitor/${id}`),
      rm(f.exit, { force: true }),
      rm(f.init, { force: true }),
      rm(f.oom, { force: true }),
      // an old monitor file would make a start cut short here look like the old run's end
      rm(f.monitor, { force: true }),
      mkdir(exitsDir(this.#paths), { recursive: true }),
    ]);
    if (busy.length > 0 || monitorBusy.length > 0) throw failedPrecondition(`stale cgroup still has tasks: ${busy[0] ?? monitorBusy[0]}`);
    if (meta.rootfs !== undefined && meta.made !== undefined) await recheckMountTargets(meta.rootfs, meta.made);
    // the driver owns lxc.log's truncation so it can read it from offset 0 while LXC writes
    const lxcLogFd = openSync(f.lxcLog, 'w+');
    const logFd = openSync(f.monitorLog, 'a');
    const flush = `lcr-flush-${randomBytes(12).toString('hex')}`;
    let pid: number | undefined;
    try {
      const [shell = '/bin/sh', ...shellArgs] = this.#shell;
      const child = spawn(shell, [...shellArgs, monitorScript(this.#paths), 'run', f.stateDir, this.#paths.lxcPath, id, '--', ...meta.args], {
        detached: true, // setsid: the monitor survives the daemon and its process group
        stdio: ['ignore', logFd, logFd],
        cwd: f.stateDir,
        env: {
          PATH: process.env.PATH ?? '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
          LCR_EXIT: f.exit,
          LCR_AWK: this.#awk,
          LCR_AWK_PROG: logAwk(this.#paths),
          LOG_PATH: meta.logPath,
          LOG_MAX: String(meta.logMaxSize),
          LOG_FILES: String(meta.logMaxFile),
          LOG_FORMAT: meta.logFormat ?? 'json-file',
          ...syslogEnv(meta.syslog),
          LCR_CLOCK_BASE: String(clock),
          LCR_EOF: `lcr-eof-${randomBytes(16).toString('hex')}`,
          LCR_FLUSH: flush,
          ...(opts.stdinOnce === true && meta.openStdin ? { LCR_STDIN_ONCE: '1' } : {}),
          ...(meta.terminal
            ? { LCR_TTY_CMD: ['lxc-start', '-F', '-q', '-C', '-n', id, '-P', this.#paths.lxcPath, '-o', 'lxc.log', '-l', 'INFO', '--', ...meta.args].map(shQuote).join(' ') }
            : {}),
        },
      });
      child.on('error', (err) => log.with({ container: id }).error(err, 'monitor spawn failed'));
      child.unref();
      pid = child.pid;
    } finally {
      closeSync(logFd);
    }
    try {
      if (pid === undefined) throw internal(`cannot spawn ${this.#shell.join(' ')}`);
      const mst = await readProcStat(pid);
      // the flush marker rides in the monitor file: a restarted daemon flushes with it too, and a
      // monitor of an older daemon (no third field) is never sent one
      await writeAtomic(f.monitor, `${pid} ${mst?.startTime ?? ''} ${flush}\n`);
      const res = await waitStarted({ id, paths: this.#paths, monitorPid: pid, logFd: lxcLogFd, timeoutMs: this.#status.startTimeoutMs });
      // OCI: a failing poststart hook is logged, the container keeps running
      for (const h of meta.poststart ?? []) {
        const r = await runHook(h, ociState(id, 'running', res.pid, f.lxcDir));
        if (r.code !== 0) log.with({ container: id }).warn(`poststart hook ${h.path} failed (${r.code}): ${r.stderr.trim()}`);
      }
      return res;
    } finally {
      closeSync(lxcLogFd);
    }
  }

  /**
   * A partly written line reaches the log now: the marker line goes into both output FIFOs and
   * the copier (line-based awk) emits what precedes it on its line as a partial record and drops
   * the marker. The write is one atomic pipe write, non-blocking (a full pipe has data for the
   * copier anyway; no reader = no running monitor: nothing to do).
   */
  flushOutput(id: string): void {
    const f = files(this.#paths, id);
    let token: string | undefined;
    try {
      token = readFileSync(f.monitor, 'utf8').trim().split(' ')[2];
    } catch {
      return;
    }
    if (token === undefined || !/^lcr-flush-[0-9a-f]+$/.test(token)) return;
    for (const fifo of [f.outFifo, f.errFifo]) {
      let fd: number | undefined;
      try {
        fd = openSync(fifo, fsc.O_WRONLY | fsc.O_NONBLOCK);
        writeSync(fd, `${token}\n`);
      } catch {
        // no reader, or a full pipe
      } finally {
        if (fd !== undefined) closeSync(fd);
      }
    }
  }

  async status(id: string): Promise<RuntimeStatus> {
    const meta = await this.#meta(id);
    return reconcileStatus(this.#status, id, meta.cgroupsPath);
  }

  stdio(id: string): StdioPaths {
    const f = files(this.#paths, id);
    let m: Meta;
    try {
      m = JSON.parse(readFileSync(f.meta, 'utf8')) as Meta; // sync: one small file, keeps the contract simple
    } catch (err) {
      if (errnoCode(err) === 'ENOENT') throw notFound(`no such container "${id}" in runtime lcr`);
      throw wrap(err, `read state of container "${id}"`);
    }
    return { ...(m.openStdin ? { stdin: f.stdin } : {}), logPath: m.logPath };
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
      forceKill: () =>
        runTool('lxc-stop', ['-k', '-n', id, '-P', this.#paths.lxcPath]).then(
          () => undefined,
          async (err: unknown) => {
            log.with({ container: id }).warn('lxc-stop -k failed, killing init', err);
            await this.kill(id, 9).catch(() => undefined);
          },
        ),
    });
  }

  async pause(id: string): Promise<void> {
    const { paused } = await this.#running(id);
    if (paused) throw failedPrecondition(`container "${id}" is already paused`);
    await runTool('lxc-freeze', ['-n', id, '-P', this.#paths.lxcPath], { kind: 'failed-precondition' });
  }

  async resume(id: string): Promise<void> {
    const { paused } = await this.#running(id);
    if (!paused) throw failedPrecondition(`container "${id}" is not paused`);
    await runTool('lxc-unfreeze', ['-n', id, '-P', this.#paths.lxcPath], { kind: 'failed-precondition' });
  }

  onExit(listener: (id: string, exit: ExitInfo) => void): void {
    this.#exits.subscribe(listener);
  }

  /** At watch start: containers whose monitor vanished while nobody watched get their -1 exit. */
  async #reconcileAll(): Promise<void> {
    const names = await readdir(this.#paths.stateDir).catch(() => [] as string[]);
    for (const n of names) {
      if (n === 'exits' || n.startsWith('.') || n.startsWith('lcr-')) continue;
      await this.status(n).catch(() => undefined);
    }
  }

  /** The exit recorded for id, if id is (still) an lcr container: a stray file in exits/ is none. */
  async #readExit(id: string): Promise<ExitRecord | undefined> {
    let f;
    try {
      f = files(this.#paths, id);
    } catch {
      return undefined;
    }
    const exit = await readExitFile(f.exit, f.oom);
    if (exit === undefined || (await readJson<Meta>(f.meta).catch(() => undefined)) === undefined) return undefined;
    return exit;
  }

  async stats(id: string): Promise<RuntimeStats> {
    const meta = await this.#meta(id);
    const { frozen: _frozen, oomKills: _oom, ...s } = await readCgroupStats(this.#layout, meta.cgroupsPath);
    const st = await this.status(id);
    const net = st.status === 'running' || st.status === 'paused' ? await readNetCounters(st.pid) : undefined;
    return net ? { ...s, netRx: net.rxBytes, netTx: net.txBytes } : s;
  }

  /** isula update: cgroup files first when running (all or nothing), then the LXC config. */
  async updateResources(id: string, r: ResourceUpdate): Promise<void> {
    const meta = await this.#meta(id);
    const configPath = files(this.#paths, id).config;
    const config = await readFile(configPath, 'utf8');
    const version = this.#layout.version;
    const writes = planCgroupWrites(version, r, limitsFromConfig(config, version), this.#swap);
    if (writes.length === 0) return;
    const st = await this.status(id);
    const live = st.status === 'running' || st.status === 'paused';
    if (!live && r.cpusetCpus !== undefined) checkCpusetOnline(r.cpusetCpus, await readFile('/sys/devices/system/cpu/online', 'utf8'));
    const undo = live ? await currentValues(this.#layout, meta.cgroupsPath, writes) : [];
    if (live) await applyCgroupWrites(this.#layout, meta.cgroupsPath, writes);
    try {
      await writeLxcConfigAtomically(configPath, rewriteLxcConfig(config, version, writes));
    } catch (err) {
      if (live) await applyCgroupWrites(this.#layout, meta.cgroupsPath, undo).catch(() => undefined);
      throw wrap(err, `update container "${id}": write its LXC config`);
    }
  }

  /** -t window size: set it on lxc-start's terminal (script's pty); lxc-start passes it on. */
  async resize(id: string, size: { rows: number; cols: number }): Promise<void> {
    const meta = await this.#meta(id);
    if (!meta.terminal) throw failedPrecondition(`container "${id}" has no terminal`);
    const { pid } = await this.#running(id);
    const lxcStart = (await readProcStat(pid))?.ppid;
    if (lxcStart === undefined) throw failedPrecondition(`container "${id}" is not running`);
    const pty = await readlink(`/proc/${lxcStart}/fd/0`);
    if (!pty.startsWith('/dev/pts/')) throw internal(`resize container "${id}": lxc-start has no terminal (${pty})`);
    await runTool('stty', ['-F', pty, 'rows', String(size.rows), 'cols', String(size.cols)]);
    process.kill(lxcStart, 'SIGWINCH');
  }

  /** isula exec: lxc-attach (exec.ts); refused unless the container runs and is not frozen. */
  async exec(id: string, opts: ExecOptions): Promise<ExecProcess> {
    const { pid, paused } = await this.#running(id);
    if (paused) throw failedPrecondition(`container "${id}" is paused`);
    const user = (await this.#meta(id)).user;
    return execInLcr(id, opts, {
      lxcPath: this.#paths.lxcPath,
      script: this.#script,
      initPid: pid,
      ...(user ? { user } : {}),
      ...(this.#helper !== undefined ? { helper: this.#helper } : {}),
    });
  }

  /** isula top: the container cgroup's processes. */
  async pids(id: string): Promise<number[]> {
    const meta = await this.#meta(id);
    return readCgroupProcs(this.#layout, meta.cgroupsPath);
  }

  async delete(id: string): Promise<void> {
    const f0 = files(this.#paths, id);
    const meta = await readJson<Meta>(f0.meta);
    if (meta === undefined) {
      // no create.json: a create cut short (it is written last), so nothing was ever started;
      // its dirs are removed all the same, or they would stay forever
      const had = (await Promise.all([f0.lxcDir, f0.stateDir].map((p) => stat(p).then(() => true, () => false)))).some(Boolean);
      await killAndRemoveCgroup(this.#layout, `/${this.#opts.cgroupParent}/${id}`).catch(() => undefined);
      await rm(f0.lxcDir, { recursive: true, force: true });
      await rm(f0.stateDir, { recursive: true, force: true });
      // last: a status() racing this removal may record a -1 exit until the state dir is gone
      await rm(f0.exit, { force: true });
      await this.#rmLegacyDir(id);
      await rm(f0.lxcLock, { force: true });
      if (!had) throw notFound(`no such container "${id}" in runtime lcr`);
      return;
    }
    const st = await this.status(id);
    if (st.status === 'running' || st.status === 'paused') throw conflict(`container "${id}" is running: stop it before removing`);
    const f = files(this.#paths, id);
    const busy = [
      ...(await killAndRemoveCgroup(this.#layout, meta.cgroupsPath)),
      ...(await killAndRemoveCgroup(this.#layout, `${meta.cgroupsPath.replace(/\/[^/]+$/, '')}.monitor/${id}`)),
    ];
    if (busy.length > 0) throw failedPrecondition(`delete container "${id}": cgroup still has tasks: ${busy[0]}`);
    await rm(f.lxcDir, { recursive: true, force: true });
    await rm(f.stateDir, { recursive: true, force: true });
    // last: a status() racing this removal may record a -1 exit until the state dir is gone
    // (a kill storm left such an exit file behind when it went first)
    await rm(f.exit, { force: true });
    await this.#rmLegacyDir(id);
    // one empty file per container ever started, in a tmpfs: unbounded on a long-lived board
    await rm(f.lxcLock, { force: true });
    this.#exits.forget(id);
  }

  /** An <id>/ dir an older build left beside the helper (its config, when lxcPath was there). */
  async #rmLegacyDir(id: string): Promise<void> {
    const h = this.#paths.helperDir;
    if (h !== undefined && h !== this.#paths.lxcPath) await rm(join(h, checkId(id)), { recursive: true, force: true });
  }

  /** Ids the driver holds any state or config for (restore frees those without a record). */
  async ids(): Promise<string[]> {
    const names = new Set<string>();
    // exits/ too: a kill between removing a container's state dir and its exit file leaves one
    for (const dir of new Set([this.#paths.lxcPath, this.#paths.stateDir, this.#paths.helperDir ?? this.#paths.lxcPath, exitsDir(this.#paths)])) {
      for (const n of await readdir(dir).catch(() => [] as string[])) if (/^[0-9a-f]{64}$/.test(n)) names.add(n);
    }
    return [...names];
  }

  async close(): Promise<void> {
    this.#exits.close();
  }
}

/** Writes a file only when its content differs (the monitor script is shared by running monitors). */
async function writeIfChanged(path: string, text: string): Promise<void> {
  const cur = await readFile(path, 'utf8').catch(() => undefined);
  if (cur !== text) await writeAtomic(path, text);
}

/**
 * The lcr helper (rootfs-fixtures/lcr-helper: supplementary groups for exec, rshared binds),
 * embedded in the executable for its arch, is written to helperDir (persistent; not the state dir:
 * a tmpfs there may be noexec). Undefined when this build carries none.
 */
async function writeHelper(paths: LcrPaths): Promise<string | undefined> {
  const bytes = readEmbeddedAsset(HELPER_ASSET);
  if (bytes === undefined) return undefined;
  const path = helperPath(paths);
  const cur = await readFile(path).catch(() => undefined);
  if (cur === undefined || !cur.equals(bytes)) {
    // a new inode (rename), never a rewrite in place: an exec may be running the old one
    await writeFile(`${path}.tmp`, bytes, { mode: 0o700 });
    await rename(`${path}.tmp`, path);
  }
  return path;
}

/** The factory the daemon wiring calls. Prepares the state dir and reads host facts once. */
export async function createLcrRuntime(opts: LcrOptions): Promise<Runtime> {
  const paths: LcrPaths = { lxcPath: opts.lxcPath, stateDir: opts.stateDir, ...(opts.helperDir !== undefined ? { helperDir: opts.helperDir } : {}) };
  await mkdir(opts.lxcPath, { recursive: true });
  if (opts.helperDir !== undefined) await mkdir(opts.helperDir, { recursive: true });
  await mkdir(exitsDir(paths), { recursive: true });
  await mkdir(rootfsMount(paths), { recursive: true });
  await mkdir(devScratchMount(paths), { recursive: true });
  await writeIfChanged(monitorScript(paths), MONITOR_SH);
  await writeIfChanged(logAwk(paths), LOG_AWK);
  const helper = await writeHelper(paths);
  const [layout, awk, shell, script, hostCaps] = await Promise.all([readCgroupLayout(), opts.awk ?? detectAwk(), detectShell(), detectScript(), hostBoundingCaps()]);
  const swap = await hasSwapAccounting(layout);
  return new LcrRuntime(opts, { paths, layout, awk, shell, script, hostCaps, swap, helper });
}

/**
 * A user namespace's root (the host id its 0 maps to) reopens its stdio by path (/dev/stdout is
 * /proc/self/fd/1, a FIFO of the state dir): the FIFOs are made here, not by the monitor, and
 * are that root's. LXC itself only tries to fchown the fds ("Failed to ajust stdio permissions").
 */
async function ownFifosByMappedRoot(spec: OciSpec, f: ReturnType<typeof files>, stdin: boolean): Promise<void> {
  const rootOf = (ms: Array<{ containerID: number; hostID: number }> | undefined) => ms?.find((m) => m.containerID === 0)?.hostID;
  if (!spec.linux.namespaces.some((n) => n.type === 'user')) return;
  const uid = rootOf(spec.linux.uidMappings);
  const gid = rootOf(spec.linux.gidMappings);
  if (uid === undefined || gid === undefined) return;
  await runTool('mkfifo', ['-m', '0600', f.outFifo, f.errFifo]);
  for (const p of [f.outFifo, f.errFifo, ...(stdin ? [f.stdin] : [])]) await chown(p, uid, gid);
}
