// The one place that checks a create request's Config and HostConfig as they come off the wire
// (isula's JSON, the CRI's translation): every field's type, then every range rule, with
// iSulad's/docker's wording. The CLI only parses flag syntax; the daemon never trusts a shape
// (`"Binds":"x"` used to be iterated as characters). Unknown keys are ignored, as docker does.
import { availableParallelism } from 'node:os';
import { invalidArgument } from '../../util/errors.ts';
import { MIN_MEMORY, validateSecurityOpts } from '../../spec/index.ts';
import type { CreateRequest, RestartPolicy } from './types.ts';

/** What `isula update` may change (the HostConfig JSON of UpdateRequest, unknown keys dropped). */
export interface UpdatePatch {
  Memory?: number;
  MemorySwap?: number;
  NanoCpus?: number;
  CpuShares?: number;
  CpuQuota?: number;
  CpuPeriod?: number;
  CpusetCpus?: string;
  PidsLimit?: number;
  RestartPolicy?: RestartPolicy;
  // iSulad's update-only keys (host-config.json names)
  CpusetMems?: string;
  MemoryReservation?: number;
  KernelMemory?: number;
  BlkioWeight?: number;
  CPURealtimePeriod?: number;
  CPURealtimeRuntime?: number;
}

type Check = (v: unknown, path: string) => void;

const bad = (path: string, want: string, v: unknown) =>
  invalidArgument(`invalid value for ${path}: ${want} expected, got ${v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v}`);

const str: Check = (v, p) => {
  if (typeof v !== 'string') throw bad(p, 'string', v);
};
const bool: Check = (v, p) => {
  if (typeof v !== 'boolean') throw bad(p, 'boolean', v);
};
const int: Check = (v, p) => {
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw bad(p, 'integer', v);
};
const list = (each: Check): Check => (v, p) => {
  if (!Array.isArray(v)) throw bad(p, 'array', v);
  v.forEach((x, i) => each(x, `${p}[${i}]`));
};
const map = (each: Check): Check => (v, p) => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw bad(p, 'object', v);
  for (const [k, x] of Object.entries(v)) each(x, `${p}.${k}`);
};
const obj = (fields: Record<string, Check>): Check => (v, p) => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw bad(p, 'object', v);
  for (const [k, check] of Object.entries(fields)) {
    const x = (v as Record<string, unknown>)[k];
    if (x !== undefined) check(x, `${p}.${k}`);
  }
};
const any: Check = () => undefined;
const strings = list(str);
const stringMap = map(str);

const HEALTH = obj({ Test: strings, Interval: int, Timeout: int, StartPeriod: int, Retries: int, ExitOnUnhealthy: bool });

const CONFIG: Record<string, Check> = {
  Hostname: str, User: str, Env: strings, Tty: bool, OpenStdin: bool, StdinOnce: bool, Cmd: strings, Entrypoint: strings,
  Labels: stringMap, Annotations: stringMap, Volumes: map(map(any)), Image: str, WorkingDir: str, StopSignal: str,
  Healthcheck: HEALTH, ExposedPorts: map(map(any)), MacAddress: str,
};

