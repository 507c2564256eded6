// The create flags that reach the spec, as one plain object, and the option list they map to. The
// containers service fills this from the request (after resolving container:<id> namespaces,
// volumes and devices) and calls specFromCreate.
import type { ImageRuntimeConfig } from '../image/types.ts';
import type { Mount } from '../util/mount.ts';
import { buildSpec } from './build.ts';
import { defaults } from './defaults.ts';
import type { NamespaceMode } from './opts-namespaces.ts';
import { withCgroupNamespace, withIpcNamespace, withNetwork, withPidNamespace, withUtsNamespace } from './opts-namespaces.ts';
import type { BindMount } from './opts-mounts.ts';
import { withBindMounts, withMounts, withShmSize, withTmpfs } from './opts-mounts.ts';
import {
  withAnnotations, withArgs, withEnv, withGroupAdd, withHomeEnv, withHostname, withImageConfig, withReadonlyRootfs, withRootfs,
  withStopSignal, withTerminal, withUser, withWorkdir,
} from './opts-process.ts';
import type { BlockIO, Ulimit } from './opts-resources.ts';
import {
  withBlockIO, withCgroupsPath, withCpu, withCpuRealtime, withDeviceCgroupRules, withFilesLimit, withHugepageLimits, withMemory, withOomScoreAdj,
  withPidsLimit, withUlimits,
} from './opts-resources.ts';
import { withCapabilities, withDevices, withNoNewPrivileges, withPathRules, withPrivileged, withSeccomp, withSysctls } from './opts-security.ts';
import type { LinuxDevice, Seccomp, Spec, SpecContext, SpecOpt } from './types.ts';
import type { Hooks } from '../runtime/oci-spec.ts';

export interface CreateSpecOptions {
  id: string;
  rootfs: string; // mounted rootfs path
  image?: ImageRuntimeConfig;
  entrypoint?: string[]; // [""] resets the image's
  cmd?: string[];
  env?: string[];
  user?: string;
  workdir?: string;
  hostname?: string;
  annotations?: Record<string, string>;
  readonly?: boolean;
  tmpfs?: Array<{ destination: string; options: string[] }>;
  binds?: BindMount[];
  mounts?: Mount[]; // volumes, hostname/hosts/resolv.conf binds …
  shmSize?: number;
  privileged?: boolean;
  capAdd?: string[];
  capDrop?: string[];
  noNewPrivileges?: boolean;
  /** 'default' (or undefined), 'unconfined', or a parsed profile */
  seccomp?: 'default' | 'unconfined' | Seccomp;
  devices?: Array<LinuxDevice & { permissions?: string }>;
  sysctls?: Record<string, string>;
  ulimits?: Ulimit[];
  memory?: number;
  memorySwap?: number;
  memoryReservation?: number;
  /** 0..100 (-1 or absent: the kernel's) */
  memorySwappiness?: number;
  kernelMemory?: number;
  oomKillDisable?: boolean;
  cpuRtPeriod?: number;
  cpuRtRuntime?: number;
  blockIO?: BlockIO;
  hugepageLimits?: Array<{ pageSize: string; limit: number }>;
  filesLimit?: number;
  deviceCgroupRules?: string[];
  cpus?: number;
  cpuShares?: number;
  cpuQuota?: number;
  cpuPeriod?: number;
  cpusetCpus?: string;
  cpusetMems?: string;
  pidsLimit?: number;
  oomScoreAdj?: number;
  stopSignal?: string;
  net?: NamespaceMode;
  pid?: NamespaceMode;
  ipc?: NamespaceMode;
  uts?: NamespaceMode;
  cgroupns?: 'host' | 'private';
  /** --hook-spec: OCI prestart/poststart/poststop hooks */
  hooks?: Hooks;
  cgroupParent: string; // daemon default, e.g. "isulad"
  terminal?: boolean;
  /** supplementary groups added to the user's (names from the rootfs /etc/group, or gids) */
  groupAdd?: string[];
  /** replace the default masked / read-only paths (CRI security context) */
  maskedPaths?: string[];
  readonlyPaths?: string[];
}

