// Typed OCI runtime spec (runtime-spec 1.0.2, the parts this engine writes). Type-only and low in
// the layers: src/spec builds it, runtime drivers consume it, neither imports the other's code.

export interface LinuxCapabilities {
  bounding: string[];
  effective: string[];
  permitted: string[];
  inheritable?: string[];
  ambient?: string[];
}

export interface PosixRlimit {
  type: string; // RLIMIT_NOFILE …
  hard: number;
  soft: number;
}

export interface User {
  uid: number;
  gid: number;
  additionalGids?: number[];
  umask?: number;
  username?: string; // informational (not in OCI); the name the user asked for
}

export interface Process {
  terminal: boolean;
  user: User;
  args: string[];
  env: string[];
  cwd: string;
  capabilities: LinuxCapabilities;
  rlimits: PosixRlimit[];
  noNewPrivileges: boolean;
  oomScoreAdj?: number;
  apparmorProfile?: string;
  /** initial terminal size, set before the process runs (OCI runtimes) */
  consoleSize?: { height: number; width: number };
}

export interface SpecMount {
  destination: string;
  type: string;
  source: string;
  options: string[];
}

export interface Namespace {
  type: 'pid' | 'network' | 'ipc' | 'uts' | 'mount' | 'cgroup' | 'user';
  path?: string;
}

export interface DeviceRule {
  allow: boolean;
  type?: 'a' | 'c' | 'b';
  major?: number;
  minor?: number;
  access?: string;
}

export interface LinuxDevice {
  path: string; // inside the container
  type: 'c' | 'b' | 'p' | 'u';
  major: number;
  minor: number;
  fileMode?: number;
  uid?: number;
  gid?: number;
  hostPath?: string; // not OCI: where the node lives on the host (lcr bind-mounts it)
}

export interface BlockIODevice {
  major: number;
  minor: number;
}

export interface Resources {
  devices: DeviceRule[];
  memory?: { limit?: number; reservation?: number; swap?: number; swappiness?: number; kernel?: number; disableOOMKiller?: boolean };
  cpu?: { shares?: number; quota?: number; period?: number; realtimeRuntime?: number; realtimePeriod?: number; cpus?: string; mems?: string };
  pids?: { limit: number };
  blockIO?: {
    weight?: number;
    weightDevice?: Array<BlockIODevice & { weight: number }>;
    throttleReadBpsDevice?: Array<BlockIODevice & { rate: number }>;
    throttleWriteBpsDevice?: Array<BlockIODevice & { rate: number }>;
    throttleReadIOPSDevice?: Array<BlockIODevice & { rate: number }>;
    throttleWriteIOPSDevice?: Array<BlockIODevice & { rate: number }>;
  };
  /** pageSize as the cgroup files name it: "2MB", "1GB" */
  hugepageLimits?: Array<{ pageSize: string; limit: number }>;
  /** openEuler's files cgroup (not OCI; lcr only) */
  files?: { limit: number };
}

export interface SeccompArg {
  index: number;
  value: number;
  valueTwo?: number;
  op: 'SCMP_CMP_NE' | 'SCMP_CMP_LT' | 'SCMP_CMP_LE' | 'SCMP_CMP_EQ' | 'SCMP_CMP_GE' | 'SCMP_CMP_GT' | 'SCMP_CMP_MASKED_EQ';
}

export type SeccompAction = 'SCMP_ACT_KILL' | 'SCMP_ACT_TRAP' | 'SCMP_ACT_ERRNO' | 'SCMP_ACT_TRACE' | 'SCMP_ACT_ALLOW' | 'SCMP_ACT_LOG' | 'SCMP_ACT_KILL_PROCESS';

export interface SeccompRule {
  names: string[];
  action: SeccompAction;
  errnoRet?: number;
  args?: SeccompArg[];
}

export interface Seccomp {
  defaultAction: SeccompAction;
  defaultErrnoRet?: number;
  architectures?: string[];
  syscalls: SeccompRule[];
}

export interface Linux {
  namespaces: Namespace[];
  resources: Resources;
  cgroupsPath?: string;
  devices: LinuxDevice[];
  maskedPaths: string[];
  readonlyPaths: string[];
  sysctl?: Record<string, string>;
  seccomp?: Seccomp;
  /** propagation of the container's root mount tree (runc's default is rslave) */
  rootfsPropagation?: string;
  /** user namespace id mappings (with a 'user' namespace) */
  uidMappings?: IdMapping[];
  gidMappings?: IdMapping[];
}

export interface IdMapping {
  containerID: number;
  hostID: number;
  size: number;
}

/** An OCI hook: run on the host with the container's state JSON on stdin. */
export interface Hook {
  path: string;
  /** argv, args[0] included */
  args?: string[];
  env?: string[];
  /** seconds */
  timeout?: number;
}

export interface Hooks {
  prestart?: Hook[];
  poststart?: Hook[];
  poststop?: Hook[];
}

export interface Spec {
  [key: string]: unknown;
  hooks?: Hooks;
  ociVersion: string;
  process: Process;
  root: { path: string; readonly: boolean };
  hostname: string;
  mounts: SpecMount[];
  linux: Linux;
  annotations: Record<string, string>;
}