const HOST: Record<string, Check> = {
  Binds: strings,
  Mounts: list(obj({ Type: str, Source: str, Target: str, ReadOnly: bool, BindPropagation: str, TmpfsSize: int, TmpfsMode: int, VolumeNoCopy: bool })),
  Tmpfs: stringMap, ReadonlyRootfs: bool, Privileged: bool, CapAdd: strings, CapDrop: strings, SecurityOpt: strings,
  Devices: list(obj({ PathOnHost: str, PathInContainer: str, CgroupPermissions: str })),
  Sysctls: stringMap,
  Ulimits: list(obj({ Name: str, Soft: int, Hard: int })),
  Memory: int, MemorySwap: int, NanoCpus: int, CpuShares: int, CpuQuota: int, CpuPeriod: int, CpusetCpus: str,
  PidsLimit: int, OomScoreAdj: int, ShmSize: int, NetworkMode: str, PidMode: str, IpcMode: str, UTSMode: str,
  LogConfig: obj({ Type: str, Config: stringMap }),
  RestartPolicy: obj({ Name: str, MaximumRetryCount: int }),
  AutoRemove: bool, Runtime: str, VolumesFrom: strings, CgroupParent: str, GroupAdd: strings,
  MaskedPaths: strings, ReadonlyPaths: strings,
  PortBindings: map(list(obj({ HostIp: str, HostPort: str }))),
  PublishAllPorts: bool, Dns: strings, DnsSearch: strings, DnsOptions: strings, ExtraHosts: strings, IPv4Address: str,
  MemoryReservation: int, MemorySwappiness: int, KernelMemory: int, OomKillDisable: bool, CpusetMems: str,
  CPURealtimePeriod: int, CPURealtimeRuntime: int, BlkioWeight: int,
  BlkioWeightDevice: list(obj({ Path: str, Weight: int })),
  BlkioDeviceReadBps: list(obj({ Path: str, Rate: int })), BlkioDeviceWriteBps: list(obj({ Path: str, Rate: int })),
  BlkioDeviceReadIops: list(obj({ Path: str, Rate: int })), BlkioDeviceWriteIops: list(obj({ Path: str, Rate: int })),
  Hugetlbs: list(obj({ PageSize: str, Limit: int })), FilesLimit: int, DeviceCgroupRules: strings, CgroupnsMode: str, UsernsMode: str, NoPivotRoot: bool, SystemContainer: bool, NsChangeOpt: str, UserRemap: str,
  StorageOpt: stringMap, EnvTargetFile: str, HookSpec: str,
  HostChannel: obj({ PathOnHost: str, PathInContainer: str, Permissions: str, Size: int }),
};

function checkFields(v: unknown, fields: Record<string, Check>, what: string): void {
  if (v === undefined) return;
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw bad(what, 'object', v);
  for (const [k, check] of Object.entries(fields)) {
    const x = (v as Record<string, unknown>)[k];
    if (x !== undefined) check(x, `${what}.${k}`);
  }
}

// Rules shared by create and update (one wording each).
function checkMemoryFloor(memory: number): void {
  if (memory > 0 && memory < MIN_MEMORY) throw invalidArgument('Minimum memory limit allowed is 4MB');
}
function checkNanoCpus(nano: number, cpus: number): void {
  if (nano !== 0 && (nano < 1e7 || nano > cpus * 1e9)) {
    throw invalidArgument(`Range of CPUs is from 0.01 to ${cpus}.00, as there are only ${cpus} CPUs available`);
  }
}
function checkCpuPeriod(period: number): void {
  if (period !== 0 && (period < 1000 || period > 1_000_000)) {
    throw invalidArgument('CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)');
  }
}
function checkCpuQuota(quota: number): void {
  if (quota > 0 && quota < 1000) throw invalidArgument('CPU cfs quota can not be less than 1ms (i.e. 1000)');
  if (quota < -1) throw invalidArgument(`Invalid CPU cfs quota: ${quota}`);
}
function checkCpuset(cpuset: string): void {
  if (cpuset !== '' && !/^\d+(-\d+)?(,\d+(-\d+)?)*$/.test(cpuset)) throw invalidArgument(`Invalid value ${cpuset} for cpuset cpus`);
}
function checkRetries(retries: number | undefined): void {
  if (retries !== undefined && retries < 0) throw invalidArgument('maximum retry count cannot be negative');
}

