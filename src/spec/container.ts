// A container's Config and HostConfig (src/types: docker field names, as stored and inspected) →
// the ordered option list → the OCI spec, with no copy in between. What a HostConfig names but does
// not hold (device numbers, the hook file, the daemon's cgroup parent, what the host's cgroups can
// limit) is read once by hostValuesOf, so the options stay pure. Namespace modes `container:<ref>`
// arrive already resolved to /proc/<pid>/ns/<kind> paths (the containers service knows the
// containers).
import type { ImageRuntimeConfig } from '../types/image-config.ts';
import type { Hooks } from '../runtime/oci-spec.ts';
import type { BlkioRate, ContainerConfig, HostConfig, VolumeMountPoint } from '../types/container-config.ts';
import { parseVolumeSpec } from '../util/volume-spec.ts';
import { buildSpec, loadSpecContext } from './build.ts';
import { defaults } from './defaults.ts';
import { resolveBlockDevice, resolveDevice } from './devices.ts';
import { readHookSpec } from './hooks.ts';
import { parseNamespaceMode, withCgroupNamespace, withIpcNamespace, withNetwork, withPidNamespace, withUtsNamespace } from './opts-namespaces.ts';
import type { NamespaceMode } from './opts-namespaces.ts';
import type { BindMount } from './opts-mounts.ts';
import { withBindMounts, withShmSize, withTmpfs } from './opts-mounts.ts';
import {
  withAnnotations, withArgs, withEnv, withGroupAdd, withHomeEnv, withHostname, withImageConfig, withReadonlyRootfs, withRootfs,
  withStopSignal, withTerminal, withUser, withWorkdir,
} from './opts-process.ts';
import type { BlockIO, Ulimit } from './opts-resources.ts';
import {
  withBlockIO, withCgroupsPath, withCpu, withCpuRealtime, withDeviceCgroupRules, withFilesLimit, withHugepageLimits, withMemory, withOomScoreAdj,
  withPidsLimit, withUlimits,
} from './opts-resources.ts';
import {
  noNewPrivilegesOf, seccompOf, validateSecurityOpts, withCapabilities, withDevices, withNoNewPrivileges, withPathRules, withPrivileged, withSeccomp, withSysctls,
} from './opts-security.ts';
import type { LinuxDevice, Spec, SpecContext, SpecOpt } from './types.ts';
import { readdir } from 'node:fs/promises';
import type { ProcSysEntries } from './opts-system.ts';
import { withNsChangeOpt, withSystemContainerMounts, withSystemContainerSecurity, withUserRemap } from './opts-system.ts';

/** The container as spec building sees it. */
export interface ContainerSpecInput {
  id: string;
  /** the mounted rootfs */
  rootfs: string;
  config: ContainerConfig;
  hostConfig: HostConfig;
  /** the image's runtime config (Env, Cmd, Entrypoint, WorkingDir, User…) */
  image?: ImageRuntimeConfig;
  /** volumes and --volumes-from binds, bound after the defaults and before -v binds */
  mountPoints?: readonly VolumeMountPoint[];
  /** /etc/hostname, /etc/hosts, /etc/resolv.conf binds (before -v binds, which may replace them) */
  networkFiles?: ReadonlyArray<{ source: string; destination: string }>;
  /** --ipc shareable (or joining one): the host's tmpfs bound at /dev/shm */
  shmPath?: string;
}

/** What the daemon knows of the host; absent fields: no such limit known (unit tests). */
export interface SpecDaemon {
  /** the daemon's cgroup parent, for a HostConfig without its own */
  cgroupParent: string;
  /** the kernel enforces a kernel memory limit (else --kernel-memory is recorded, not applied) */
  kernelMemory?: boolean;
  /** "2MB": the page size of --hugetlb-limit without one */
  defaultHugePageSize?: string;
  /** the daemon's --default-ulimit / daemon.json default-ulimits: a container's own --ulimit of a type wins */
  defaultUlimits?: Ulimit[];
}

