// The create/run flags of iSulad and their mapping to the Create request: the CLI serialises the
// container config and the host config as JSON (CreateRequest.customconfig / .hostconfig), as
// iSulad's client does. Pure except for reading --env-file and a seccomp profile file, which the
// client reads itself (iSulad sends the profile inline as seccomp=<json>).
import { readFileSync, realpathSync } from 'node:fs';
import { invalidArgument, messageOf } from '../../util/errors.ts';
import { flagBool, flagList, flagNumber, flagString } from '../flags.ts';
import { parseDuration, parseSize } from '../../util/units.ts';
import { parseUlimit } from '../../util/ulimit.ts';
import type { FlagSpec, ParsedFlags } from '../flags.ts';
import { formatHostPort, parseExposeSpec, parsePortSpec } from '../../util/port-spec.ts';
// type-only: the CLI must not load service code (build.mjs checks the static import graph)
import type { BlkioRate, ContainerConfig, DeviceRequest, HealthConfig, HostConfig, MountRequest, RestartPolicy } from '../../types/container-config.ts';

function healthDuration(f: ParsedFlags, name: string): number | undefined {
  const raw = flagString(f, name);
  if (raw === undefined) return undefined;
  const ms = parseDuration(raw);
  if (ms === undefined) throw invalidArgument(`invalid argument "${raw}" for --${name}: invalid duration`);
  if (ms < 0) throw invalidArgument(`--${name} cannot be negative`);
  if (ms > 0 && ms < 1) throw invalidArgument(`--${name} cannot be less than 1ms`);
  return Math.round(ms * 1e6);
}

/** --health-* and --no-healthcheck → Config.Healthcheck (nanoseconds, docker's field names). */
export function healthFlags(f: ParsedFlags): HealthConfig | undefined {
  const cmd = flagString(f, 'health-cmd');
  const interval = healthDuration(f, 'health-interval');
  const timeout = healthDuration(f, 'health-timeout');
  const startPeriod = healthDuration(f, 'health-start-period');
  const retries = flagNumber(f, 'health-retries');
  const exitOnUnhealthy = flagBool(f, 'health-exit-on-unhealthy');
  const any = cmd !== undefined || interval !== undefined || timeout !== undefined || startPeriod !== undefined || retries !== undefined || exitOnUnhealthy;
  if (flagBool(f, 'no-healthcheck')) {
    if (any) throw invalidArgument('--no-healthcheck conflicts with --health-* options');
    return { Test: ['NONE'] };
  }
  if (!any) return undefined;
  if (retries !== undefined && retries < 0) throw invalidArgument('--health-retries cannot be negative');
  const h: HealthConfig = {};
  if (cmd !== undefined && cmd !== '') h.Test = ['CMD-SHELL', cmd];
  if (interval !== undefined) h.Interval = interval;
  if (timeout !== undefined) h.Timeout = timeout;
  if (startPeriod !== undefined) h.StartPeriod = startPeriod;
  if (retries !== undefined) h.Retries = retries;
  if (exitOnUnhealthy) h.ExitOnUnhealthy = true;
  return h;
}


export interface CreateFromFlags {
  name: string;
  image: string;
  runtime: string;
  pull: 'always' | 'missing' | 'never';
  /** --platform as given ("" = the daemon's) */
  platform: string;
  config: Partial<ContainerConfig>;
  hostConfig: Partial<HostConfig>;
  /** --external-rootfs, resolved by the client (iSulad: realpath before the request); '' = none */
  rootfs: string;
}

/** "no" | "always" | "on-failure[:N]" | "unless-stopped" | "on-reboot" ('' = no). */
export function parseRestartPolicy(s: string): RestartPolicy {
  const [name = '', count, ...rest] = s.split(':');
  if (rest.length > 0) throw invalidArgument(`invalid restart policy format ${s}`);
  switch (name) {
    case '':
    case 'no':
    case 'always':
    case 'unless-stopped':
    case 'on-reboot':
      if (count !== undefined) throw invalidArgument(`maximum retry count cannot be used with restart policy '${name}'`);
      return { Name: name, MaximumRetryCount: 0 };
    case 'on-failure': {
      if (count === undefined) return { Name: 'on-failure', MaximumRetryCount: 0 };
      if (!/^[0-9]+$/.test(count)) throw invalidArgument(`maximum retry count must be an integer: ${count}`);
      return { Name: 'on-failure', MaximumRetryCount: Number(count) };
    }
    default:
      throw invalidArgument(`invalid restart policy '${name}'`);
  }
}

export type ReadText = (path: string) => string;

const readText: ReadText = (p) => readFileSync(p, 'utf8');

/** --env-file: KEY=VALUE lines; `#` comments and blank lines skipped; a bare KEY takes the host's value. */
export function parseEnvFile(text: string, env: NodeJS.ProcessEnv = process.env): string[] {
  const out: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/^\s+/, '').replace(/\r$/, '');
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq === 0) throw invalidArgument(`invalid environment variable: ${line}`);
    if (eq < 0) {
      const v = env[line.trim()];
      if (v !== undefined) out.push(`${line.trim()}=${v}`);
      continue;
    }
    out.push(line);
  }
  return out;
}

/** --label-file: one label per line (KEY=VALUE or KEY), blank lines and `#` comments skipped. */
function labelFileLines(file: string, read: ReadText): string[] {
  let text: string;
  try {
    text = read(file);
  } catch (err) {
    throw invalidArgument(`label file not exists: ${file}: ${messageOf(err)}`);
  }
  const out: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    if (line.startsWith('=')) throw invalidArgument(`Invalid label '${line}': empty name`);
    out.push(line);
  }
  return out;
}

/** --host-channel /host/path:/container/path:rw|ro:size (iSulad's client messages). */
export function parseHostChannel(s: string): { PathOnHost: string; PathInContainer: string; Permissions: string; Size: number } {
  const parts = s.split(':');
  if (parts.length !== 4) throw invalidArgument(`Bad host channel format: ${s}`);
  const [host = '', inner = '', mode = '', size = ''] = parts;
  if (!host.startsWith('/')) throw invalidArgument(`Host channel host path should be absolute: ${host}`);
  if (!inner.startsWith('/')) throw invalidArgument(`Host channel container path should be absolute: ${inner}`);
  if (mode !== 'rw' && mode !== 'ro') throw invalidArgument(`Invalid mount mode for host channel: ${s}`);
  const n = parseSize(size);
  if (n === undefined) throw invalidArgument(`Invalid size limit for host channel: ${s}`);
  if (n < 4096) throw invalidArgument('Invalid size, larger than 4KB is allowed');
  return { PathOnHost: host, PathInContainer: inner, Permissions: mode, Size: n };
}