/** Range rules, on a HostConfig whose types were checked. `cpus`: online CPUs (tests pass one). */
export function checkHostRanges(h: Record<string, unknown>, cpus = availableParallelism()): void {
  const n = (k: string): number | undefined => (typeof h[k] === 'number' ? (h[k] as number) : undefined);
  const memory = n('Memory');
  if (memory !== undefined && memory < 0) throw invalidArgument(`Invalid memory limit: ${memory}`);
  if (memory !== undefined) checkMemoryFloor(memory);
  const swap = n('MemorySwap');
  if (swap !== undefined && swap < -1) throw invalidArgument(`Invalid memory swap limit: ${swap}`);
  if (swap !== undefined && swap > 0) {
    if ((memory ?? 0) === 0) throw invalidArgument('You should always set the Memory limit when using Memoryswap limit, see usage');
    if (swap < (memory as number)) throw invalidArgument('Minimum memoryswap limit should be larger than memory limit, see usage');
  }
  const nano = n('NanoCpus');
  if (nano !== undefined) checkNanoCpus(nano, cpus);
  // iSulad names the one that clashes: the period first, then the quota
  if (nano !== undefined && nano > 0 && (n('CpuPeriod') ?? 0) > 0) throw invalidArgument('Conflicting options: Nano CPUs and CPU Period cannot both be set');
  if (nano !== undefined && nano > 0 && (n('CpuQuota') ?? 0) > 0) throw invalidArgument('Conflicting options: Nano CPUs and CPU Quota cannot both be set');
  const shares = n('CpuShares');
  if (shares !== undefined && shares < 0) throw invalidArgument(`Invalid CPU shares: ${shares}`);
  const period = n('CpuPeriod');
  if (period !== undefined) checkCpuPeriod(period);
  const quota = n('CpuQuota');
  if (quota !== undefined) checkCpuQuota(quota);
  if (typeof h['CpusetCpus'] === 'string') checkCpuset(h['CpusetCpus']);
  const oom = n('OomScoreAdj');
  if (oom !== undefined && (oom < -1000 || oom > 1000)) throw invalidArgument(`Invalid value ${oom}, range for oom score adj is [-1000, 1000]`);
  const shm = n('ShmSize');
  if (shm !== undefined && shm < 0) throw invalidArgument(`Invalid shm size: ${shm}`);
  checkRetries((h['RestartPolicy'] as { MaximumRetryCount?: number } | undefined)?.MaximumRetryCount);
  for (const u of (h['Ulimits'] as Array<{ Name?: string; Soft?: number; Hard?: number }> | undefined) ?? []) {
    if (u.Soft !== undefined && u.Hard !== undefined && u.Soft > u.Hard && u.Hard >= 0) {
      throw invalidArgument(`Ulimit soft limit must be less than or equal to hard limit: ${u.Soft} > ${u.Hard}`);
    }
  }
  if (Array.isArray(h['SecurityOpt'])) validateSecurityOpts(h['SecurityOpt'] as string[]);
  checkResourceRanges(n, h);
}