/** The values a HostConfig names but does not hold, read from the host by hostValuesOf. */
export interface HostValues extends SpecDaemon {
  /** HostConfig.Devices with their node type and numbers */
  devices: Array<LinuxDevice & { permissions: string }>;
  /** the --blkio-* and --device-*-bps/iops rows with their devices' numbers */
  blockIO?: BlockIO;
  /** the --hook-spec file's hooks */
  hooks?: Hooks;
  /** the host's /proc/sys entries, for --ns-change-opt */
  procSys?: ProcSysEntries;
}

/** The reads a HostConfig needs before its options: device nodes and the hook spec file. */
export async function hostValuesOf(h: HostConfig, daemon: SpecDaemon): Promise<HostValues> {
  const devices = [];
  for (const d of h.Devices) devices.push(await resolveDevice({ pathOnHost: d.PathOnHost, pathInContainer: d.PathInContainer, permissions: d.CgroupPermissions }));
  const out: HostValues = { ...daemon, devices };
  const blockIO = await blockIOOf(h);
  if (blockIO) out.blockIO = blockIO;
  if (h.HookSpec) out.hooks = await readHookSpec(h.HookSpec);
  if (h.SystemContainer && h.NsChangeOpt) {
    const names = (dir: string) => readdir(dir).catch(() => [] as string[]);
    out.procSys = { top: await names('/proc/sys'), kernel: await names('/proc/sys/kernel'), fs: await names('/proc/sys/fs') };
  }
  return out;
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

function nsMode(v: string, kind: string): NamespaceMode | undefined {
  return v === '' ? undefined : parseNamespaceMode(v, kind);
}

type Propagation = BindMount['propagation'];

/** Volumes, the generated /etc files, --host-channel, -v binds and --mount binds, in that order. */
function bindsOf(input: ContainerSpecInput): BindMount[] {
  const h = input.hostConfig;
  const volumeSpecs = h.Binds.map(parseVolumeSpec);
  // volumes (resolved at create into input.mountPoints) first, so a -v bind at the same place wins
  // a shareable /dev/shm first: any user mount at /dev/shm replaces it
  const binds: BindMount[] = input.shmPath ? [{ source: input.shmPath, destination: '/dev/shm', readonly: false }] : [];
  binds.push(...(input.mountPoints ?? []).map((m) => ({
    source: m.Source,
    destination: m.Destination,
    readonly: !m.RW,
    ...(m.Propagation ? { propagation: m.Propagation as Propagation } : {}),
  })));
  // generated /etc files, unless the user mounts something at or above them (a volume on /etc
  // keeps its own content, and a read-only one could not take the mount points)
  const userDests = [
    ...binds.map((b) => b.destination),
    ...volumeSpecs.map((v) => v.destination),
    ...h.Mounts.map((m) => m.Target),
    ...Object.keys(h.Tmpfs),
  ].map((d) => d.replace(/\/+$/, '') || '/');
  for (const f of input.networkFiles ?? []) {
    if (userDests.some((d) => f.destination === d || f.destination.startsWith(d === '/' ? '/' : `${d}/`))) continue;
    binds.push({ source: f.source, destination: f.destination, readonly: false });
  }
  if (h.HostChannel) binds.push({ source: h.HostChannel.PathOnHost, destination: h.HostChannel.PathInContainer, readonly: h.HostChannel.Permissions === 'ro' });
  // a user bind without a mode is rprivate (iSulad's and docker's default): without it the bind
  // would inherit the rootfs' propagation (rslave) and receive the host's later mounts under it
  for (const v of volumeSpecs) {
    if (v.kind === 'bind') binds.push({ source: v.source, destination: v.destination, readonly: v.readonly, propagation: (v.propagation || 'rprivate') as Propagation });
  }
  for (const m of h.Mounts) {
    if (m.Type === 'bind') binds.push({ source: m.Source, destination: m.Target, readonly: m.ReadOnly, propagation: (m.BindPropagation || 'rprivate') as Propagation });
  }
  return binds;
}

/** --tmpfs, then --mount type=tmpfs. */
function tmpfsOf(h: HostConfig): Array<{ destination: string; options: string[] }> {
  const tmpfs = Object.entries(h.Tmpfs).map(([destination, o]) => ({ destination, options: o.split(',').filter(Boolean) }));
  for (const m of h.Mounts) {
    if (m.Type !== 'tmpfs') continue;
    const o: string[] = m.ReadOnly ? ['ro'] : [];
    if (m.TmpfsSize) o.push(`size=${m.TmpfsSize}`);
    if (m.TmpfsMode) o.push(`mode=${m.TmpfsMode.toString(8)}`);
    tmpfs.push({ destination: m.Target, options: o });
  }
  return tmpfs;
}

/** Only the defined entries; undefined when none is. */
function defined<T extends object>(o: T): Partial<T> | undefined {
  const out = Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
  return Object.keys(out).length > 0 ? out : undefined;
}

const nz = (n: number | undefined): number | undefined => (n ? n : undefined);

/** The ordered option list: defaults < image config < Config/HostConfig (iSulad's merge order). */
export function containerSpecOpts(input: ContainerSpecInput, host: HostValues): SpecOpt[] {
  const { id, config: c, hostConfig: h } = input;
  validateSecurityOpts(h.SecurityOpt);
  const uts = nsMode(h.UTSMode, 'uts');
  const ownUts = uts === undefined || uts.mode === 'private';
  const opts: SpecOpt[] = [withRootfs(input.rootfs), withImageConfig(input.image)];
  // the system container's mounts belong to its template: user mounts at the same place replace them
  if (h.SystemContainer) opts.push(withSystemContainerMounts(h.Memory));
  if (uts) opts.push(withUtsNamespace(uts));
  // docker's default hostname is the short id (a private UTS namespace would otherwise keep the host's)
  if (c.Hostname) opts.push(withHostname(c.Hostname, ownUts));
  else if (ownUts) opts.push(withHostname(id.slice(0, 12)));
  opts.push(withArgs({ entrypoint: c.Entrypoint.length > 0 ? c.Entrypoint : [''], ...(c.Cmd ? { cmd: c.Cmd } : {}) }));
  if (c.Env) opts.push(withEnv(c.Env));
  if (c.User) opts.push(withUser(c.User));
  if (h.GroupAdd && h.GroupAdd.length > 0) opts.push(withGroupAdd(h.GroupAdd));
  opts.push(withHomeEnv());
  if (c.WorkingDir) opts.push(withWorkdir(c.WorkingDir));
  if (Object.keys(c.Annotations).length > 0) opts.push(withAnnotations(c.Annotations));
  if (c.StopSignal) opts.push(withStopSignal(c.StopSignal));
  if (h.ReadonlyRootfs) opts.push(withReadonlyRootfs(true));
  if (c.Tty) opts.push(withTerminal());
  const net = nsMode(h.NetworkMode, 'network');
  const pid = nsMode(h.PidMode, 'pid');
  const ipc = nsMode(h.IpcMode, 'ipc');
  if (net) opts.push(withNetwork(net));
  if (pid) opts.push(withPidNamespace(pid));
  if (ipc) opts.push(withIpcNamespace(ipc));
  if (h.CgroupnsMode === 'host' || h.CgroupnsMode === 'private' || h.CgroupnsMode?.startsWith('/')) opts.push(withCgroupNamespace(h.CgroupnsMode));
  if (h.ShmSize) opts.push(withShmSize(h.ShmSize));
  const binds = bindsOf(input);
  if (binds.length > 0) opts.push(withBindMounts(binds));
  const tmpfs = tmpfsOf(h);
  if (tmpfs.length > 0) opts.push(withTmpfs(tmpfs));
  if (h.Privileged) opts.push(withPrivileged());
  if (h.CapAdd.length > 0 || h.CapDrop.length > 0) opts.push(withCapabilities(h.CapAdd, h.CapDrop));
  if (noNewPrivilegesOf(h.SecurityOpt)) opts.push(withNoNewPrivileges(true));
  const seccomp = seccompOf(h.SecurityOpt);
  if (seccomp === 'unconfined') opts.push(withSeccomp(undefined));
  else if (seccomp !== undefined) opts.push(withSeccomp(seccomp));
  if ((h.MaskedPaths || h.ReadonlyPaths) && !h.Privileged) opts.push(withPathRules(h.MaskedPaths, h.ReadonlyPaths));
  if (h.SystemContainer) opts.push(withSystemContainerSecurity(h.CapDrop));
  if (h.SystemContainer && h.NsChangeOpt && host.procSys) opts.push(withNsChangeOpt(h.NsChangeOpt.split(','), host.procSys));
  if (h.UserRemap) opts.push(withUserRemap(h.UserRemap));
  if (host.devices.length > 0) opts.push(withDevices(host.devices));
  if (Object.keys(h.Sysctls).length > 0) opts.push(withSysctls(h.Sysctls));
  // the daemon's defaults first (clamped like --ulimit), then the container's own, which replace them by type
  if (host.defaultUlimits?.length) opts.push(withUlimits(host.defaultUlimits));
  if (h.Ulimits.length > 0) opts.push(withUlimits(h.Ulimits.map((u) => ({ name: u.Name, soft: u.Soft, hard: u.Hard }))));
  const memory = defined({
    memory: nz(h.Memory),
    memorySwap: nz(h.MemorySwap),
    reservation: nz(h.MemoryReservation),
    swappiness: h.MemorySwappiness !== undefined && h.MemorySwappiness >= 0 ? h.MemorySwappiness : undefined,
    kernel: h.KernelMemory && (host.kernelMemory ?? true) ? h.KernelMemory : undefined,
    disableOOMKiller: h.OomKillDisable ? true : undefined,
  });
  if (memory) opts.push(withMemory(memory));
  const rt = defined({ period: nz(h.CPURealtimePeriod), runtime: nz(h.CPURealtimeRuntime) });
  if (rt) opts.push(withCpuRealtime(rt));
  if (host.blockIO) opts.push(withBlockIO(host.blockIO));
  if (h.Hugetlbs?.length) opts.push(withHugepageLimits(h.Hugetlbs.map((l) => ({ pageSize: l.PageSize || host.defaultHugePageSize || '2MB', limit: l.Limit }))));
  if (h.FilesLimit) opts.push(withFilesLimit(h.FilesLimit));
  if (h.DeviceCgroupRules?.length) opts.push(withDeviceCgroupRules(h.DeviceCgroupRules));
  const cpu = defined({
    cpus: h.NanoCpus ? h.NanoCpus / 1e9 : undefined,
    shares: nz(h.CpuShares),
    quota: nz(h.CpuQuota),
    period: nz(h.CpuPeriod),
    cpusetCpus: h.CpusetCpus || undefined,
    cpusetMems: h.CpusetMems || undefined,
  });
  if (cpu) opts.push(withCpu(cpu));
  if (h.PidsLimit) opts.push(withPidsLimit(h.PidsLimit));
  if (h.OomScoreAdj) opts.push(withOomScoreAdj(h.OomScoreAdj));
  if (host.hooks) {
    const hooks = host.hooks;
    opts.push((s) => {
      s.hooks = { ...(hooks.prestart ? { prestart: hooks.prestart } : {}), ...(hooks.poststart ? { poststart: hooks.poststart } : {}), ...(hooks.poststop ? { poststop: hooks.poststop } : {}) };
    });
  }
  opts.push(withCgroupsPath(h.CgroupParent || host.cgroupParent, id));
  return opts;
}

/** Pure: the spec of a container whose host values and context are read. */
export function containerSpec(input: ContainerSpecInput, host: HostValues, ctx: SpecContext): Spec {
  return buildSpec(defaults(), ctx, ...containerSpecOpts(input, host));
}

/** The reads (rootfs passwd/group, limits, device nodes, hook file), then the spec. */
export async function buildContainerSpec(input: ContainerSpecInput, daemon: SpecDaemon): Promise<Spec> {
  const [ctx, host] = await Promise.all([loadSpecContext(input.rootfs), hostValuesOf(input.hostConfig, daemon)]);
  return containerSpec(input, host, ctx);
}