/** The ordered option list: defaults < image config < create options (iSulad's merge order). */
export function optsFromCreate(o: CreateSpecOptions): SpecOpt[] {
  const opts: SpecOpt[] = [withRootfs(o.rootfs), withImageConfig(o.image)];
  if (o.uts) opts.push(withUtsNamespace(o.uts));
  // docker's default hostname is the short id (a private UTS namespace would otherwise keep the host's)
  if (o.hostname) opts.push(withHostname(o.hostname, o.uts === undefined || o.uts.mode === 'private'));
  else if (o.uts === undefined || o.uts.mode === 'private') opts.push(withHostname(o.id.slice(0, 12)));
  opts.push(withArgs({ ...(o.entrypoint ? { entrypoint: o.entrypoint } : {}), ...(o.cmd ? { cmd: o.cmd } : {}) }));
  if (o.env) opts.push(withEnv(o.env));
  if (o.user) opts.push(withUser(o.user));
  if (o.groupAdd && o.groupAdd.length > 0) opts.push(withGroupAdd(o.groupAdd));
  opts.push(withHomeEnv());
  if (o.workdir) opts.push(withWorkdir(o.workdir));
  if (o.annotations) opts.push(withAnnotations(o.annotations));
  if (o.stopSignal) opts.push(withStopSignal(o.stopSignal));
  if (o.readonly) opts.push(withReadonlyRootfs(true));
  if (o.terminal) opts.push(withTerminal());
  if (o.net) opts.push(withNetwork(o.net));
  if (o.pid) opts.push(withPidNamespace(o.pid));
  if (o.ipc) opts.push(withIpcNamespace(o.ipc));
  if (o.cgroupns) opts.push(withCgroupNamespace(o.cgroupns));
  if (o.shmSize) opts.push(withShmSize(o.shmSize));
  if (o.mounts) opts.push(withMounts(o.mounts));
  if (o.binds) opts.push(withBindMounts(o.binds));
  if (o.tmpfs) opts.push(withTmpfs(o.tmpfs));
  if (o.privileged) opts.push(withPrivileged());
  if (o.capAdd || o.capDrop) opts.push(withCapabilities(o.capAdd ?? [], o.capDrop ?? []));
  if (o.noNewPrivileges) opts.push(withNoNewPrivileges(true));
  if (o.seccomp === 'unconfined') opts.push(withSeccomp(undefined));
  else if (o.seccomp !== undefined && o.seccomp !== 'default') opts.push(withSeccomp(o.seccomp));
  if ((o.maskedPaths || o.readonlyPaths) && !o.privileged) opts.push(withPathRules(o.maskedPaths, o.readonlyPaths));
  if (o.devices) opts.push(withDevices(o.devices));
  if (o.sysctls) opts.push(withSysctls(o.sysctls));
  if (o.ulimits) opts.push(withUlimits(o.ulimits));
  const mem = {
    memory: o.memory, memorySwap: o.memorySwap, reservation: o.memoryReservation, swappiness: o.memorySwappiness,
    kernel: o.kernelMemory, disableOOMKiller: o.oomKillDisable,
  };
  if (Object.values(mem).some((v) => v !== undefined)) {
    opts.push(withMemory(Object.fromEntries(Object.entries(mem).filter(([, v]) => v !== undefined))));
  }
  if (o.cpuRtPeriod !== undefined || o.cpuRtRuntime !== undefined) {
    opts.push(withCpuRealtime({ ...(o.cpuRtPeriod !== undefined ? { period: o.cpuRtPeriod } : {}), ...(o.cpuRtRuntime !== undefined ? { runtime: o.cpuRtRuntime } : {}) }));
  }
  if (o.blockIO) opts.push(withBlockIO(o.blockIO));
  if (o.hugepageLimits) opts.push(withHugepageLimits(o.hugepageLimits));
  if (o.filesLimit !== undefined) opts.push(withFilesLimit(o.filesLimit));
  if (o.deviceCgroupRules) opts.push(withDeviceCgroupRules(o.deviceCgroupRules));
  const cpu = { cpus: o.cpus, shares: o.cpuShares, quota: o.cpuQuota, period: o.cpuPeriod, cpusetCpus: o.cpusetCpus, cpusetMems: o.cpusetMems };
  if (Object.values(cpu).some((v) => v !== undefined)) {
    opts.push(withCpu(Object.fromEntries(Object.entries(cpu).filter(([, v]) => v !== undefined))));
  }
  if (o.pidsLimit !== undefined) opts.push(withPidsLimit(o.pidsLimit));
  if (o.oomScoreAdj !== undefined) opts.push(withOomScoreAdj(o.oomScoreAdj));
  if (o.hooks) {
    const hooks = o.hooks;
    opts.push((s) => {
      s.hooks = { ...(hooks.prestart ? { prestart: hooks.prestart } : {}), ...(hooks.poststart ? { poststart: hooks.poststart } : {}), ...(hooks.poststop ? { poststop: hooks.poststop } : {}) };
    });
  }
  opts.push(withCgroupsPath(o.cgroupParent, o.id));
  return opts;
}

export function specFromCreate(o: CreateSpecOptions, ctx: SpecContext): Spec {
  return buildSpec(defaults(), ctx, ...optsFromCreate(o));
}