/** The rules of iSulad's verify.c for the finer resource flags (messages as iSulad words them). */
function checkResourceRanges(n: (k: string) => number | undefined, h: Record<string, unknown>): void {
  const memory = n('Memory') ?? 0;
  const reservation = n('MemoryReservation');
  if (reservation !== undefined && reservation !== 0) {
    if (reservation < MIN_MEMORY) throw invalidArgument('Minimum memory reservation allowed is 4MB');
    if (memory > 0 && memory < reservation) throw invalidArgument('Minimum memory limit should be larger than memory reservation limit, see usage.');
  }
  const swappiness = n('MemorySwappiness');
  if (swappiness !== undefined && (swappiness < -1 || swappiness > 100)) {
    throw invalidArgument(`Invalid value: ${swappiness}, valid memory swappiness range is 0-100`);
  }
  const kmem = n('KernelMemory');
  if (kmem !== undefined && kmem !== 0 && kmem < MIN_MEMORY) throw invalidArgument('Minimum kernel memory limit allowed is 4MB');
  const rtPeriod = n('CPURealtimePeriod') ?? 0;
  const rtRuntime = n('CPURealtimeRuntime') ?? 0;
  // iSulad compares first: a negative period under a positive runtime is "runtime higher than period"
  if (rtPeriod !== 0 && rtRuntime !== 0 && rtRuntime > rtPeriod) throw invalidArgument('Invalid --cpu-rt-runtime: rt runtime cannot be higher than rt period');
  if (rtPeriod < 0) throw invalidArgument(`Invalid --cpu-rt-period: ${rtPeriod}`);
  const weight = n('BlkioWeight');
  if (weight !== undefined && weight !== 0 && (weight < 10 || weight > 1000)) throw invalidArgument('Range of blkio weight is from 10 to 1000.');
  for (const d of (h['BlkioWeightDevice'] as Array<{ Weight?: number }> | undefined) ?? []) {
    if (d.Weight !== undefined && d.Weight !== 0 && (d.Weight < 10 || d.Weight > 1000)) throw invalidArgument('Range of blkio weight is from 10 to 1000.');
  }
  for (const k of ['BlkioDeviceReadBps', 'BlkioDeviceWriteBps', 'BlkioDeviceReadIops', 'BlkioDeviceWriteIops']) {
    for (const d of (h[k] as Array<{ Path?: string; Rate?: number }> | undefined) ?? []) {
      if (d.Rate !== undefined && d.Rate < 0) throw invalidArgument(`invalid rate for device ${d.Path}: ${d.Rate}`);
    }
  }
  for (const l of (h['Hugetlbs'] as Array<{ PageSize?: string; Limit?: number }> | undefined) ?? []) {
    if (l.Limit !== undefined && l.Limit < 0) throw invalidArgument(`Invalid hugetlb limit: ${l.Limit}`);
  }
  for (const k of Object.keys((h['StorageOpt'] as Record<string, string> | undefined) ?? {})) {
    if (k !== 'size') throw invalidArgument(`Unknown storage option: ${k}`);
  }
  const hc = h['HostChannel'] as { PathOnHost?: string; PathInContainer?: string; Permissions?: string; Size?: number } | undefined;
  if (hc !== undefined) {
    if (!hc.PathOnHost?.startsWith('/') || hc.PathOnHost === '/') throw invalidArgument(`Host channel host path should be absolute: ${hc.PathOnHost}`);
    if (!hc.PathInContainer?.startsWith('/')) throw invalidArgument(`Host channel container path should be absolute: ${hc.PathInContainer}`);
    if (hc.Permissions !== 'rw' && hc.Permissions !== 'ro') throw invalidArgument(`Invalid mount mode for host channel: ${hc.Permissions}`);
    if (hc.Size === undefined || hc.Size < 4096) throw invalidArgument('Invalid size, larger than 4KB is allowed');
  }
  const envTarget = h['EnvTargetFile'];
  if (typeof envTarget === 'string' && envTarget !== '' && !envTarget.startsWith('/')) throw invalidArgument(`env target file path must be absolute: ${envTarget}`);
  const cgroupns = h['CgroupnsMode'];
  if (typeof cgroupns === 'string' && !['', 'host', 'private'].includes(cgroupns) && !cgroupns.startsWith('container:')) throw invalidArgument(`Invalid --cgroupns: ${cgroupns} (host, private or container:<id>)`);
  for (const r of (h['DeviceCgroupRules'] as string[] | undefined) ?? []) {
    if (!DEVICE_CGROUP_RULE.test(r)) throw invalidArgument(`Invalid device cgroup rule ${r}`);
  }
  const nsChange = h['NsChangeOpt'];
  if (typeof nsChange === 'string' && nsChange !== '') checkNsChangeOpt(nsChange, h['SystemContainer'] === true);
}

/** --ns-change-opt: net and/or ipc, for system containers only (iSulad's client checks and words). */
export function checkNsChangeOpt(v: string, systemContainer: boolean): void {
  if (!systemContainer) throw invalidArgument('Unsupported ns-change-opt param in normal container');
  const parts = v.split(',');
  if (parts.length > 2 || parts.some((p) => p !== 'net' && p !== 'ipc')) throw invalidArgument(`invalid ns-change-opt pararm:${v}`);
}

/** "c 1:3 rwm", "b *:* r", "a" (the devices cgroup's own syntax; iSulad's rule regexp) */
export const DEVICE_CGROUP_RULE = /^([acb]) ([0-9]+|\*):([0-9]+|\*) ([rwm]{1,3})$|^a$/;

