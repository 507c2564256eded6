// The Runtime contract. lcr (src/runtime/lcr/, stock LXC 5) implements it now; the OCI family
// (runc/crun through conmon, src/runtime/oci/) later, without touching services.
// Monitors outlive the daemon: nothing here may depend on the daemon process staying alive.
// Lifecycle and file layout of the lcr driver: docs/container-lifecycle.md.
import type { Readable, Writable } from 'node:stream';
import type { Spec } from './oci-spec.ts';
import type { SyslogTarget } from './syslog.ts';

export type * from './oci-spec.ts';

/** The OCI runtime spec as src/spec builds it (containerSpec / buildSpec). */
export type OciSpec = Spec;

export interface CreateOptions {
  id: string;
  /** Built by src/spec (buildSpec). root.path is the mounted rootfs. */
  spec: OciSpec;
  /** json-file console log; the monitor side writes it so logs survive daemon restarts. */
  logPath: string;
  /**
   * 'cri': the Kubernetes CRI log format instead (`<RFC3339Nano> stdout|stderr F|P <text>`, one
   * line per record, P for a partial line). Written with open-append-close per record, so a file
   * renamed away by a log rotator is recreated by the next record (CRI ReopenContainerLog).
   * 'none': the output is dropped and nothing copies it (log driver none: the CRI's pause
   * container, which writes nothing); logPath stays an empty file.
   */
  logFormat?: 'json-file' | 'cri' | 'none';
  logMaxSize: number; // bytes; 0 = no rotation
  /** --log-driver syslog: each line also goes to syslog (syslog.ts) */
  syslog?: SyslogTarget;
  logMaxFile: number; // files kept including the live one (iSulad default 7)
  /** keep a stdin FIFO open for the container (isula run -i / create -i) */
  openStdin: boolean;
  /**
   * -t: the container gets a pty; stdout and stderr arrive merged on the stdout stream, with
   * the terminal's \r\n. lcr needs util-linux script(1) for it (not-implemented without).
   */
  terminal: boolean;
  /** --no-pivot: the runtime moves the rootfs onto / and chroots instead of pivot_root (OCI runtimes only) */
  noPivot?: boolean;
}

/**
 * stdinOnce (docker's StdinOnce, `isula run -i` with its stdin attached): the daemon's writer is
 * open on the stdin FIFO before the start (fifo-writer.ts openBridgedFifoWriter), so the monitor
 * keeps no writer of its own: when the daemon's writer closes, the container reads EOF. Without
 * it, the monitor holds a keeper (a writer) for the container's life: stdin stays open across
 * attaches and daemon restarts.
 */
export interface StartOptions {
  stdinOnce?: boolean;
}

export interface StartResult {
  pid: number;
  /** /proc/<pid>/stat field 22, to tell a live process from a recycled pid */
  startTime: string;
}

export interface ExitInfo {
  exitCode: number; // 128+N for a signal death; -1 when the monitor itself failed or vanished
  finishedAt: string; // RFC 3339 nano
  oomKilled?: boolean;
}

export type RuntimeStatus =
  | { status: 'created' }
  | { status: 'running'; pid: number; startTime: string }
  | { status: 'paused'; pid: number; startTime: string }
  | { status: 'stopped'; exit: ExitInfo }
  | { status: 'unknown' };

/**
 * Where the daemon's io pump talks to a container. Output is never a pipe to the daemon: the monitor
 * side writes the json-file log, and the daemon FOLLOWS that file (read to EOF, fs.watch, reopen
 * when the inode changes = rotation) to stream `run`/`attach` output. stdin is a FIFO that the
 * monitor keeps open for the container's lifetime; writers may come and go (no EOF is delivered).
 */
export interface StdioPaths {
  /** present when created with openStdin */
  stdin?: string;
  /** the json-file log ({"log","stream","time"} lines), rotated to <logPath>.1 … */
  logPath: string;
}

export interface StopOptions {
  /** signal number sent first (the image/--stop-signal, default SIGTERM=15) */
  signal: number;
  /** grace period before SIGKILL (isula stop -t, default 10 s) */
  timeoutMs: number;
}

