// Adapter from the container's Config/HostConfig (docker field names, as stored and inspected) to
// src/spec's CreateSpecOptions. Namespace modes `container:<ref>` arrive here already resolved to
// /proc/<pid>/ns/<kind> paths (create.ts does that, it knows the containers).
import { access, readFile } from 'node:fs/promises';
import { constants } from 'node:fs';
import { invalidArgument, messageOf } from '../../util/errors.ts';
import type { Hooks } from '../../runtime/oci-spec.ts';
import { loadSpecContext, parseNamespaceMode, parseSeccompProfile, resolveBlockDevice, resolveDevice, specFromCreate } from '../../spec/index.ts';
import type { BindMount, BlockIO, CreateSpecOptions, NamespaceMode } from '../../spec/index.ts';
import type { OciSpec } from '../../runtime/runtime.ts';
import type { BlkioRate, HostConfig, SpecBuilder, SpecInput } from './types.ts';
import { parseVolumeSpec } from './volume-mounts.ts';

function nsMode(v: string, kind: string): NamespaceMode | undefined {
  if (v === '') return undefined;
  return parseNamespaceMode(v, kind);
}

function seccompOf(opts: readonly string[]): CreateSpecOptions['seccomp'] {
  for (const o of opts) {
    const [k, v = ''] = splitOpt(o);
    if (k !== 'seccomp') continue;
    if (v === 'unconfined') return 'unconfined';
    return parseSeccompProfile(v);
  }
  return undefined;
}

function splitOpt(o: string): [string, string] {
  const i = o.search(/[=:]/);
  return i < 0 ? [o, ''] : [o.slice(0, i), o.slice(i + 1)];
}

export function noNewPrivilegesOf(opts: readonly string[]): boolean {
  return opts.some((o) => {
    const [k, v] = splitOpt(o);
    return k === 'no-new-privileges' && (v === '' || v === 'true');
  });
}

export function validateSecurityOpts(opts: readonly string[]): void {
  for (const o of opts) {
    const [k] = splitOpt(o);
    if (k !== 'seccomp' && k !== 'no-new-privileges' && k !== 'label') throw invalidArgument(`Invalid --security-opt: ${o}`);
  }
}

const nz = (n: number): number | undefined => (n === 0 ? undefined : n);

/** What spec building needs to know of the host (src/cgroups/features.ts); absent in unit tests. */
export interface SpecHost {
  /** the kernel enforces a kernel memory limit (else --kernel-memory is recorded, not applied) */
  kernelMemory: boolean;
  /** "2MB": the page size of --hugetlb-limit without one */
  defaultHugePageSize: string;
}

async function blockIOOf(h: HostConfig): Promise<BlockIO | undefined> {
  const io: BlockIO = {};
  if (h.BlkioWeight) io.weight = h.BlkioWeight;
  const dev = (path: string) => resolveBlockDevice(path);
  if (h.BlkioWeightDevice?.length) io.weightDevice = await Promise.all(h.BlkioWeightDevice.map(async (d) => ({ ...(await dev(d.Path)), weight: d.Weight })));
  const rates = (l: BlkioRate[] | undefined) => Promise.all((l ?? []).map(async (d) => ({ ...(await dev(d.Path)), rate: d.Rate })));
  const pairs = [
    ['throttleReadBpsDevice', h.BlkioDeviceReadBps], ['throttleWriteBpsDevice', h.BlkioDeviceWriteBps],
    ['throttleReadIOPSDevice', h.BlkioDeviceReadIops], ['throttleWriteIOPSDevice', h.BlkioDeviceWriteIops],
  ] as const;
  for (const [k, l] of pairs) if (l?.length) io[k] = await rates(l);
  return Object.keys(io).length > 0 ? io : undefined;
}