/** --blkio-weight-device /dev/sda:300 */
export function parseWeightDevice(s: string): { Path: string; Weight: number } {
  if (s === '') throw invalidArgument("Weight devices can't be empty");
  const parts = s.split(':');
  if (parts.length !== 2) throw invalidArgument(`Bad blkio weight device format: ${s}`);
  const [path = '', w = ''] = parts;
  if (!path.startsWith('/dev/')) throw invalidArgument(`Bad format for device path: ${s}`);
  const weight = Number(w);
  if (!/^\d+$/.test(w) || (weight !== 0 && (weight < 10 || weight > 1000))) throw invalidArgument(`Invalid weight for device: ${s}`);
  return { Path: path, Weight: weight };
}

/** --device-{read,write}-bps /dev/sda:1mb (a size) and --device-{read,write}-iops /dev/sda:100 (a count) */
export function parseBlkioRate(s: string, bytes: boolean): BlkioRate {
  const parts = s.split(':');
  if (parts.length !== 2) throw invalidArgument(`bad format: ${s}`);
  const [path = '', v = ''] = parts;
  if (!path.startsWith('/dev/')) throw invalidArgument(`bad format for device path: ${s}`);
  const rate = bytes ? parseSize(v) : /^\d+$/.test(v) ? Number(v) : undefined;
  if (rate === undefined || rate < 0 || !Number.isSafeInteger(rate)) {
    throw invalidArgument(bytes
      ? `invalid rate for device: ${s}. The correct format is <device-path>:<number>[<unit>]. Number must be a positive integer. Unit is optional and can be kb, mb, or gb`
      : `invalid rate for device: ${s}. The correct format is <device-path>:<number>. Number must be unsigned 64 bytes integer.`);
  }
  return { Path: path, Rate: rate };
}

function blkioRates(flag: string, key: 'BlkioDeviceReadBps' | 'BlkioDeviceWriteBps' | 'BlkioDeviceReadIops' | 'BlkioDeviceWriteIops', bytes: boolean): Mapper {
  return (f, t) => {
    const v = flagList(f, flag).map((s) => parseBlkioRate(s, bytes));
    if (v.length > 0) t.hc[key] = v;
  };
}