/** Resource usage read from the container's cgroup (no tool spawned). */
export interface RuntimeStats {
  memoryUsage?: number; // bytes, page cache included
  memoryLimit?: number; // bytes; undefined = unlimited
  memoryInactiveFile?: number; // docker shows usage - inactive file
  cpuUsageNanos?: number;
  pidsCurrent?: number;
  pidsLimit?: number;
  memoryCache?: number; // bytes of page cache
  blkioRead?: number; // bytes
  blkioWrite?: number;
  /** the container's netns counters, loopback excluded (only while it runs) */
  netRx?: number;
  netTx?: number;
}

/** Optional ability (STYLE T3): find it with isStatsSource(runtime). */
export interface StatsSource {
  stats(id: string): Promise<RuntimeStats>;
}

export function isStatsSource(r: Runtime): r is Runtime & StatsSource {
  return typeof (r as Partial<StatsSource>).stats === 'function';
}

/**
 * Optional ability: a runtime whose monitor holds the container's log file open (conmon's
 * k8s-file) reopens it at its path on request, after the kubelet renamed it away
 * (CRI ReopenContainerLog). Runtimes whose writer opens the file per record need none.
 */
export interface LogReopener {
  reopenLog(id: string): Promise<void>;
}

export function isLogReopener(r: Runtime): r is Runtime & LogReopener {
  return typeof (r as Partial<LogReopener>).reopenLog === 'function';
}

/**
 * isula update: new cgroup limits (undefined = unchanged). Bytes for memory; memorySwap is
 * memory+swap as docker counts it; -1 (or 0 for pidsLimit/cpuQuota) = unlimited.
 */
export interface ResourceUpdate {
  memory?: number;
  memorySwap?: number;
  cpuShares?: number;
  cpuPeriod?: number;
  cpuQuota?: number;
  cpusetCpus?: string;
  pidsLimit?: number;
  cpusetMems?: string;
  /** soft limit in bytes (v1 memory.soft_limit_in_bytes, v2 memory.low); -1 = none */
  memoryReservation?: number;
  /** v1 memory.kmem.limit_in_bytes (a stopped container only; the service refuses it live) */
  kernelMemory?: number;
  /** 10..1000 */
  blkioWeight?: number;
  cpuRtPeriod?: number;
  cpuRtRuntime?: number;
}

/**
 * Optional ability: change a container's limits, live in its cgroup when it runs and in the
 * runtime's config for the next start. All or nothing: a refused value leaves the old ones.
 */
export interface ResourceUpdater {
  updateResources(id: string, r: ResourceUpdate): Promise<void>;
}

export function isResourceUpdater(r: Runtime): r is Runtime & ResourceUpdater {
  return typeof (r as Partial<ResourceUpdater>).updateResources === 'function';
}

/**
 * Optional ability: a writer into a created-with-stdin container's stdin, for runtimes whose stdin
 * is not (always) a FIFO path (an OCI -t container: conmon's attach socket). Ending the writer
 * leaves the container's stdin open, as with the FIFO.
 */
export interface StdinOpener {
  openStdin(id: string): Writable;
}

export function isStdinOpener(r: Runtime): r is Runtime & StdinOpener {
  return typeof (r as Partial<StdinOpener>).openStdin === 'function';
}

/**
 * Optional ability: make the log writer emit a line the container has only partly written (no
 * newline yet) as a partial record, for a follower (attach) to see it now. Best effort, cheap,
 * sync; a runtime whose writer is byte-based (conmon) needs none.
 */
export interface OutputFlusher {
  flushOutput(id: string): void;
}

export function isOutputFlusher(r: Runtime): r is Runtime & OutputFlusher {
  return typeof (r as Partial<OutputFlusher>).flushOutput === 'function';
}

/** Optional ability: terminal (-t) window size. Find it with isResizable(runtime). */
export interface Resizable {
  resize(id: string, size: { rows: number; cols: number }): Promise<void>;
}