/** What `isula update` may send (docker's names); other keys are dropped, as docker does. */
const UPDATE: Record<string, Check> = {
  Memory: int, MemorySwap: int, NanoCpus: int, CpuShares: int, CpuQuota: int, CpuPeriod: int, PidsLimit: int,
  CpusetCpus: str, RestartPolicy: obj({ Name: str, MaximumRetryCount: int }),
  CpusetMems: str, MemoryReservation: int, KernelMemory: int, BlkioWeight: int, CPURealtimePeriod: int, CPURealtimeRuntime: int,
};

/** The fields of an update as they come off the wire: types checked, unknown keys dropped. */
export function updatePatchOf(v: unknown): UpdatePatch {
  checkFields(v, UPDATE, 'HostConfig');
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(UPDATE)) {
    const x = (v as Record<string, unknown> | undefined)?.[k];
    if (x !== undefined) out[k] = x;
  }
  const rp = out['RestartPolicy'] as { Name?: string; MaximumRetryCount?: number } | undefined;
  if (rp !== undefined) out['RestartPolicy'] = { Name: rp.Name ?? '', MaximumRetryCount: rp.MaximumRetryCount ?? 0 };
  return out as UpdatePatch;
}

/**
 * The range rules of an update that do not depend on the container (those that do, the conflicts
 * with limits already set, stay in update.ts). Zero means "unchanged"; a negative memory or pids
 * limit means "unlimited" (docker's update).
 */
export function checkUpdateRanges(p: UpdatePatch, cpus = availableParallelism()): void {
  if (p.Memory !== undefined) checkMemoryFloor(p.Memory);
  if (p.MemorySwap !== undefined && p.MemorySwap < -1) throw invalidArgument(`invalid memory swap ${p.MemorySwap}`);
  if (p.CpuShares !== undefined && p.CpuShares !== 0 && p.CpuShares < 2) throw invalidArgument('invalid cpu shares: minimum is 2');
  if (p.NanoCpus !== undefined && p.NanoCpus < 0) throw invalidArgument(`invalid value for --cpus: ${p.NanoCpus / 1e9}`);
  if (p.NanoCpus !== undefined) checkNanoCpus(p.NanoCpus, cpus);
  if (p.CpuQuota !== undefined) checkCpuQuota(p.CpuQuota);
  if (p.CpuPeriod !== undefined) checkCpuPeriod(p.CpuPeriod);
  if (p.CpusetCpus !== undefined) checkCpuset(p.CpusetCpus);
  checkRetries(p.RestartPolicy?.MaximumRetryCount);
}

/**
 * Every type and range rule of a create request; throws invalid-argument with the field's path.
 * Call first thing in create, before any default is merged in.
 */
export function validateCreateRequest(req: CreateRequest, cpus?: number): void {
  checkFields(req.config, CONFIG, 'Config');
  checkFields(req.hostConfig, HOST, 'HostConfig');
  if (req.config !== undefined) checkConfigRanges(req.config as Record<string, unknown>);
  if (req.hostConfig !== undefined) checkHostRanges(req.hostConfig as Record<string, unknown>, cpus);
}

const SECOND_NS = 1e9;

/**
 * Range rules of a Config whose types were checked: iSulad's verify_health_check_parameter (a
 * probe period, timeout or start period under one second, but not 0 = the default, and negative
 * retries are refused; a 1 ns interval from the wire would otherwise probe every millisecond).
 */
export function checkConfigRanges(c: Record<string, unknown>): void {
  const hc = c['Healthcheck'] as { Interval?: number; Timeout?: number; StartPeriod?: number; Retries?: number } | undefined;
  if (hc === undefined || hc === null) return;
  for (const k of ['Interval', 'Timeout', 'StartPeriod'] as const) {
    const v = hc[k];
    if (v !== undefined && v !== 0 && v < SECOND_NS) throw invalidArgument(`${k} in Healthcheck cannot be less than one second`);
  }
  if (hc.Retries !== undefined && hc.Retries < 0) throw invalidArgument('--health-retries cannot be negative');
}