/** "2MB", "1GB", "64KB": a page size in iSulad's spelling (what the hugetlb files are named by). */
export function hugePageSizeName(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let n = bytes;
  let i = 0;
  while (n >= 1024 && n % 1024 === 0 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return `${n}${units[i]}`;
}

/** --hugetlb-limit [pagesize:]limit → { PageSize ('' = the host's default), Limit } */
export function parseHugetlbLimit(s: string): { PageSize: string; Limit: number } {
  const parts = s.split(':');
  if (parts.length > 2) throw invalidArgument(`Invalid arguments "${s}" for flag --hugetlb-limit: too many colons`);
  const [a = '', b] = parts;
  const limit = parseSize(b ?? a);
  if (limit === undefined || limit < 0) throw invalidArgument(`Invalid hugetlb limit:${b ?? a}`);
  if (b === undefined) return { PageSize: '', Limit: limit };
  const page = parseSize(a);
  if (page === undefined || page <= 0) throw invalidArgument(`Parse pagesize error.Invalid hugepage size: ${a}`);
  return { PageSize: hugePageSizeName(page), Limit: limit };
}

/** --mount type=bind,src=/a,dst=/b,ro | type=tmpfs,dst=/t,tmpfs-size=1m,tmpfs-mode=1777 */
export function parseMountFlag(s: string): MountRequest {
  // without type= a mount is a volume (iSulad and docker): `--mount target=/usr` is an anonymous one
  const m: MountRequest = { Type: 'volume', Source: '', Target: '', ReadOnly: false };
  for (const part of s.split(',')) {
    const eq = part.indexOf('=');
    const k = (eq < 0 ? part : part.slice(0, eq)).trim();
    const v = eq < 0 ? '' : part.slice(eq + 1).trim();
    switch (k) {
      case 'type':
        if (v !== 'bind' && v !== 'tmpfs' && v !== 'volume') throw invalidArgument(`Invalid mount type "${v}": only bind, volume and tmpfs are supported`);
        m.Type = v;
        break;
      case 'src':
      case 'source':
        m.Source = v;
        break;
      case 'dst':
      case 'destination':
      case 'target':
        m.Target = v;
        break;
      case 'ro':
      case 'readonly':
        m.ReadOnly = v === '' || v === 'true' || v === '1';
        break;
      case 'bind-propagation':
        m.BindPropagation = v;
        break;
      case 'bind-selinux-opts':
        // SELinux relabelling (z/Z), as -v's z/Z: accepted, nothing to relabel without SELinux
        if (v !== 'z' && v !== 'Z') throw invalidArgument(`Invalid bind-selinux-opts "${v}": z or Z`);
        break;
      case 'volume-nocopy':
        m.VolumeNoCopy = v === '' || v === 'true' || v === '1';
        break;
      case 'tmpfs-size': {
        const n = parseSize(v);
        if (n === undefined) throw invalidArgument(`Invalid tmpfs-size: ${v}`);
        m.TmpfsSize = n;
        break;
      }
      case 'tmpfs-mode':
        if (!/^[0-7]+$/.test(v)) throw invalidArgument(`Invalid tmpfs-mode: ${v}`);
        m.TmpfsMode = parseInt(v, 8);
        break;
      default:
        throw invalidArgument(`Unexpected key '${k}' in '${s}'`);
    }
  }
  if (m.Target === '') throw invalidArgument(`Invalid mount specification '${s}': destination is required`);
  if (m.Type === 'bind' && m.Source === '') throw invalidArgument(`Invalid mount specification '${s}': source is required for bind mounts`);
  if (m.Type !== 'bind' && m.BindPropagation) throw invalidArgument(`Invalid mount specification '${s}': bind-propagation is only for bind mounts`);
  if (m.Type !== 'volume' && m.VolumeNoCopy) throw invalidArgument(`Invalid mount specification '${s}': volume-nocopy is only for volume mounts`);
  return m;
}

/** --device /dev/x[:/dev/y][:rwm] */
export function parseDeviceFlag(s: string): DeviceRequest {
  const parts = s.split(':');
  const host = parts[0] ?? '';
  let inContainer = host;
  let perms = 'rwm';
  if (parts.length === 2) {
    if (/^[rwm]+$/.test(parts[1] ?? '')) perms = parts[1] as string;
    else inContainer = parts[1] as string;
  } else if (parts.length === 3) {
    inContainer = parts[1] as string;
    perms = parts[2] as string;
  } else if (parts.length > 3) throw invalidArgument(`invalid device specification: ${s}`);
  if (!host.startsWith('/') || !inContainer.startsWith('/') || !/^[rwm]+$/.test(perms)) throw invalidArgument(`invalid device specification: ${s}`);
  return { PathOnHost: host, PathInContainer: inContainer, CgroupPermissions: perms };
}

function keyValues(list: string[], flag: string, bareOk = false): Record<string, string> {
  const out: Record<string, string> = {};
  for (const kv of list) {
    const eq = kv.indexOf('=');
    if (eq === 0 || (eq < 0 && !bareOk)) throw invalidArgument(`Invalid value "${kv}" for flag --${flag}: expected key=value`);
    if (eq < 0) out[kv] = '';
    else out[kv.slice(0, eq)] = kv.slice(eq + 1);
  }
  return out;
}

// iSulad's keys per driver; syslog-address (docker's key: unix[gram]://PATH, default /dev/log) is
// ours. disable-log=true: no console log on disk, `isula logs` refuses; attach and run still show
// the output (followed from the daemon's state tmpfs, src/services/containers/console-log.ts)
const LOG_OPT_KEYS: Record<string, ReadonlySet<string>> = {
  'json-file': new Set(['max-size', 'max-file', 'disable-log']),
  syslog: new Set(['syslog-tag', 'syslog-facility', 'syslog-address', 'disable-log']),
};
const LOG_FACILITIES = new Set(['kern', 'user', 'mail', 'daemon', 'auth', 'syslog', 'lpr', 'news', 'uucp', 'cron', 'authpriv', 'ftp', 'local0', 'local1', 'local2', 'local3', 'local4', 'local5', 'local6', 'local7']);

// iSulad takes `none` for --pid/--ipc/--uts as the container's own namespace (run.sh uses it)
function namespaceFlag(v: string | undefined, flag: string, allowed: readonly string[]): string | undefined {
  if (v === undefined) return undefined;
  if (allowed.includes(v) || v.startsWith('container:')) return v;
  throw invalidArgument(`Invalid --${flag}: ${v} (supported: ${allowed.join(', ')}, container:<id>)`);
}

/** What the flag mappers fill: the two request parts, and the client-side file reader. */
export interface FlagTarget {
  config: Partial<ContainerConfig>;
  hc: Partial<HostConfig>;
  read: ReadText;
}

type Mapper = (f: ParsedFlags, t: FlagTarget) => void;

/**
 * One create/run flag: how it is parsed and shown in help, and what it does to the request.
 * A row without a mapper is read by another row's mapper (--env-file by --env's) or by
 * createFromFlags itself (--name, --runtime, --pull, --platform). Mappers run in table order,
 * then CROSS_CHECKS.
 */
export interface FlagRow {
  spec: FlagSpec;
  map?: Mapper;
}

const row = (spec: FlagSpec, map?: Mapper): FlagRow => (map ? { spec, map } : { spec });

/** A flag copied as given into Config / HostConfig. */
function toConfig<K extends 'User' | 'Hostname' | 'StopSignal'>(flag: string, key: K): Mapper {
  return (f, t) => {
    const v = flagString(f, flag);
    if (v !== undefined) t.config[key] = v;
  };
}

/**
 * --cpus as nano-CPUs: the syntax only (a decimal number, iSulad's client words). 0 is "no limit";
 * the range (0.01 to the online CPUs) is the daemon validator's (services/containers/validate.ts).
 */
export function parseCpus(v: string): number {
  const n = Number(v);
  if (!/^\d+(\.\d+)?$/.test(v) || !Number.isFinite(n)) throw invalidArgument(`Invalid value "${v}" for flag --cpus`);
  return Math.round(n * 1e9);
}

function hcNumber<K extends 'CpuShares' | 'CpuQuota' | 'CpuPeriod' | 'PidsLimit' | 'OomScoreAdj'>(flag: string, key: K, check?: (n: number) => void): Mapper {
  return (f, t) => {
    const v = flagNumber(f, flag);
    if (v === undefined) return;
    check?.(v);
    t.hc[key] = v;
  };
}

function hcBool<K extends 'AutoRemove' | 'ReadonlyRootfs' | 'Privileged' | 'PublishAllPorts'>(flag: string, key: K): Mapper {
  return (f, t) => {
    if (flagBool(f, flag)) t.hc[key] = true;
  };
}

function hcList<K extends 'VolumesFrom' | 'CapAdd' | 'CapDrop'>(flag: string, key: K): Mapper {
  return (f, t) => {
    const v = flagList(f, flag);
    if (v.length > 0) t.hc[key] = v;
  };
}

const mapEnv: Mapper = (f, t) => {
  const env: string[] = [];
  for (const file of flagList(f, 'env-file')) {
    let text: string;
    try {
      text = t.read(file);
    } catch (err) {
      throw invalidArgument(`Failed to read env file ${file}: ${messageOf(err)}`);
    }
    env.push(...parseEnvFile(text));
  }
  for (const e of flagList(f, 'env')) {
    if (e.startsWith('=')) throw invalidArgument(`invalid environment variable: ${e}`);
    // `-e KEY` takes the value from the client's environment, like docker
    if (!e.includes('=')) {
      const v = process.env[e];
      if (v !== undefined) env.push(`${e}=${v}`);
    } else env.push(e);
  }
  if (env.length > 0) t.config.Env = env;
};

const mapTmpfs: Mapper = (f, t) => {
  const tmpfs: Record<string, string> = {};
  for (const v of flagList(f, 'tmpfs')) {
    const i = v.indexOf(':');
    const dst = i < 0 ? v : v.slice(0, i);
    if (!dst.startsWith('/')) throw invalidArgument(`Invalid tmpfs: ${v}: destination must be an absolute path`);
    tmpfs[dst] = i < 0 ? '' : v.slice(i + 1);
  }
  if (Object.keys(tmpfs).length > 0) t.hc.Tmpfs = tmpfs;
};

const mapVolumes: Mapper = (f, t) => {
  const binds = flagList(f, 'volume');
  for (const b of binds) {
    // /dst (anonymous volume), name:/dst[:modes] (named volume) or /src:/dst[:modes] (bind)
    const parts = b.split(':');
    const dst = parts.length === 1 ? parts[0] : parts[1];
    if (parts.length > 3 || parts[0] === '' || !dst?.startsWith('/')) throw invalidArgument(`Invalid volume specification: ${b}`);
  }
  if (binds.length > 0) t.hc.Binds = binds;
};

const mapMemorySwap: Mapper = (f, t) => {
  const swap = flagString(f, 'memory-swap');
  if (swap === undefined) return;
  const n = swap === '-1' ? -1 : parseSize(swap);
  if (n === undefined) throw invalidArgument(`Invalid value "${swap}" for flag --memory-swap`);
  t.hc.MemorySwap = n;
};

/** iSulad's client bound on --net: 1024 names of at most 200 characters, comma-joined. */
const MAX_NET_MODE = 201 * 1024 - 1;

const mapNet: Mapper = (f, t) => {
  // --network is iSulad's second name of --net (both set one value: the last given wins)
  const keys = [...f.values.keys()].filter((k) => k === 'net' || k === 'network');
  const last = keys[keys.length - 1];
  const netFlag = last === undefined ? undefined : flagString(f, last);
  if (netFlag === undefined) return;
  if (netFlag === '') throw invalidArgument('invalid network mode ""');
  if (netFlag.length > MAX_NET_MODE) throw invalidArgument(`Network mode "${netFlag}" is too long`);
  t.hc.NetworkMode = netFlag.startsWith('container:') || ['none', 'host', 'bridge'].includes(netFlag) ? (namespaceFlag(netFlag, 'net', ['none', 'host', 'bridge']) ?? netFlag) : netFlag;
};

const mapPublish: Mapper = (f, t) => {
  const bindings: NonNullable<HostConfig['PortBindings']> = {};
  for (const spec of flagList(f, 'publish')) {
    for (const b of parsePortSpec(spec)) {
      (bindings[`${b.containerPort}/${b.protocol}`] ??= []).push({ HostIp: b.hostIP, HostPort: formatHostPort(b) });
    }
  }
  if (Object.keys(bindings).length > 0) t.hc.PortBindings = bindings;
};

const mapExpose: Mapper = (f, t) => {
  const exposed: Record<string, Record<string, never>> = {};
  for (const e of flagList(f, 'expose')) for (const k of parseExposeSpec(e)) exposed[k] = {};
  if (Object.keys(exposed).length > 0) t.config.ExposedPorts = exposed;
};

function hcNetList(flag: string, key: 'Dns' | 'DnsSearch' | 'DnsOptions' | 'ExtraHosts', check?: (v: string) => void): Mapper {
  return (f, t) => {
    const v = flagList(f, flag);
    if (v.length === 0) return;
    if (check) v.forEach(check);
    t.hc[key] = v;
  };
}

function hcNamespace(flag: string, key: 'PidMode' | 'UTSMode', allowed: readonly string[]): Mapper {
  return (f, t) => {
    const v = namespaceFlag(flagString(f, flag), flag, allowed);
    if (v !== undefined) t.hc[key] = v;
  };
}

const mapLog: Mapper = (f, t) => {
  const driver = flagString(f, 'log-driver');
  const keys = LOG_OPT_KEYS[driver ?? 'json-file'];
  if (keys === undefined) throw invalidArgument(`Unsupported log driver: ${driver} (supported: json-file, syslog)`);
  const logOpts = keyValues(flagList(f, 'log-opt'), 'log-opt');
  for (const [k, v] of Object.entries(logOpts)) {
    if (!keys.has(k)) throw invalidArgument(`Invalid log opt: ${k}`);
    if (v.length > 255) throw invalidArgument(`Invalid log opt value for ${k}: longer than 255 characters`);
  }
  const disable = logOpts['disable-log'];
  if (disable !== undefined && disable !== 'true' && disable !== 'false') throw invalidArgument(`Invalid log opt value for disable-log: ${disable} (true or false)`);
  const facility = logOpts['syslog-facility'];
  if (facility !== undefined && !LOG_FACILITIES.has(facility)) throw invalidArgument(`Invalid option 'syslog-facility', value:${facility}`);
  const address = logOpts['syslog-address'];
  if (address !== undefined && !/^unix(gram)?:\/\/\/./.test(address)) throw invalidArgument(`Invalid log opt value for syslog-address: ${address} (unix:///PATH or unixgram:///PATH)`);
  if (driver !== undefined || Object.keys(logOpts).length > 0) t.hc.LogConfig = { Type: driver ?? 'json-file', Config: logOpts };
};

const IPV4 = /^(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])){3}$/;