export function isResizable(r: Runtime): r is Runtime & Resizable {
  return typeof (r as Partial<Resizable>).resize === 'function';
}

export interface Runtime {
  readonly name: string;
  /** Writes the runtime's config for the container. Fails with already-exists for a known id. */
  create(opts: CreateOptions): Promise<void>;
  /** Spawns the detached monitor and returns once the init process runs. */
  start(id: string, opts?: StartOptions): Promise<StartResult>;
  /** Signals the container's init (signal number). failed-precondition when not running. */
  kill(id: string, signal: number): Promise<void>;
  /** signal, wait up to timeoutMs, then force-kill; resolves with the recorded exit. No-op on a stopped container. */
  stop(id: string, opts: StopOptions): Promise<ExitInfo>;
  pause(id: string): Promise<void>;
  resume(id: string): Promise<void>;
  /** Real state, reconciled from the monitor's files and /proc (never trusts a bare pid). */
  status(id: string): Promise<RuntimeStatus>;
  /** stdin FIFO and log file of a created container (see StdioPaths for how to follow output). */
  stdio(id: string): StdioPaths;
  /**
   * Called for each container exit, from the exit file written by the monitor: once per exit per
   * runtime object. Exits that happened while nobody watched (daemon down) are delivered after the
   * first onExit registration (rescan), so across daemon restarts delivery is at-least-once:
   * compare with the recorded state (e.g. finishedAt) before acting.
   */
  onExit(listener: (id: string, exit: ExitInfo) => void): void;
  /** Forgets the container: runtime state dir, cgroups. Must be stopped (conflict otherwise). */
  delete(id: string): Promise<void>;
  /**
   * Optional: every id the runtime keeps state or config for, so restore can free those whose
   * create never committed a record. delete(id) must then free such an id's state too.
   */
  ids?(): Promise<string[]>;
  /** Stops watching; leaves containers running. Idempotent. */
  close(): Promise<void>;
}

/** A process to run inside a running container (isula exec). Env is complete: nothing is inherited. */
export interface ExecOptions {
  args: string[];
  /** K=V, the whole environment of the process */
  env: string[];
  uid: number;
  gid: number;
  /**
   * supplementary groups of the process (the user's groups from the container's /etc/group,
   * --group-add, the primary gid, as iSulad); undefined = the container's own when the exec runs
   * as the container's user, else none
   */
  additionalGids?: number[];
  /** absolute path inside the container; undefined or "/" = the root */
  cwd?: string;
  /** a pty for the process (stdout and stderr merged on stdout, with the terminal's \r\n) */
  tty: boolean;
  /** give the process a stdin stream (else it reads /dev/null) */
  stdin: boolean;
  /** initial terminal size with tty */
  size?: { rows: number; cols: number };
  /** not tied to the daemon's streams: output is discarded, the process may outlive the caller */
  detach?: boolean;
  /** every capability the host can grant instead of the container's (isula exec --privileged) */
  privileged?: boolean;
}

/** A running exec. It is the daemon's child and does not survive a daemon restart. */
export interface ExecProcess {
  pid: number;
  stdin: Writable | null;
  stdout: Readable | null;
  stderr: Readable | null;
  /** the process's exit code (128+N for a signal death) */
  exit: Promise<number>;
  resize(size: { rows: number; cols: number }): Promise<void>;
  kill(signal: NodeJS.Signals): void;
}

/** Optional ability: run a process inside a running container. Find it with isExecutor(runtime). */
export interface Executor {
  exec(id: string, opts: ExecOptions): Promise<ExecProcess>;
}

export function isExecutor(r: Runtime): r is Runtime & Executor {
  return typeof (r as Partial<Executor>).exec === 'function';
}

/** Optional ability: the host pids of every process in the container (its cgroup). */
export interface ProcessLister {
  pids(id: string): Promise<number[]>;
}

export function isProcessLister(r: Runtime): r is Runtime & ProcessLister {
  return typeof (r as Partial<ProcessLister>).pids === 'function';
}
