// The create/run flags of iSulad and their mapping to the Create request: the CLI serialises the
// container config and the host config as JSON (CreateRequest.customconfig / .hostconfig), as
// iSulad's client does. Pure except for reading --env-file and a seccomp profile file, which the
// client reads itself (iSulad sends the profile inline as seccomp=<json>).
import { readFileSync } from 'node:fs';
import { invalidArgument, messageOf } from '../../util/errors.ts';
import { flagBool, flagList, flagNumber, flagString } from '../flags.ts';
import { parseDuration, parseSize } from '../../util/units.ts';
import { parseUlimit } from '../../util/ulimit.ts';
import type { FlagSpec, ParsedFlags } from '../flags.ts';
// type-only: the CLI must not load service code (build.mjs checks the static import graph)
import { formatHostPort, parseExposeSpec, parsePortSpec } from '../../util/port-spec.ts';
import type { ContainerConfig, DeviceRequest, HealthConfig, HostConfig, MountRequest, RestartPolicy } from '../../services/containers/types.ts';

export const CREATE_FLAGS: readonly FlagSpec[] = [
  { long: 'name', short: 'n', kind: 'string', description: 'Name of the container', metavar: 'name' },
  { long: 'env', short: 'e', kind: 'list', description: 'Set environment variables' },
  { long: 'env-file', kind: 'list', description: 'Read in a line delimited file of environment variables' },
  { long: 'entrypoint', kind: 'string', description: 'Entrypoint to run when starting the container' },
  { long: 'user', short: 'u', kind: 'string', description: 'Username or UID (format: <name|uid>[:<group|gid>])' },
  { long: 'workdir', short: 'w', kind: 'string', description: 'Working directory inside the container' },
  { long: 'hostname', short: 'h', kind: 'string', description: 'Container host name' },
  { long: 'label', short: 'l', kind: 'list', description: 'Set metadata on container (default [])' },
  { long: 'annotation', kind: 'list', description: 'Set annotations on a container' },
  { long: 'restart', kind: 'string', description: 'Restart policy to apply when a container exits(no, always, on-failure[:max-retries], unless-stopped)' },
  { long: 'read-only', kind: 'bool', description: "Make container's root filesystem read-only" },
  { long: 'tmpfs', kind: 'list', description: 'Mount a tmpfs directory' },
  { long: 'volume', short: 'v', kind: 'list', description: 'Bind mount a volume' },
  { long: 'mount', kind: 'list', description: 'Attach a filesystem mount to the service' },
  { long: 'volumes-from', kind: 'list', description: 'Mount volumes from the specified container(s)' },
  { long: 'shm-size', kind: 'size', description: 'Size of /dev/shm, default value is 64MB' },
  { long: 'privileged', kind: 'bool', description: 'Give extended privileges to this container' },
  { long: 'cap-add', kind: 'list', description: 'Add Linux capabilities' },
  { long: 'cap-drop', kind: 'list', description: 'Drop Linux capabilities' },
  { long: 'security-opt', kind: 'list', description: 'Security Options (default [])' },
  { long: 'device', kind: 'list', description: 'Add a host device to the container' },
  { long: 'sysctl', kind: 'list', description: 'Sysctl options' },
  { long: 'ulimit', kind: 'list', description: 'Ulimit options (default [])' },
  { long: 'memory', short: 'm', kind: 'size', description: 'Memory limit' },
  { long: 'memory-swap', kind: 'string', description: "Swap limit equal to memory plus swap: '-1' to enable unlimited swap" },
  { long: 'cpus', kind: 'string', description: 'Number of CPUs' },
  { long: 'cpu-shares', kind: 'int', description: 'CPU shares (relative weight)' },
  { long: 'cpu-quota', kind: 'int', description: 'Limit CPU CFS (Completely Fair Scheduler) quota' },
  { long: 'cpu-period', kind: 'int', description: 'Limit CPU CFS (Completely Fair Scheduler) period' },
  { long: 'cpuset-cpus', kind: 'string', description: 'CPUs in which to allow execution (e.g. 0-3, 0,1)' },
  { long: 'pids-limit', kind: 'int', description: 'Tune container pids limit (set -1 for unlimited)' },
  { long: 'oom-score-adj', kind: 'int', description: "Tune host's OOM preferences (-1000 to 1000)" },
  { long: 'health-cmd', kind: 'string', description: 'Command to run to check health' },
  { long: 'health-interval', kind: 'string', description: 'Time between running the check (ms|s|m|h) (default 30s)' },
  { long: 'health-timeout', kind: 'string', description: 'Maximum time to allow one check to run (ms|s|m|h) (default 30s)' },
  { long: 'health-start-period', kind: 'string', description: 'Start period for the container to initialize before starting health-retries countdown (ms|s|m|h) (default 0s)' },
  { long: 'health-retries', kind: 'int', description: 'Consecutive failures needed to report unhealthy (default 3)' },
  { long: 'no-healthcheck', kind: 'bool', description: 'Disable any container-specified HEALTHCHECK' },
  { long: 'health-exit-on-unhealthy', kind: 'bool', description: 'Stop the container when it becomes unhealthy' },
  { long: 'stop-signal', kind: 'string', description: 'Signal to stop a container (default "SIGTERM")' },
  { long: 'net', kind: 'string', description: 'Connect a container to a network (bridge, none, host, container:<id>, or a network name)' },
  { long: 'publish', short: 'p', kind: 'list', description: "Publish a container's port(s) to the host ([ip:][hostPort:]containerPort[/proto])" },
  { long: 'publish-all', short: 'P', kind: 'bool', description: 'Publish all exposed ports to random ports' },
  { long: 'expose', kind: 'list', description: 'Expose a port or a range of ports' },
  { long: 'ip', kind: 'string', description: 'IPv4 address (e.g., 172.30.100.104)' },
  { long: 'mac-address', kind: 'string', description: 'Container MAC address (e.g., 92:d0:c6:0a:29:33)' },
  { long: 'dns', kind: 'list', description: 'Set custom DNS servers' },
  { long: 'dns-search', kind: 'list', description: 'Set custom DNS search domains' },
  { long: 'dns-opt', kind: 'list', description: 'Set DNS options' },
  { long: 'add-host', kind: 'list', description: 'Add a custom host-to-IP mapping (host:ip)' },
  { long: 'network', kind: 'string', description: 'Connect a container to a network', hidden: true },
  { long: 'pid', kind: 'string', description: 'PID namespace to use' },
  { long: 'ipc', kind: 'string', description: 'IPC namespace to use' },
  { long: 'uts', kind: 'string', description: 'UTS namespace to use' },
  { long: 'log-driver', kind: 'string', description: 'Container log driver, support json-file' },
  { long: 'log-opt', kind: 'list', description: 'Container log options, value formate: key=value' },
  { long: 'runtime', short: 'R', kind: 'string', description: 'Runtime to use for containers(default: lcr)' },
  { long: 'platform', kind: 'string', description: 'Set platform if server is multi-platform capable (os/arch[/variant]); the image must match' },
  { long: 'pull', kind: 'string', description: 'Pull image before running ("always"|"missing"|"never") (default "missing")' },
  { long: 'rm', kind: 'bool', description: 'Automatically remove the container when it exits' },
  { long: 'interactive', short: 'i', kind: 'bool', description: 'Keep STDIN open even if not attached' },
  { long: 'tty', short: 't', kind: 'bool', description: 'Allocate a pseudo-TTY' },
];

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