const MAX_ID_OFFSET = 65535;

/**
 * --user-remap HOSTUID:HOSTGID:SIZE: iSulad's client checks first (its words: where it applies, the
 * format), then the refusal, naming why: iSulad maps the container's root to HOSTUID:HOSTGID in a
 * user namespace (OCI uid/gid mappings, lxc.idmap) for a system container on an external rootfs
 * the user has chowned; the engine's own files bound into the container (/etc/hosts, hostname,
 * resolv.conf under the 0700 containers dir, the host channel, a /dev tmpfs) and the container's
 * cgroup would have to be owned by the mapped ids too, which this engine does not do.
 */
export function checkUserRemap(v: string, privileged: boolean, systemContainer: boolean, externalRootfs: boolean): void {
  if (privileged || !systemContainer || !externalRootfs) throw invalidArgument('--user-remap only available for system container');
  const parts = v.split(':');
  if (parts.length !== 3) throw invalidArgument(`Invalid user remap specification '${v}'. unsupported format`);
  const uint = (x: string) => /^[0-9]+$/.test(x) && Number(x) <= 0xffffffff;
  if (!uint(parts[0] as string)) throw invalidArgument(`Invalid host uid for '${v}', uid must be unsigned int`);
  if (!uint(parts[1] as string)) throw invalidArgument(`Invalid host gid for '${v}', gid must be unsigned int`);
  if (!uint(parts[2] as string)) throw invalidArgument(`Invalid id offset for '${v}', offset must be unsigned int`);
  const size = Number(parts[2]);
  if (size === 0 || size > MAX_ID_OFFSET) throw invalidArgument(`Invalid id offset for '${v}', offset must be greater than 0 and less than ${MAX_ID_OFFSET}`);
}