export async function createSpecOptions(input: SpecInput, cgroupParent: string, host?: SpecHost): Promise<CreateSpecOptions> {
  const { config: c, hostConfig: h } = input;
  validateSecurityOpts(h.SecurityOpt);
  // volumes (resolved at create into input.mountPoints) first, so a -v bind at the same place wins
  const binds: BindMount[] = (input.mountPoints ?? []).map((m) => ({
    source: m.Source,
    destination: m.Destination,
    readonly: !m.RW,
    ...(m.Propagation ? { propagation: m.Propagation as BindMount['propagation'] } : {}),
  }));
  // generated /etc files, unless the user mounts something at or above them (a volume on /etc
  // keeps its own content, and a read-only one could not take the mount points)
  const userDests = [
    ...binds.map((b) => b.destination),
    ...h.Binds.map((b) => b.split(':')[1] ?? ''),
    ...h.Mounts.map((m) => m.Target),
    ...Object.keys(h.Tmpfs),
  ].map((d) => d.replace(/\/+$/, '') || '/');
  for (const f of input.networkFiles ?? []) {
    if (userDests.some((d) => f.destination === d || f.destination.startsWith(d === '/' ? '/' : `${d}/`))) continue;
    binds.push({ source: f.source, destination: f.destination, readonly: false });
  }
  if (h.HostChannel) binds.push({ source: h.HostChannel.PathOnHost, destination: h.HostChannel.PathInContainer, readonly: h.HostChannel.Permissions === 'ro' });
  for (const b of h.Binds) {
    const v = parseVolumeSpec(b);
    if (v.kind === 'bind') binds.push({ source: v.source, destination: v.destination, readonly: v.readonly, ...(v.propagation ? { propagation: v.propagation as BindMount['propagation'] } : {}) });
  }
  const tmpfs = Object.entries(h.Tmpfs).map(([destination, o]) => ({ destination, options: o.split(',').filter(Boolean) }));
  for (const m of h.Mounts) {
    if (m.Type === 'volume') continue; // in input.mountPoints
    if (m.Type === 'bind') binds.push({ source: m.Source, destination: m.Target, readonly: m.ReadOnly, ...(m.BindPropagation ? { propagation: m.BindPropagation as BindMount['propagation'] } : {}) });
    else {
      const o: string[] = m.ReadOnly ? ['ro'] : [];
      if (m.TmpfsSize) o.push(`size=${m.TmpfsSize}`);
      if (m.TmpfsMode) o.push(`mode=${m.TmpfsMode.toString(8)}`);
      tmpfs.push({ destination: m.Target, options: o });
    }
  }
  const devices = [];
  for (const d of h.Devices) devices.push(await resolveDevice({ pathOnHost: d.PathOnHost, pathInContainer: d.PathInContainer, permissions: d.CgroupPermissions }));
  const seccomp = seccompOf(h.SecurityOpt);
  const opts: CreateSpecOptions = {
    id: input.id,
    rootfs: input.rootfs,
    image: input.image.config.config ?? {},
    entrypoint: c.Entrypoint.length > 0 ? c.Entrypoint : [''],
    cmd: c.Cmd,
    env: c.Env,
    cgroupParent: h.CgroupParent || cgroupParent,
    terminal: c.Tty,
    readonly: h.ReadonlyRootfs,
    privileged: h.Privileged,
    noNewPrivileges: noNewPrivilegesOf(h.SecurityOpt),
  };
  if (c.User) opts.user = c.User;
  if (h.GroupAdd && h.GroupAdd.length > 0) opts.groupAdd = h.GroupAdd;
  if (h.MaskedPaths) opts.maskedPaths = h.MaskedPaths;
  if (h.ReadonlyPaths) opts.readonlyPaths = h.ReadonlyPaths;
  if (c.WorkingDir) opts.workdir = c.WorkingDir;
  if (c.Hostname) opts.hostname = c.Hostname;
  if (Object.keys(c.Annotations).length > 0) opts.annotations = c.Annotations;
  if (c.StopSignal) opts.stopSignal = c.StopSignal;
  if (binds.length > 0) opts.binds = binds;
  if (tmpfs.length > 0) opts.tmpfs = tmpfs;
  if (h.ShmSize) opts.shmSize = h.ShmSize;
  if (h.CapAdd.length > 0) opts.capAdd = h.CapAdd;
  if (h.CapDrop.length > 0) opts.capDrop = h.CapDrop;
  if (seccomp !== undefined) opts.seccomp = seccomp;
  if (devices.length > 0) opts.devices = devices;
  if (Object.keys(h.Sysctls).length > 0) opts.sysctls = h.Sysctls;
  if (h.Ulimits.length > 0) opts.ulimits = h.Ulimits.map((u) => ({ name: u.Name, soft: u.Soft, hard: u.Hard }));
  const memory = nz(h.Memory);
  const memorySwap = nz(h.MemorySwap);
  if (memory !== undefined) opts.memory = memory;
  if (memorySwap !== undefined) opts.memorySwap = memorySwap;
  const cpus = h.NanoCpus ? h.NanoCpus / 1e9 : undefined;
  if (cpus !== undefined) opts.cpus = cpus;
  if (h.CpuShares) opts.cpuShares = h.CpuShares;
  if (h.CpuQuota) opts.cpuQuota = h.CpuQuota;
  if (h.CpuPeriod) opts.cpuPeriod = h.CpuPeriod;
  if (h.CpusetCpus) opts.cpusetCpus = h.CpusetCpus;
  if (h.PidsLimit) opts.pidsLimit = h.PidsLimit;
  if (h.MemoryReservation) opts.memoryReservation = h.MemoryReservation;
  if (h.MemorySwappiness !== undefined && h.MemorySwappiness >= 0) opts.memorySwappiness = h.MemorySwappiness;
  if (h.KernelMemory && (host?.kernelMemory ?? true)) opts.kernelMemory = h.KernelMemory;
  if (h.OomKillDisable) opts.oomKillDisable = true;
  if (h.CpusetMems) opts.cpusetMems = h.CpusetMems;
  if (h.CPURealtimePeriod) opts.cpuRtPeriod = h.CPURealtimePeriod;
  if (h.CPURealtimeRuntime) opts.cpuRtRuntime = h.CPURealtimeRuntime;
  const blockIO = await blockIOOf(h);
  if (blockIO) opts.blockIO = blockIO;
  if (h.Hugetlbs?.length) opts.hugepageLimits = h.Hugetlbs.map((l) => ({ pageSize: l.PageSize || host?.defaultHugePageSize || '2MB', limit: l.Limit }));
  if (h.FilesLimit) opts.filesLimit = h.FilesLimit;
  if (h.DeviceCgroupRules?.length) opts.deviceCgroupRules = h.DeviceCgroupRules;
  if (h.CgroupnsMode === 'host' || h.CgroupnsMode === 'private') opts.cgroupns = h.CgroupnsMode;
  if (h.HookSpec) opts.hooks = await readHookSpec(h.HookSpec);
  if (h.OomScoreAdj) opts.oomScoreAdj = h.OomScoreAdj;
  const net = nsMode(h.NetworkMode, 'network');
  const pid = nsMode(h.PidMode, 'pid');
  const ipc = nsMode(h.IpcMode, 'ipc');
  const uts = nsMode(h.UTSMode, 'uts');
  if (net) opts.net = net;
  if (pid) opts.pid = pid;
  if (ipc) opts.ipc = ipc;
  if (uts) opts.uts = uts;
  return opts;
}