export const RUN_FLAGS: readonly FlagSpec[] = [
  ...CREATE_FLAGS,
  { long: 'detach', short: 'd', kind: 'bool', description: 'Run container in background and print container ID' },
];

export interface CreateFromFlags {
  name: string;
  image: string;
  runtime: string;
  pull: 'always' | 'missing' | 'never';
  /** --platform as given ("" = the daemon's) */
  platform: string;
  config: Partial<ContainerConfig>;
  hostConfig: Partial<HostConfig>;
}

/** "no" | "always" | "on-failure[:N]" | "unless-stopped" ('' = no). */
export function parseRestartPolicy(s: string): RestartPolicy {
  const [name = '', count, ...rest] = s.split(':');
  if (rest.length > 0) throw invalidArgument(`invalid restart policy format ${s}`);
  switch (name) {
    case '':
    case 'no':
    case 'always':
    case 'unless-stopped':
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

/** --mount type=bind,src=/a,dst=/b,ro | type=tmpfs,dst=/t,tmpfs-size=1m,tmpfs-mode=1777 */
export function parseMountFlag(s: string): MountRequest {
  const m: MountRequest = { Type: 'bind', Source: '', Target: '', ReadOnly: false };
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

// disable-log is not offered: the lcr monitor always writes the json-file log
const LOG_OPT_KEYS = new Set(['max-size', 'max-file']);

function namespaceFlag(v: string | undefined, flag: string, allowed: readonly string[]): string | undefined {
  if (v === undefined) return undefined;
  if (allowed.includes(v) || v.startsWith('container:')) return v;
  throw invalidArgument(`Invalid --${flag}: ${v} (supported: ${allowed.join(', ')}, container:<id>)`);
}

/** Parsed create/run flags + [IMAGE, COMMAND...] → the request parts. */
export function createFromFlags(f: ParsedFlags, args: readonly string[], read: ReadText = readText): CreateFromFlags {
  const [image, ...cmd] = args;
  if (!image) throw invalidArgument('image name is required');
  const config: Partial<ContainerConfig> = {};
  const hc: Partial<HostConfig> = {};

  const env: string[] = [];
  for (const file of flagList(f, 'env-file')) {
    let text: string;
    try {
      text = read(file);
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
  if (env.length > 0) config.Env = env;
  if (cmd.length > 0) config.Cmd = cmd;
  const entrypoint = flagString(f, 'entrypoint');
  if (entrypoint !== undefined) config.Entrypoint = entrypoint === '' ? [] : [entrypoint];
  const user = flagString(f, 'user');
  if (user !== undefined) config.User = user;
  const workdir = flagString(f, 'workdir');
  if (workdir !== undefined) {
    if (!workdir.startsWith('/')) throw invalidArgument(`Invalid workdir: ${workdir}: must be an absolute path`);
    config.WorkingDir = workdir;
  }
  const hostname = flagString(f, 'hostname');
  if (hostname !== undefined) config.Hostname = hostname;
  const labels = keyValues(flagList(f, 'label'), 'label', true);
  if (Object.keys(labels).length > 0) config.Labels = labels;
  const annotations = keyValues(flagList(f, 'annotation'), 'annotation');
  if (Object.keys(annotations).length > 0) config.Annotations = annotations;
  const stopSignal = flagString(f, 'stop-signal');
  if (stopSignal !== undefined) config.StopSignal = stopSignal;
  if (flagBool(f, 'tty')) config.Tty = true;
  if (flagBool(f, 'interactive')) config.OpenStdin = true;
  const health = healthFlags(f);
  if (health) config.Healthcheck = health;

  const restart = flagString(f, 'restart');
  if (restart !== undefined) hc.RestartPolicy = parseRestartPolicy(restart);
  if (flagBool(f, 'rm')) hc.AutoRemove = true;
  if (flagBool(f, 'read-only')) hc.ReadonlyRootfs = true;
  if (flagBool(f, 'privileged')) hc.Privileged = true;
  const tmpfs: Record<string, string> = {};
  for (const t of flagList(f, 'tmpfs')) {
    const i = t.indexOf(':');
    const dst = i < 0 ? t : t.slice(0, i);
    if (!dst.startsWith('/')) throw invalidArgument(`Invalid tmpfs: ${t}: destination must be an absolute path`);
    tmpfs[dst] = i < 0 ? '' : t.slice(i + 1);
  }
  if (Object.keys(tmpfs).length > 0) hc.Tmpfs = tmpfs;
  const binds = flagList(f, 'volume');
  for (const b of binds) {
    // /dst (anonymous volume), name:/dst[:modes] (named volume) or /src:/dst[:modes] (bind)
    const parts = b.split(':');
    const dst = parts.length === 1 ? parts[0] : parts[1];
    if (parts.length > 3 || parts[0] === '' || !dst?.startsWith('/')) throw invalidArgument(`Invalid volume specification: ${b}`);
  }
  if (binds.length > 0) hc.Binds = binds;
  const volumesFrom = flagList(f, 'volumes-from');
  if (volumesFrom.length > 0) hc.VolumesFrom = volumesFrom;
  const mounts = flagList(f, 'mount').map(parseMountFlag);
  if (mounts.length > 0) hc.Mounts = mounts;
  const shm = flagNumber(f, 'shm-size');
  if (shm !== undefined) {
    if (shm <= 0) throw invalidArgument('SHM size must be greater than 0');
    hc.ShmSize = shm;
  }
  const capAdd = flagList(f, 'cap-add');
  if (capAdd.length > 0) hc.CapAdd = capAdd;
  const capDrop = flagList(f, 'cap-drop');
  if (capDrop.length > 0) hc.CapDrop = capDrop;
  const secOpts = flagList(f, 'security-opt').map((o) => securityOpt(o, read));
  if (secOpts.length > 0) hc.SecurityOpt = secOpts;
  const devices = flagList(f, 'device').map(parseDeviceFlag);
  if (devices.length > 0) hc.Devices = devices;
  const sysctls = keyValues(flagList(f, 'sysctl'), 'sysctl');
  if (Object.keys(sysctls).length > 0) hc.Sysctls = sysctls;
  const ulimits = flagList(f, 'ulimit').map((u) => parseUlimit(u.trim()));
  if (ulimits.length > 0) hc.Ulimits = ulimits;

  const memory = flagNumber(f, 'memory');
  if (memory !== undefined) {
    if (memory < 4 * 1024 * 1024) throw invalidArgument('Minimum memory limit allowed is 4MB');
    hc.Memory = memory;
  }
  const swap = flagString(f, 'memory-swap');
  if (swap !== undefined) {
    const n = swap === '-1' ? -1 : parseSize(swap);
    if (n === undefined) throw invalidArgument(`Invalid value "${swap}" for flag --memory-swap`);
    if (n !== -1 && memory !== undefined && n < memory) throw invalidArgument('Minimum memoryswap limit should be larger than memory limit, see usage');
    if (n !== -1 && memory === undefined) throw invalidArgument('You should always set the Memory limit when using Memoryswap limit, see usage');
    hc.MemorySwap = n;
  }
  const cpus = flagString(f, 'cpus');
  if (cpus !== undefined) {
    const n = Number(cpus);
    if (!/^\d+(\.\d+)?$/.test(cpus) || !Number.isFinite(n) || n <= 0) throw invalidArgument(`Invalid value "${cpus}" for flag --cpus`);
    hc.NanoCpus = Math.round(n * 1e9);
  }
  const num = (flag: string, key: 'CpuShares' | 'CpuQuota' | 'CpuPeriod' | 'PidsLimit' | 'OomScoreAdj') => {
    const v = flagNumber(f, flag);
    if (v !== undefined) hc[key] = v;
  };
  num('cpu-shares', 'CpuShares');
  num('cpu-quota', 'CpuQuota');
  num('cpu-period', 'CpuPeriod');
  num('pids-limit', 'PidsLimit');
  num('oom-score-adj', 'OomScoreAdj');
  if (hc.OomScoreAdj !== undefined && (hc.OomScoreAdj < -1000 || hc.OomScoreAdj > 1000)) {
    throw invalidArgument(`Invalid value ${hc.OomScoreAdj}, range for oom score adj is [-1000, 1000]`);
  }
  if (hc.CpuPeriod !== undefined && hc.CpuPeriod !== 0 && (hc.CpuPeriod < 1000 || hc.CpuPeriod > 1000000)) {
    throw invalidArgument('CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)');
  }
  if (hc.NanoCpus !== undefined && (hc.CpuQuota !== undefined || hc.CpuPeriod !== undefined)) {
    throw invalidArgument('Conflicting options: Nano CPUs and CPU Period cannot both be set');
  }
  const cpuset = flagString(f, 'cpuset-cpus');
  if (cpuset !== undefined) {
    if (!/^\d+(-\d+)?(,\d+(-\d+)?)*$/.test(cpuset)) throw invalidArgument(`Invalid value ${cpuset} for cpuset cpus`);
    hc.CpusetCpus = cpuset;
  }
  const netFlag = flagString(f, 'net') ?? flagString(f, 'network');
  if (netFlag !== undefined) {
    if (netFlag === '') throw invalidArgument('invalid network mode ""');
    hc.NetworkMode = netFlag.startsWith('container:') || ['none', 'host', 'bridge'].includes(netFlag) ? (namespaceFlag(netFlag, 'net', ['none', 'host', 'bridge']) ?? netFlag) : netFlag;
  }
  networkFlags(f, config, hc);
  const pid = namespaceFlag(flagString(f, 'pid'), 'pid', ['host']);
  if (pid !== undefined) hc.PidMode = pid;
  const ipc = namespaceFlag(flagString(f, 'ipc'), 'ipc', ['host', 'shareable', 'private']);
  if (ipc !== undefined) hc.IpcMode = ipc === 'shareable' || ipc === 'private' ? '' : ipc;
  const uts = namespaceFlag(flagString(f, 'uts'), 'uts', ['host']);
  if (uts !== undefined) hc.UTSMode = uts;
  if (hostname !== undefined && (hc.UTSMode === 'host' || hc.NetworkMode === 'host')) {
    throw invalidArgument('Conflicting options: hostname and the network mode');
  }

  const driver = flagString(f, 'log-driver');
  if (driver !== undefined && driver !== 'json-file') throw invalidArgument(`Unsupported log driver: ${driver} (supported: json-file)`);
  const logOpts = keyValues(flagList(f, 'log-opt'), 'log-opt');
  for (const [k, v] of Object.entries(logOpts)) {
    if (!LOG_OPT_KEYS.has(k)) throw invalidArgument(`Invalid log opt: ${k}`);
    if (v.length > 255) throw invalidArgument(`Invalid log opt value for ${k}: longer than 255 characters`);
  }
  if (driver !== undefined || Object.keys(logOpts).length > 0) hc.LogConfig = { Type: 'json-file', Config: logOpts };

  const pull = flagString(f, 'pull') ?? 'missing';
  if (pull !== 'always' && pull !== 'missing' && pull !== 'never') throw invalidArgument(`Invalid pull option: ${pull}`);
  return { name: flagString(f, 'name') ?? '', image, runtime: flagString(f, 'runtime') ?? '', pull, platform: flagString(f, 'platform') ?? '', config, hostConfig: hc };
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

/** -p, -P, --expose, --ip, --mac-address, --dns*, --add-host → Config/HostConfig (docker's shapes). */
function networkFlags(f: ParsedFlags, config: Partial<ContainerConfig>, hc: Partial<HostConfig>): void {
  const bindings: NonNullable<HostConfig['PortBindings']> = {};
  for (const spec of flagList(f, 'publish')) {
    for (const b of parsePortSpec(spec)) {
      (bindings[`${b.containerPort}/${b.protocol}`] ??= []).push({ HostIp: b.hostIP, HostPort: formatHostPort(b) });
    }
  }
  if (Object.keys(bindings).length > 0) hc.PortBindings = bindings;
  if (flagBool(f, 'publish-all')) hc.PublishAllPorts = true;
  const exposed: Record<string, Record<string, never>> = {};
  for (const e of flagList(f, 'expose')) for (const k of parseExposeSpec(e)) exposed[k] = {};
  if (Object.keys(exposed).length > 0) config.ExposedPorts = exposed;
  const ip = flagString(f, 'ip');
  if (ip !== undefined) {
    if (!/^(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])){3}$/.test(ip)) throw invalidArgument(`invalid IPv4 address: ${ip}`);
    hc.IPv4Address = ip;
  }
  const mac = flagString(f, 'mac-address');
  if (mac !== undefined) {
    if (!/^([0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2}$/.test(mac)) throw invalidArgument(`invalid MAC address: ${mac}`);
    config.MacAddress = mac.toLowerCase();
  }
  const lists = [['dns', 'Dns'], ['dns-search', 'DnsSearch'], ['dns-opt', 'DnsOptions'], ['add-host', 'ExtraHosts']] as const;
  for (const [flag, field] of lists) {
    const v = flagList(f, flag);
    if (v.length > 0) hc[field] = v;
  }
  for (const d of hc.Dns ?? []) if (!/^[0-9a-fA-F.:]+$/.test(d)) throw invalidArgument(`invalid DNS server address: ${d}`);
  for (const h of hc.ExtraHosts ?? []) {
    if (!/^[a-zA-Z0-9]([a-zA-Z0-9.-]*[a-zA-Z0-9])?[:=][0-9a-fA-F.:]+$/.test(h)) throw invalidArgument(`invalid argument "${h}" for --add-host: want HOST:IP`);
  }
}