/**
 * iSulad flags this engine does not implement: known, listed in help, and refused with the reason
 * (instead of an unknown-flag error that stops a script without saying why).
 */
const NOT_OFFERED: ReadonlyArray<[FlagSpec, string]> = [];

export const CREATE_ROWS: readonly FlagRow[] = [
  row({ long: 'name', short: 'n', kind: 'string', description: 'Name of the container', metavar: 'name' }),
  row({ long: 'env', short: 'e', kind: 'list', description: 'Set environment variables' }, mapEnv),
  row({ long: 'env-file', kind: 'list', description: 'Read in a line delimited file of environment variables' }),
  row({ long: 'entrypoint', kind: 'string', description: 'Entrypoint to run when starting the container' }, (f, t) => {
    const v = flagString(f, 'entrypoint');
    if (v !== undefined) t.config.Entrypoint = v === '' ? [] : [v];
  }),
  row({ long: 'user', short: 'u', kind: 'string', description: 'Username or UID (format: <name|uid>[:<group|gid>])' }, toConfig('user', 'User')),
  row({ long: 'workdir', short: 'w', kind: 'string', description: 'Working directory inside the container' }, (f, t) => {
    const v = flagString(f, 'workdir');
    if (v === undefined) return;
    if (!v.startsWith('/')) throw invalidArgument(`Invalid workdir: ${v}: must be an absolute path`);
    t.config.WorkingDir = v;
  }),
  row({ long: 'hostname', short: 'h', kind: 'string', description: 'Container host name' }, toConfig('hostname', 'Hostname')),
  row({ long: 'label', short: 'l', kind: 'list', description: 'Set metadata on container (default [])' }, (f, t) => {
    const fromFiles = flagList(f, 'label-file').flatMap((file) => labelFileLines(file, t.read));
    const labels = keyValues([...fromFiles, ...flagList(f, 'label')], 'label', true);
    if (Object.keys(labels).length > 0) t.config.Labels = labels;
  }),
  row({ long: 'label-file', kind: 'list', description: 'Read in a line delimited file of labels (default [])' }),
  row({ long: 'annotation', kind: 'list', description: 'Set annotations on a container' }, (f, t) => {
    const annotations = keyValues(flagList(f, 'annotation'), 'annotation');
    if (Object.keys(annotations).length > 0) t.config.Annotations = annotations;
  }),
  row({ long: 'restart', kind: 'string', description: 'Restart policy to apply when a container exits(no, always, on-reboot, on-failure[:max-retries], unless-stopped)' }, (f, t) => {
    const v = flagString(f, 'restart');
    if (v !== undefined) t.hc.RestartPolicy = parseRestartPolicy(v);
  }),
  row({ long: 'read-only', kind: 'bool', description: "Make container's root filesystem read-only" }, hcBool('read-only', 'ReadonlyRootfs')),
  row({ long: 'tmpfs', kind: 'list', description: 'Mount a tmpfs directory' }, mapTmpfs),
  row({ long: 'volume', short: 'v', kind: 'list', description: 'Bind mount a volume' }, mapVolumes),
  row({ long: 'mount', kind: 'list', description: 'Attach a filesystem mount to the service' }, (f, t) => {
    const mounts = flagList(f, 'mount').map(parseMountFlag);
    if (mounts.length > 0) t.hc.Mounts = mounts;
  }),
  row({ long: 'volumes-from', kind: 'list', description: 'Mount volumes from the specified container(s)' }, hcList('volumes-from', 'VolumesFrom')),
  row({ long: 'shm-size', kind: 'size', description: 'Size of /dev/shm, default value is 64MB' }, (f, t) => {
    // a size (syntax); 0 is iSulad's default (64MB), the range is the validator's
    const shm = flagNumber(f, 'shm-size');
    if (shm !== undefined) t.hc.ShmSize = shm;
  }),
  row({ long: 'privileged', kind: 'bool', description: 'Give extended privileges to this container' }, hcBool('privileged', 'Privileged')),
  row({ long: 'cap-add', kind: 'list', description: 'Add Linux capabilities' }, hcList('cap-add', 'CapAdd')),
  row({ long: 'cap-drop', kind: 'list', description: 'Drop Linux capabilities' }, hcList('cap-drop', 'CapDrop')),
  row({ long: 'security-opt', kind: 'list', description: 'Security Options (default [])' }, (f, t) => {
    const opts = flagList(f, 'security-opt').map((o) => securityOpt(o, t.read));
    if (opts.length > 0) t.hc.SecurityOpt = opts;
  }),
  row({ long: 'device', kind: 'list', description: 'Add a host device to the container' }, (f, t) => {
    const devices = flagList(f, 'device').map(parseDeviceFlag);
    if (devices.length > 0) t.hc.Devices = devices;
  }),
  row({ long: 'sysctl', kind: 'list', description: 'Sysctl options' }, (f, t) => {
    const sysctls = keyValues(flagList(f, 'sysctl'), 'sysctl');
    if (Object.keys(sysctls).length > 0) t.hc.Sysctls = sysctls;
  }),
  row({ long: 'ulimit', kind: 'list', description: 'Ulimit options (default [])' }, (f, t) => {
    const ulimits = flagList(f, 'ulimit').map((u) => parseUlimit(u.trim()));
    if (ulimits.length > 0) t.hc.Ulimits = ulimits;
  }),
  row({ long: 'memory', short: 'm', kind: 'size', description: 'Memory limit' }, (f, t) => {
    const memory = flagNumber(f, 'memory');
    if (memory !== undefined) t.hc.Memory = memory;
  }),
  row({ long: 'memory-swap', kind: 'string', description: "Swap limit equal to memory plus swap: '-1' to enable unlimited swap" }, mapMemorySwap),
  row({ long: 'cpus', kind: 'string', description: 'Number of CPUs' }, (f, t) => {
    const cpus = flagString(f, 'cpus');
    if (cpus === undefined) return;
    t.hc.NanoCpus = parseCpus(cpus);
  }),
  row({ long: 'cpu-shares', kind: 'int', description: 'CPU shares (relative weight)' }, hcNumber('cpu-shares', 'CpuShares')),
  row({ long: 'cpu-quota', kind: 'int', description: 'Limit CPU CFS (Completely Fair Scheduler) quota' }, hcNumber('cpu-quota', 'CpuQuota')),
  row({ long: 'cpu-period', kind: 'int', description: 'Limit CPU CFS (Completely Fair Scheduler) period' }, hcNumber('cpu-period', 'CpuPeriod')),
  row({ long: 'cpuset-cpus', kind: 'string', description: 'CPUs in which to allow execution (e.g. 0-3, 0,1)' }, (f, t) => {
    const v = flagString(f, 'cpuset-cpus');
    if (v !== undefined) t.hc.CpusetCpus = v;
  }),
  row({ long: 'pids-limit', kind: 'int', description: 'Tune container pids limit (set -1 for unlimited)' }, hcNumber('pids-limit', 'PidsLimit')),
  row({ long: 'oom-score-adj', kind: 'int', description: "Tune host's OOM preferences (-1000 to 1000)" }, hcNumber('oom-score-adj', 'OomScoreAdj')),
  row({ long: 'memory-reservation', kind: 'size', description: 'Memory soft limit' }, (f, t) => {
    const v = flagNumber(f, 'memory-reservation');
    if (v !== undefined) t.hc.MemoryReservation = v;
  }),
  row({ long: 'memory-swappiness', kind: 'string', description: 'Tune container memory swappiness (0 to 100) (default -1)' }, (f, t) => {
    const v = flagString(f, 'memory-swappiness');
    if (v === undefined) return;
    // an integer (syntax, iSulad's client words); 0-100 or -1 is the validator's
    if (!/^-?\d+$/.test(v) || !Number.isSafeInteger(Number(v))) throw invalidArgument(`Invalid value "${v}" for flag --memory-swappiness. Valid memory swappiness range is 0-100`);
    t.hc.MemorySwappiness = Number(v);
  }),
  row({ long: 'kernel-memory', kind: 'size', description: 'Kernel memory limit' }, (f, t) => {
    const v = flagNumber(f, 'kernel-memory');
    if (v !== undefined) t.hc.KernelMemory = v;
  }),
  row({ long: 'oom-kill-disable', kind: 'bool', description: 'Disable OOM Killer' }, (f, t) => {
    if (flagBool(f, 'oom-kill-disable')) t.hc.OomKillDisable = true;
  }),
  row({ long: 'cpuset-mems', kind: 'string', description: 'MEMs in which to allow execution (0-3, 0,1)' }, (f, t) => {
    const v = flagString(f, 'cpuset-mems');
    if (v !== undefined) t.hc.CpusetMems = v;
  }),
  row({ long: 'cpu-rt-period', kind: 'int', description: 'Limit CPU real-time period in microseconds.' }, (f, t) => {
    const v = flagNumber(f, 'cpu-rt-period');
    if (v !== undefined) t.hc.CPURealtimePeriod = v;
  }),
  row({ long: 'cpu-rt-runtime', kind: 'int', description: 'Limit CPU real-time runtime in microseconds.' }, (f, t) => {
    const v = flagNumber(f, 'cpu-rt-runtime');
    if (v !== undefined) t.hc.CPURealtimeRuntime = v;
  }),
  row({ long: 'blkio-weight', kind: 'u16', description: 'Block IO (relative weight), between 10 and 1000, or 0 to disable (default 0)' }, (f, t) => {
    // an integer; 10-1000 or 0 is the validator's
    const v = flagNumber(f, 'blkio-weight');
    if (v !== undefined) t.hc.BlkioWeight = v;
  }),
  row({ long: 'blkio-weight-device', kind: 'list', description: 'Block IO weight (relative device weight) (default []), format: DEVICE_NAME:WEIGHT, weight value between 10 and 1000, or 0 to disable (default 0)' }, (f, t) => {
    const v = flagList(f, 'blkio-weight-device').map(parseWeightDevice);
    if (v.length > 0) t.hc.BlkioWeightDevice = v;
  }),
  row({ long: 'device-read-bps', kind: 'list', description: 'Limit read rate (bytes per second) from a device (default []),format: <device-path>:<number>[<unit>], Number is a positive integer' }, blkioRates('device-read-bps', 'BlkioDeviceReadBps', true)),
  row({ long: 'device-write-bps', kind: 'list', description: 'Limit write rate (bytes per second) to a device (default []),format: <device-path>:<number>[<unit>], Number is a positive integer' }, blkioRates('device-write-bps', 'BlkioDeviceWriteBps', true)),
  row({ long: 'device-read-iops', kind: 'list', description: 'Limit read rate (IO per second) from a device (format: <device-path>:<number>),number is unsigned 64 bytes integer' }, blkioRates('device-read-iops', 'BlkioDeviceReadIops', false)),
  row({ long: 'device-write-iops', kind: 'list', description: 'Limit write rate (IO per second) to a device (format: <device-path>:<number>),number is unsigned 64 bytes integer.' }, blkioRates('device-write-iops', 'BlkioDeviceWriteIops', false)),
  row({ long: 'hugetlb-limit', kind: 'list', description: 'Huge page limit (format: [size:]<limit>, e.g. --hugetlb-limit 2MB:32MB)' }, (f, t) => {
    const v = flagList(f, 'hugetlb-limit').map(parseHugetlbLimit);
    if (v.length > 0) t.hc.Hugetlbs = v;
  }),
  row({ long: 'files-limit', kind: 'int', description: 'Tune container files limit (set -1 for unlimited)' }, (f, t) => {
    const v = flagNumber(f, 'files-limit');
    if (v !== undefined) t.hc.FilesLimit = v;
  }),
  row({ long: 'cgroup-parent', kind: 'string', description: 'Optional parent cgroup for the container' }, (f, t) => {
    const v = flagString(f, 'cgroup-parent');
    if (v !== undefined) t.hc.CgroupParent = v;
  }),
  row({ long: 'host-channel', kind: 'string', description: 'Create share memory between host and container (host-path:container-path:rw|ro:size)' }, (f, t) => {
    const v = flagString(f, 'host-channel');
    if (v !== undefined) t.hc.HostChannel = parseHostChannel(v);
  }),
  row({ long: 'hook-spec', kind: 'string', description: 'File containing hook definition(prestart, poststart, poststop)' }, (f, t) => {
    const v = flagString(f, 'hook-spec');
    if (v === undefined) return;
    if (!v.startsWith('/')) throw invalidArgument(`Hook path "${v}" must be an absolute path`);
    t.hc.HookSpec = v;
  }),
  row({ long: 'storage-opt', kind: 'list', description: 'Storage driver options for the container' }, (f, t) => {
    const opts: Record<string, string> = {};
    for (const o of flagList(f, 'storage-opt')) {
      const eq = o.indexOf('=');
      if (eq <= 0) throw invalidArgument(`Invalid storage option '${o}'`);
      opts[o.slice(0, eq)] = o.slice(eq + 1);
    }
    if (Object.keys(opts).length > 0) t.hc.StorageOpt = opts;
  }),
  row({ long: 'external-rootfs', kind: 'string', description: 'Specify the custom rootfs that is not managed by isulad for the container, directory (IMAGE is then a config image, or none)' }),
  row({ long: 'env-target-file', kind: 'string', description: 'Export env to target file path in rootfs' }, (f, t) => {
    const v = flagString(f, 'env-target-file');
    if (v !== undefined) t.hc.EnvTargetFile = v;
  }),
  ...NOT_OFFERED.map(([spec, why]) => row(spec, (f) => {
    if (f.values.has(spec.long)) throw invalidArgument(`--${spec.long} is not supported by this isulad: ${why}`);
  })),
  row({ long: 'system-container', kind: 'bool', description: 'Extend some features only needed by running system container' }, (f, t) => {
    if (flagBool(f, 'system-container')) t.hc.SystemContainer = true;
  }),
  // checked by the daemon (net and/or ipc, system containers only), in iSulad's client words
  row({ long: 'ns-change-opt', kind: 'string', description: 'Namespaced kernel param options for system container (default [])' }, (f, t) => {
    const v = flagString(f, 'ns-change-opt');
    if (v !== undefined) t.hc.NsChangeOpt = v;
  }),
  row({ long: 'user-remap', kind: 'string', description: 'Set user remap for container' }, (f, t) => {
    const v = flagString(f, 'user-remap');
    if (v === undefined) return;
    checkUserRemap(v, flagBool(f, 'privileged') === true, flagBool(f, 'system-container') === true, flagString(f, 'external-rootfs') !== undefined);
    t.hc.UserRemap = v;
  }),
  row({ long: 'no-pivot', kind: 'bool', description: 'disable use of pivot-root (oci runtime only)' }, (f, t) => {
    if (flagBool(f, 'no-pivot')) t.hc.NoPivotRoot = true;
  }),
  // iSulad (userns-remap builds): host opts out of the daemon's --userns-remap; '' keeps it
  row({ long: 'userns', kind: 'string', description: 'Set the usernamespace mode for the container when `userns-remap` option is enabled.' }, (f, t) => {
    const v = flagString(f, 'userns');
    if (v === undefined || v === '') return;
    if (v !== 'host') throw invalidArgument(`Unsupported user mode ${v}`);
    t.hc.UsernsMode = v;
  }),
  row({ long: 'cgroupns', kind: 'string', description: 'Cgroup namespace to use (host|private|container:<id>)' }, (f, t) => {
    const v = flagString(f, 'cgroupns');
    if (v === undefined) return;
    if (v !== 'host' && v !== 'private' && !v.startsWith('container:')) throw invalidArgument(`Invalid value "${v}" for flag --cgroupns: host, private or container:<id>`);
    t.hc.CgroupnsMode = v;
  }),
  row({ long: 'device-cgroup-rule', kind: 'list', description: 'Add a rule to the cgroup allowed devices list.' }, (f, t) => {
    const v = flagList(f, 'device-cgroup-rule');
    for (const r of v) if (!/^([acb]) ([0-9]+|\*):([0-9]+|\*) ([rwm]{1,3})$|^a$/.test(r)) throw invalidArgument(`Invalid value "${r}" for flag --device-cgroup-rule`);
    if (v.length > 0) t.hc.DeviceCgroupRules = v;
  }),
  row({ long: 'group-add', kind: 'list', description: 'Add additional groups to join' }, (f, t) => {
    const v = flagList(f, 'group-add');
    if (v.length > 0) t.hc.GroupAdd = v;
  }),
  row({ long: 'health-cmd', kind: 'string', description: 'Command to run to check health' }, (f, t) => {
    const health = healthFlags(f);
    if (health) t.config.Healthcheck = health;
  }),
  row({ long: 'health-interval', kind: 'string', description: 'Time between running the check (ms|s|m|h) (default 30s)' }),
  row({ long: 'health-timeout', kind: 'string', description: 'Maximum time to allow one check to run (ms|s|m|h) (default 30s)' }),
  row({ long: 'health-start-period', kind: 'string', description: 'Start period for the container to initialize before starting health-retries countdown (ms|s|m|h) (default 0s)' }),
  row({ long: 'health-retries', kind: 'int', description: 'Consecutive failures needed to report unhealthy (default 3)' }),
  row({ long: 'no-healthcheck', kind: 'bool', description: 'Disable any container-specified HEALTHCHECK' }),
  row({ long: 'health-exit-on-unhealthy', kind: 'bool', description: 'Stop the container when it becomes unhealthy' }),
  row({ long: 'stop-signal', kind: 'string', description: 'Signal to stop a container (default "SIGTERM")' }, toConfig('stop-signal', 'StopSignal')),
  row({ long: 'net', kind: 'string', description: 'Connect a container to a network (bridge, none, host, container:<id>, or network names: a,b,c)' }, mapNet),
  row({ long: 'publish', short: 'p', kind: 'list', description: "Publish a container's port(s) to the host ([ip:][hostPort:]containerPort[/proto])" }, mapPublish),
  row({ long: 'publish-all', short: 'P', kind: 'bool', description: 'Publish all exposed ports to random ports' }, hcBool('publish-all', 'PublishAllPorts')),
  row({ long: 'expose', kind: 'list', description: 'Expose a port or a range of ports' }, mapExpose),
  row({ long: 'ip', kind: 'string', description: 'IPv4 address (e.g., 172.30.100.104)' }, (f, t) => {
    const ip = flagString(f, 'ip');
    if (ip === undefined) return;
    if (!IPV4.test(ip)) throw invalidArgument(`invalid IPv4 address: ${ip}`);
    t.hc.IPv4Address = ip;
  }),
  row({ long: 'mac-address', kind: 'string', description: 'Container MAC address (e.g., 92:d0:c6:0a:29:33)' }, (f, t) => {
    const mac = flagString(f, 'mac-address');
    if (mac === undefined) return;
    if (!/^([0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2}$/.test(mac)) throw invalidArgument(`invalid MAC address: ${mac}`);
    t.config.MacAddress = mac.toLowerCase();
  }),
  row({ long: 'dns', kind: 'list', description: 'Set custom DNS servers' }, hcNetList('dns', 'Dns', (d) => {
    if (!/^[0-9a-fA-F.:]+$/.test(d)) throw invalidArgument(`invalid DNS server address: ${d}`);
  })),
  row({ long: 'dns-search', kind: 'list', description: 'Set custom DNS search domains' }, hcNetList('dns-search', 'DnsSearch')),
  row({ long: 'dns-opt', kind: 'list', description: 'Set DNS options' }, hcNetList('dns-opt', 'DnsOptions')),
  row({ long: 'add-host', kind: 'list', description: 'Add a custom host-to-IP mapping (host:ip)' }, hcNetList('add-host', 'ExtraHosts', (h) => {
    if (!/^[a-zA-Z0-9]([a-zA-Z0-9.-]*[a-zA-Z0-9])?[:=][0-9a-fA-F.:]+$/.test(h)) throw invalidArgument(`invalid argument "${h}" for --add-host: want HOST:IP`);
  })),
  row({ long: 'network', kind: 'string', description: 'Connect a container to a network (the same as --net)' }),
  row({ long: 'pid', kind: 'string', description: 'PID namespace to use' }, hcNamespace('pid', 'PidMode', ['host', 'none'])),
  row({ long: 'ipc', kind: 'string', description: 'IPC namespace to use' }, (f, t) => {
    const ipc = namespaceFlag(flagString(f, 'ipc'), 'ipc', ['host', 'shareable', 'private', 'none']);
    if (ipc !== undefined) t.hc.IpcMode = ipc === 'private' ? '' : ipc;
  }),
  row({ long: 'uts', kind: 'string', description: 'UTS namespace to use' }, hcNamespace('uts', 'UTSMode', ['host', 'none'])),
  row({ long: 'log-driver', kind: 'string', description: 'Container log driver, support json-file and syslog' }, mapLog),
  row({ long: 'log-opt', kind: 'list', description: 'Container log options, value formate: key=value' }),
  row({ long: 'runtime', short: 'R', kind: 'string', description: 'Runtime to use for containers(default: lcr)' }),
  row({ long: 'platform', kind: 'string', description: 'Set platform if server is multi-platform capable (os/arch[/variant]); the image must match' }),
  row({ long: 'pull', kind: 'string', description: 'Pull image before running ("always"|"missing"|"never") (default "missing")' }),
  row({ long: 'rm', kind: 'bool', description: 'Automatically remove the container when it exits' }, hcBool('rm', 'AutoRemove')),
  row({ long: 'interactive', short: 'i', kind: 'bool', description: 'Keep STDIN open even if not attached' }, (f, t) => {
    if (flagBool(f, 'interactive')) t.config.OpenStdin = true;
  }),
  row({ long: 'tty', short: 't', kind: 'bool', description: 'Allocate a pseudo-TTY' }, (f, t) => {
    if (flagBool(f, 'tty')) t.config.Tty = true;
  }),
];

/**
 * Rules between flags, checked after every row's mapper. Value ranges and resource conflicts are
 * not here: the daemon's one validator owns them (services/containers/validate.ts).
 */
const CROSS_CHECKS: ReadonlyArray<(t: FlagTarget) => void> = [
  ({ config, hc }) => {
    if (config.Hostname !== undefined && (hc.UTSMode === 'host' || hc.NetworkMode === 'host')) {
      throw invalidArgument('Conflicting options: hostname and the network mode');
    }
  },
];

export const CREATE_FLAGS: readonly FlagSpec[] = CREATE_ROWS.map((r) => r.spec);

export const RUN_FLAGS: readonly FlagSpec[] = [
  ...CREATE_FLAGS,
  { long: 'detach', short: 'd', kind: 'bool', description: 'Run container in background and print container ID' },
];

/** Parsed create/run flags + [IMAGE, COMMAND...] → the request parts. */
export function createFromFlags(f: ParsedFlags, args: readonly string[], read: ReadText = readText): CreateFromFlags {
  const [image, ...cmd] = args;
  if (!image) throw invalidArgument('image name is required');
  const t: FlagTarget = { config: {}, hc: {}, read };
  for (const r of CREATE_ROWS) r.map?.(f, t);
  for (const check of CROSS_CHECKS) check(t);
  if (cmd.length > 0) t.config.Cmd = cmd;
  const pull = flagString(f, 'pull') ?? 'missing';
  if (pull !== 'always' && pull !== 'missing' && pull !== 'never') throw invalidArgument(`Invalid pull option: ${pull}`);
  return { name: flagString(f, 'name') ?? '', image, runtime: flagString(f, 'runtime') ?? '', pull, platform: flagString(f, 'platform') ?? '', config: t.config, hostConfig: t.hc, rootfs: externalRootfs(flagString(f, 'external-rootfs')) };
}

/** iSulad's client resolves --external-rootfs (relative to its own cwd) and fails on a missing path. */
function externalRootfs(v: string | undefined): string {
  if (v === undefined) return '';
  try {
    return realpathSync(v);
  } catch (err) {
    throw invalidArgument(`Failed to get rootfs '${v}': ${messageOf(err)}`);
  }
}

/** seccomp=FILE is read by the client and sent inline (iSulad); unconfined and the others pass as given. */
function securityOpt(o: string, read: ReadText): string {
  const i = o.search(/[=:]/);
  const key = i < 0 ? o : o.slice(0, i);
  const val = i < 0 ? '' : o.slice(i + 1);
  if (key === 'no-new-privileges') return o;
  if (key === 'seccomp') {
    if (val === 'unconfined') return 'seccomp=unconfined';
    let text: string;
    try {
      text = read(val);
    } catch (err) {
      throw invalidArgument(`opening seccomp profile (${val}) failed: ${messageOf(err)}`);
    }
    try {
      JSON.parse(text);
    } catch (err) {
      throw invalidArgument(`decoding seccomp profile (${val}) failed: ${messageOf(err)}`);
    }
    return `seccomp=${text}`;
  }
  throw invalidArgument(`Invalid --security-opt: ${o}`);
}

/** The two JSON blobs of CreateRequest (iSulad's customconfig / hostconfig). */
export function createRequestJson(c: CreateFromFlags): { customconfig: string; hostconfig: string } {
  return { customconfig: JSON.stringify({ ...c.config, Pull: c.pull, ...(c.platform ? { Platform: c.platform } : {}) }), hostconfig: JSON.stringify(c.hostConfig) };
}