/** The SpecBuilder the daemon wires in: the only I/O is loadSpecContext (rootfs passwd/group, limits). */
export function specBuilder(cgroupParent: string, host?: SpecHost): SpecBuilder {
  return async (input: SpecInput): Promise<OciSpec> => {
    const ctx = await loadSpecContext(input.rootfs);
    return specFromCreate(await createSpecOptions(input, cgroupParent, host), ctx);
  };
}

/** Modes that share another container's namespace ("container:<ref>"), by kind. */
export function containerNsRefs(h: HostConfig): Array<{ field: 'NetworkMode' | 'PidMode' | 'IpcMode' | 'UTSMode'; kind: string; ref: string }> {
  const out: Array<{ field: 'NetworkMode' | 'PidMode' | 'IpcMode' | 'UTSMode'; kind: string; ref: string }> = [];
  const fields = [
    ['NetworkMode', 'net'],
    ['PidMode', 'pid'],
    ['IpcMode', 'ipc'],
    ['UTSMode', 'uts'],
  ] as const;
  for (const [field, kind] of fields) {
    const v = h[field];
    if (v.startsWith('container:')) out.push({ field, kind, ref: v.slice('container:'.length) });
  }
  return out;
}

/**
 * --hook-spec FILE: {"prestart": [...], "poststart": [...], "poststop": [...]}, each hook
 * {path, args, env, timeout}; the daemon reads it (iSulad does too) and checks every hook path
 * with iSulad's messages.
 */
export async function readHookSpec(file: string): Promise<Hooks> {
  let v: unknown;
  try {
    v = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw invalidArgument(`Failed to read hook spec ${file}: ${messageOf(err)}`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw invalidArgument(`Invalid hook spec ${file}: not an object`);
  const out: Hooks = {};
  for (const kind of ['prestart', 'poststart', 'poststop'] as const) {
    const list = (v as Record<string, unknown>)[kind];
    if (list === undefined || list === null) continue;
    if (!Array.isArray(list)) throw invalidArgument(`Invalid hook spec ${file}: ${kind} must be a list`);
    out[kind] = [];
    for (const x of list as Array<Record<string, unknown>>) {
      const path = x?.['path'];
      if (typeof path !== 'string' || !path.startsWith('/')) throw invalidArgument(`${String(path)} is not an absolute path`);
      try {
        await access(path, constants.X_OK);
      } catch {
        throw invalidArgument(`Cann't find path: ${path}`);
      }
      const strs = (k: string) => (Array.isArray(x[k]) ? (x[k] as unknown[]).filter((a): a is string => typeof a === 'string') : undefined);
      const args = strs('args');
      const env = strs('env');
      const timeout = typeof x['timeout'] === 'number' ? x['timeout'] : undefined;
      if (timeout !== undefined && timeout <= 0) throw invalidArgument(`Invalid timeout: ${timeout}`);
      out[kind].push({ path, ...(args ? { args } : {}), ...(env ? { env } : {}), ...(timeout !== undefined ? { timeout } : {}) });
    }
  }
  return out;
}
