// The Runtime contract. lcr (src/runtime/lcr/, stock LXC 5) implements it now; the OCI family
// (runc/crun through conmon, src/runtime/oci/) later, without touching services.
// Monitors outlive the daemon: nothing here may depend on the daemon process staying alive.

export type OciSpec = Record<string, unknown> & {
  ociVersion: string;
  process?: Record<string, unknown>;
  root?: { path: string; readonly?: boolean };
  hostname?: string;
  mounts?: Array<{ destination: string; type?: string; source?: string; options?: string[] }>;
  linux?: Record<string, unknown>;
  annotations?: Record<string, string>;
};

export interface CreateOptions {
  id: string;
  spec: OciSpec; // root.path is the mounted rootfs
  /** json-file console log; the monitor side writes it so logs survive daemon restarts. */
  logPath: string;
  logMaxSize: number; // bytes; 0 = no rotation
  logMaxFile: number;
  /** keep a stdin FIFO open for the container (isula run -i / create -i) */
  openStdin: boolean;
  terminal: boolean;
}

export interface StartResult {
  pid: number;
  /** /proc/<pid>/stat field 22, to tell a live process from a recycled pid */
  startTime: string;
}

export interface ExitInfo {
  exitCode: number; // 128+N for a signal death
  finishedAt: string; // RFC 3339 nano
  oomKilled?: boolean;
}

export type RuntimeStatus =
  | { status: 'created' }
  | { status: 'running'; pid: number; startTime: string }
  | { status: 'paused'; pid: number; startTime: string }
  | { status: 'stopped'; exit: ExitInfo }
  | { status: 'unknown' };

/** Paths of the FIFOs a client (daemon io pump) can open to talk to the container's stdio. */
export interface StdioPaths {
  stdin?: string;
  stdout: string;
  stderr: string;
}

export interface Runtime {
  readonly name: string;
  create(opts: CreateOptions): Promise<void>;
  start(id: string): Promise<StartResult>;
  kill(id: string, signal: number): Promise<void>;
  pause(id: string): Promise<void>;
  resume(id: string): Promise<void>;
  /** Real state, reconciled from the monitor's files and /proc (never trusts a bare pid). */
  status(id: string): Promise<RuntimeStatus>;
  /** Called once per container exit, from the exit file written by the monitor. */
  onExit(listener: (id: string, exit: ExitInfo) => void): void;
  /** Forgets the container: runtime state dir, cgroups. Must be stopped. */
  delete(id: string): Promise<void>;
  /** Stops watching; leaves containers running. Idempotent. */
  close(): Promise<void>;
}
