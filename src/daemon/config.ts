// Daemon configuration: built-in defaults < daemon.json (/etc/isulad/daemon.json, or
// --config-file PATH) < command-line flags, with iSulad's key and flag names (research/isulad.md
// §4). Every environment and config-file read of the daemon happens here (T14) and nowhere else;
// the rest of the daemon receives a typed, validated DaemonConfig.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { errnoCode, invalidArgument, messageOf } from '../util/errors.ts';
import type { LogLevel } from '../util/log.ts';
import type { FlagSpec, ParsedFlags } from '../util/flags.ts';
import { parseDuration, parseInteger, parseSize } from '../util/units.ts';
import { configError, parseDaemonJson, validateKey, type Ulimit } from './config-keys.ts';
import { parseUlimit } from '../util/ulimit.ts';

export { parseDaemonJson, validateKey, type Ulimit };

export const DEFAULT_CONFIG_FILE = '/etc/isulad/daemon.json';

export interface RuntimeEntry { path: string; 'runtime-args': string[] }
export interface TlsFiles { ca: string; cert: string; key: string }

export interface DaemonConfig {
  hosts: string[];
  group: string;
  graph: string;
  state: string;
  /**
   * --userns-remap HOSTUID:HOSTGID:SIZE: every container's ids 0..SIZE-1 are these host ids (unless
   * --userns=host); `graph` is then <graph>/HOSTUID.HOSTGID (iSulad's layout)
   */
  usernsRemap?: { uid: number; gid: number; size: number };
  pidfile: string;
  logLevel: LogLevel;
  logDriver: 'stdout' | 'file';
  /** log-opts: log-path, log-file-mode, max-file, max-size */
  logOpts: Record<string, string>;
  /** derived from log-opts: where isulad.log goes, its mode, and rotation */
  logFile: { dir: string; mode: number; maxSize: number; maxFiles: number };
  /** container-log: driver and opts as given; json-file max-size (bytes) and max-file when set */
  containerLog: { driver: string; opts: Record<string, string>; maxSize?: number; maxFile?: number };
  engine: string;
  defaultRuntime: string;
  runtimes: Record<string, RuntimeEntry>;
  criRuntimes: Record<string, string>;
  storageDriver: string;
  storageOpts: string[];
  hookSpec: string;
  /** milliseconds */
  startTimeout: number;
  registryMirrors: string[];
  insecureRegistries: string[];
  insecureSkipVerifyEnforce: boolean;
  useDecryptedKey: boolean;
  imageLayerCheck: boolean;
  nativeUmask: 'normal' | 'secure';
  podSandboxImage: string;
  networkPlugin: string;
  cniBinDir: string;
  cniConfDir: string;
  cgroupParent: string;
  systemdCgroup: boolean;
  websocketServerListeningPort: number;
  defaultUlimits: Record<string, Ulimit>;
  selinuxEnabled: boolean;
  cpuRtPeriod: number;
  cpuRtRuntime: number;
  /** --sup-groups: the daemon's own supplementary groups (set at start) */
  supGroups: number[];
  enableCriV1: boolean;
  enablePodEvents: boolean;
  metricsPort: number;
  /** TLS for tcp:// hosts; verify = require and check client certificates */
  tls: { enabled: boolean; verify: boolean; files: TlsFiles };
  /** every key after merging (validated, daemon.json names), for services that need rarer keys */
  raw: Record<string, unknown>;
  /** the daemon's scratch dir, `<ISULAD_TMPDIR or graph>/isulad_tmpdir` (real path), set at boot (tmpdir.ts) */
  tmpDir?: string;
  /** environment the daemon passes on (proxies for pulls and `isula info`) */
  env: { httpProxy: string; httpsProxy: string; noProxy: string; tmpDir: string; notifySocket: string; path: string };
}

export function daemonConfigDefaults(): Record<string, unknown> {
  return {
    hosts: ['unix:///var/run/isulad.sock'],
    group: 'isula',
    graph: '/var/lib/isulad',
    state: '/var/run/isulad',
    pidfile: '/var/run/isulad.pid',
    engine: 'lcr',
    'default-runtime': 'lcr',
    runtimes: {},
    'cri-runtimes': {},
    'log-level': 'INFO',
    'log-driver': 'file',
    'log-opts': {},
    'container-log': { driver: 'json-file', opts: {} },
    'storage-driver': 'overlay2',
    'storage-opts': [],
    'hook-spec': '',
    'start-timeout': '2m',
    'registry-mirrors': [],
    'insecure-registries': [],
    'insecure-skip-verify-enforce': false,
    'use-decrypted-key': true,
    'image-layer-check': false,
    'native.umask': 'secure',
    'pod-sandbox-image': '',
    'network-plugin': '',
    'cni-bin-dir': '/opt/cni/bin',
    'cni-conf-dir': '/etc/cni/net.d',
    'cgroup-parent': '',
    'systemd-cgroup': false,
    'websocket-server-listening-port': 10350,
    'default-ulimits': {},
    'selinux-enabled': false,
    'cpu-rt-period': 0,
    'cpu-rt-runtime': 0,
    'enable-cri-v1': true,
    'enable-pod-events': false,
    'metrics-port': 9090,
    tls: false,
    'tls-verify': false,
    'tls-config': {},
  };
}

/** isulad's command-line flags; `key` is the daemon.json key a flag overrides. */
export const DAEMON_FLAGS: ReadonlyArray<FlagSpec & { key?: string }> = [
  { long: 'config-file', kind: 'string', description: `Daemon configuration file (default ${DEFAULT_CONFIG_FILE})` },
  { long: 'host', short: 'H', kind: 'list', key: 'hosts', description: 'The socket name used to create gRPC server' },
  { long: 'pidfile', short: 'p', kind: 'string', key: 'pidfile', description: 'Save pid into this file' },
  { long: 'graph', short: 'g', kind: 'string', key: 'graph', description: 'Root directory of the iSulad runtime' },
  { long: 'state', short: 'S', kind: 'string', key: 'state', description: 'Root directory for execution state files' },
  { long: 'group', short: 'G', kind: 'string', key: 'group', description: 'Group for the unix socket' },
  { long: 'log-level', short: 'l', kind: 'string', key: 'log-level', description: 'Set log level: FATAL ALERT CRIT ERROR WARN NOTICE INFO DEBUG TRACE' },
  { long: 'log-driver', kind: 'string', key: 'log-driver', description: 'Set daemon log driver: stdout or file' },
  { long: 'log-opt', kind: 'map', key: 'log-opts', description: 'Set daemon log driver options: log-path, log-file-mode, max-file, max-size' },
  { long: 'container-log-driver', kind: 'string', description: 'Set default container log driver' },
  { long: 'container-log-opts', kind: 'map', description: 'Set default container log driver options' },
  { long: 'hook-spec', kind: 'string', key: 'hook-spec', description: 'Default hook spec file applied to all containers' },
  { long: 'start-timeout', kind: 'string', key: 'start-timeout', description: 'Timeout duration for waiting on a container to start' },
  { long: 'storage-driver', kind: 'string', key: 'storage-driver', description: 'Storage driver to use' },
  { long: 'storage-opt', short: 's', kind: 'list', key: 'storage-opts', description: 'Storage driver options' },
  { long: 'registry-mirrors', kind: 'list', key: 'registry-mirrors', description: 'Registry to be prepended when pulling unqualified images' },
  { long: 'insecure-registry', kind: 'list', key: 'insecure-registries', description: 'Disable TLS verification for the given registry' },
  { long: 'insecure-skip-verify-enforce', kind: 'bool', key: 'insecure-skip-verify-enforce', description: 'Skip TLS verification for all registries' },
  { long: 'use-decrypted-key', kind: 'bool', key: 'use-decrypted-key', description: 'Use decrypted private key by default' },
  { long: 'image-layer-check', kind: 'bool', key: 'image-layer-check', description: 'Check layer integrity after an unclean shutdown' },
  { long: 'native.umask', kind: 'string', key: 'native.umask', description: 'Default umask for containers: normal or secure' },
  { long: 'cgroup-parent', kind: 'string', key: 'cgroup-parent', description: 'Parent cgroup for all containers' },
  { long: 'systemd-cgroup', kind: 'bool', key: 'systemd-cgroup', description: 'Use systemd cgroup driver' },
  { long: 'pod-sandbox-image', kind: 'string', key: 'pod-sandbox-image', description: 'Image used by pod sandboxes' },
  { long: 'network-plugin', kind: 'string', key: 'network-plugin', description: 'Network plugin for CRI, e.g. cni' },
  { long: 'cni-bin-dir', kind: 'string', key: 'cni-bin-dir', description: 'Directory of CNI plugin binaries' },
  { long: 'cni-conf-dir', kind: 'string', key: 'cni-conf-dir', description: 'Directory of CNI configurations' },
  { long: 'websocket-server-listening-port', kind: 'int', key: 'websocket-server-listening-port', description: 'CRI streaming server port' },
  { long: 'cri-runtime', kind: 'map', key: 'cri-runtimes', description: 'CRI runtime handler=runtime' },
  { long: 'default-ulimit', kind: 'list', description: 'Default ulimits for containers: name=soft[:hard]' },
  { long: 'selinux-enabled', kind: 'bool', key: 'selinux-enabled', description: 'Enable SELinux support' },
  { long: 'default-runtime', kind: 'string', key: 'default-runtime', description: 'Default container runtime' },
  { long: 'cpu-rt-period', kind: 'int', key: 'cpu-rt-period', description: 'Daemon-wide cpu.rt_period_us' },
  { long: 'cpu-rt-runtime', kind: 'int', key: 'cpu-rt-runtime', description: 'Daemon-wide cpu.rt_runtime_us' },
  { long: 'metrics-port', kind: 'int', key: 'metrics-port', description: 'Metrics server port' },
  { long: 'enable-cri-v1', kind: 'bool', key: 'enable-cri-v1', description: 'Serve CRI runtime.v1' },
  { long: 'tls', kind: 'bool', key: 'tls', description: 'Use TLS on tcp hosts; implied by --tlsverify' },
  { long: 'tlsverify', kind: 'bool', key: 'tls-verify', description: 'Use TLS and verify client certificates' },
  { long: 'tlscacert', kind: 'string', description: 'Trust client certificates signed by this CA' },
  { long: 'tlscert', kind: 'string', description: 'Path to the TLS certificate file' },
  { long: 'tlskey', kind: 'string', description: 'Path to the TLS key file' },
  { long: 'sup-groups', kind: 'list', key: 'sup-groups', description: 'Supplementary group IDs of the isulad process' },
  // iSulad build options this daemon does not have: accepted by the parser so the refusal names
  // the feature (refusedFeatures), instead of an unknown-flag error
  { long: 'authorization-plugin', kind: 'string', key: 'authorization-plugin', description: 'Authorization plugin (not supported: refused)' },
  { long: 'enable-plugins', kind: 'string', key: 'enable-plugins', description: 'Plugins to enable (not supported: refused)' },
  { long: 'userns-remap', kind: 'string', key: 'userns-remap', description: 'User namespace remapping for all containers, HOSTUID:HOSTGID:SIZE (the graph becomes <graph>/HOSTUID.HOSTGID)' },
  { long: 'version', short: 'V', kind: 'bool', description: 'Print the version' },
];

/** daemon.json keys / flags of iSulad features this daemon lacks: a set value stops the start, naming it. */
const REFUSED_FEATURES: ReadonlyArray<[key: string, why: string]> = [
  ['authorization-plugin', 'authorization plugins are not supported (this isulad has no plugin framework)'],
  ['enable-plugins', 'plugins are not supported (this isulad has no plugin framework)'],
];

export function refusedFeatures(m: Record<string, unknown>): void {
  for (const [key, why] of REFUSED_FEATURES) {
    const v = m[key];
    if (typeof v === 'string' && v !== '') throw invalidArgument(`--${key} (daemon.json "${key}"): ${why}`);
  }
}

const err = configError;

/** The largest SIZE of a remap (iSulad's limit for --user-remap and --userns-remap). */
const MAX_ID_OFFSET = 65535;

/** daemon.json "userns-remap" / --userns-remap: "HOSTUID:HOSTGID:SIZE" (iSulad's util_parse_user_remap); "" = none. */
export function parseUsernsRemap(v: unknown): { uid: number; gid: number; size: number } | undefined {
  if (v === undefined || v === '') return undefined;
  const text = String(v);
  const parts = text.split(':');
  if (parts.length !== 3 || !parts.every((p) => /^\d+$/.test(p))) throw err('userns-remap', `invalid "${text}": want HOSTUID:HOSTGID:SIZE (unsigned integers)`);
  const [uid, gid, size] = parts.map(Number) as [number, number, number];
  if (uid === 0 || gid === 0) throw err('userns-remap', `invalid "${text}": the host uid and gid must not be 0`);
  if (size === 0 || size > MAX_ID_OFFSET) throw err('userns-remap', `invalid "${text}": SIZE must be greater than 0 and at most ${MAX_ID_OFFSET}`);
  if (uid + size > 2 ** 32 - 1 || gid + size > 2 ** 32 - 1) throw err('userns-remap', `invalid "${text}": the range passes the largest id`);
  return { uid, gid, size };
}

/** Flag values translated to daemon.json keys (only flags that were given). */
export function flagOverrides(parsed: ParsedFlags): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const spec of DAEMON_FLAGS) {
    if (!spec.key || !parsed.values.has(spec.long)) continue;
    const raw = parsed.values.get(spec.long);
    // -- sup-groups 1,2 or repeated: integers, as in daemon.json
    const value = spec.key === 'sup-groups' && Array.isArray(raw) ? raw.flatMap((x) => String(x).split(',')).map((x) => (/^\d+$/.test(x) ? Number(x) : x)) : raw;
    out[spec.key] = validateKey(spec.key, value);
  }
  const cld = parsed.values.get('container-log-driver');
  const clo = parsed.values.get('container-log-opts');
  if (cld !== undefined || clo !== undefined) {
    out['container-log'] = { driver: typeof cld === 'string' ? cld : undefined, opts: clo ?? undefined };
  }
  const ulimits = parsed.values.get('default-ulimit');
  if (Array.isArray(ulimits)) {
    const m: Record<string, Ulimit> = {};
    for (const u of ulimits) {
      const l = parseUlimit(u);
      m[l.Name] = l;
    }
    out['default-ulimits'] = m;
  }
  const tlsFiles: Record<string, string> = {};
  for (const [flag, k] of [['tlscacert', 'CAFile'], ['tlscert', 'CertFile'], ['tlskey', 'KeyFile']] as const) {
    const v = parsed.values.get(flag);
    if (typeof v === 'string') tlsFiles[k] = v;
  }
  if (Object.keys(tlsFiles).length > 0) out['tls-config'] = tlsFiles;
  return out;
}

export interface ConfigSources {
  parsed: ParsedFlags;
  env: NodeJS.ProcessEnv;
  readFile?: (path: string) => Promise<string>;
}

/** defaults < daemon.json < flags; throws invalid-argument naming the first bad key. */
export async function loadDaemonConfig(src: ConfigSources): Promise<DaemonConfig> {
  const read = src.readFile ?? ((p: string) => readFile(p, 'utf8'));
  const explicit = src.parsed.values.get('config-file');
  const path = typeof explicit === 'string' ? explicit : DEFAULT_CONFIG_FILE;
  let fileConf: Record<string, unknown> = {};
  try {
    fileConf = parseDaemonJson(await read(path), path);
  } catch (e) {
    // A missing default file is normal; a missing file named with --config-file is an error.
    if (!(errnoCode(e) === 'ENOENT' && typeof explicit !== 'string')) {
      if (errnoCode(e) !== undefined) throw invalidArgument(`read daemon configuration ${path}: ${messageOf(e)}`);
      throw e;
    }
  }
  const flags = flagOverrides(src.parsed);
  const merged: Record<string, unknown> = { ...daemonConfigDefaults(), ...fileConf, ...flags };
  // container-log merges per field: a flag driver must not drop daemon.json's opts.
  const cl = { ...(fileConf['container-log'] as object | undefined), ...stripUndefined(flags['container-log']) };
  merged['container-log'] = { driver: 'json-file', opts: {}, ...cl };
  // default-ulimits merge per type: `--default-ulimit nofile=...` must not drop daemon.json's nproc
  if (flags['default-ulimits'] !== undefined && typeof fileConf['default-ulimits'] === 'object' && fileConf['default-ulimits'] !== null) {
    merged['default-ulimits'] = { ...(fileConf['default-ulimits'] as object), ...(flags['default-ulimits'] as object) };
  }
  refusedFeatures(merged);
  return toDaemonConfig(merged, src.env);
}

function stripUndefined(v: unknown): Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return {};
  return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined));
}

function toDaemonConfig(m: Record<string, unknown>, env: NodeJS.ProcessEnv): DaemonConfig {
  const s = (k: string) => m[k] as string;
  const b = (k: string) => m[k] as boolean;
  const n = (k: string) => m[k] as number;
  const remap = parseUsernsRemap(m['userns-remap']);
  for (const k of ['graph', 'state', 'pidfile'] as const) {
    if (!s(k).startsWith('/')) throw err(k, `must be an absolute path, got "${s(k)}"`);
  }
  // iSulad: the images, layers, containers and volumes of a remapped daemon live apart
  const graph = remap ? join(s('graph'), `${remap.uid}.${remap.gid}`) : s('graph');
  const logOpts = m['log-opts'] as Record<string, string>;
  const hosts = [...new Set(m['hosts'] as string[])]; // -H x -H x binds once
  if (hosts.length === 0) throw err('hosts', 'at least one host is required');
  for (const h of hosts) {
    if (!/^unix:\/\/\/.+/.test(h) && !/^tcp:\/\/[^/]*:\d+$/.test(h)) {
      throw err('hosts', `invalid host "${h}" (want unix:///path or tcp://host:port)`);
    }
  }
  const maxSize = parseSize(logOpts['max-size'] ?? '1MB');
  if (maxSize === undefined || maxSize <= 0) throw err('log-opts', `invalid max-size "${logOpts['max-size']}"`);
  const maxFiles = Number(logOpts['max-file'] ?? '7');
  if (!Number.isInteger(maxFiles) || maxFiles < 1) throw err('log-opts', `invalid max-file "${logOpts['max-file']}"`);
  const modeText = logOpts['log-file-mode'] ?? '0600';
  if (!/^0?[0-7]{3}$/.test(modeText)) throw err('log-opts', `invalid log-file-mode "${modeText}"`);
  for (const k of Object.keys(logOpts)) {
    if (!['log-path', 'log-file-mode', 'max-file', 'max-size'].includes(k)) throw err('log-opts', `unknown option "${k}"`);
  }
  const cl = m['container-log'] as { driver: string; opts: Record<string, string> };
  const clOpts = cl.opts ?? {};
  if (!['json-file', 'syslog'].includes(cl.driver)) throw err('container-log', `unsupported driver "${cl.driver}" (json-file or syslog)`);
  const clMaxSize = clOpts['max-size'] === undefined ? undefined : parseSize(clOpts['max-size']);
  if (clOpts['max-size'] !== undefined && clMaxSize === undefined) throw err('container-log', `invalid max-size "${clOpts['max-size']}"`);
  const clMaxFile = clOpts['max-file'] === undefined ? undefined : parseInteger(clOpts['max-file']);
  if (clOpts['max-file'] !== undefined && (clMaxFile === undefined || clMaxFile < 1)) throw err('container-log', `invalid max-file "${clOpts['max-file']}"`);
  const clDisable = clOpts['disable-log'];
  if (clDisable !== undefined && clDisable !== 'true' && clDisable !== 'false') throw err('container-log', `invalid disable-log "${clDisable}" (true or false)`);
  const tlsConfig = m['tls-config'] as Record<string, string>;
  const tlsVerify = b('tls-verify');
  const tlsEnabled = tlsVerify || b('tls');
  const certDir = env['ISULAD_CERT_PATH'] || '/etc/isulad';
  const runtimes = m['runtimes'] as Record<string, { path: string; 'runtime-args'?: string[] }>;
  const ulimits = m['default-ulimits'] as Record<string, Ulimit>;
  return {
    hosts,
    group: s('group'),
    graph,
    state: s('state'),
    pidfile: s('pidfile'),
    logLevel: s('log-level') as LogLevel,
    logDriver: s('log-driver') as 'stdout' | 'file',
    logOpts,
    ...(remap ? { usernsRemap: remap } : {}),
    logFile: { dir: logOpts['log-path'] ?? s('graph'), mode: parseInt(modeText, 8), maxSize, maxFiles },
    containerLog: {
      driver: cl.driver,
      opts: clOpts,
      ...(clMaxSize !== undefined ? { maxSize: clMaxSize } : {}),
      ...(clMaxFile !== undefined ? { maxFile: clMaxFile } : {}),
    },
    engine: s('engine'),
    defaultRuntime: s('default-runtime'),
    runtimes: Object.fromEntries(
      Object.entries(runtimes).map(([k, v]) => [k, { path: v.path, 'runtime-args': v['runtime-args'] ?? [] }]),
    ),
    criRuntimes: m['cri-runtimes'] as Record<string, string>,
    storageDriver: s('storage-driver'),
    storageOpts: m['storage-opts'] as string[],
    hookSpec: s('hook-spec'),
    startTimeout: parseDuration(s('start-timeout')) as number,
    registryMirrors: m['registry-mirrors'] as string[],
    insecureRegistries: m['insecure-registries'] as string[],
    insecureSkipVerifyEnforce: b('insecure-skip-verify-enforce'),
    useDecryptedKey: b('use-decrypted-key'),
    imageLayerCheck: b('image-layer-check'),
    nativeUmask: s('native.umask') as 'normal' | 'secure',
    podSandboxImage: s('pod-sandbox-image'),
    networkPlugin: s('network-plugin'),
    cniBinDir: s('cni-bin-dir'),
    cniConfDir: s('cni-conf-dir'),
    cgroupParent: s('cgroup-parent'),
    systemdCgroup: b('systemd-cgroup'),
    websocketServerListeningPort: n('websocket-server-listening-port'),
    defaultUlimits: ulimits,
    selinuxEnabled: b('selinux-enabled'),
    cpuRtPeriod: n('cpu-rt-period'),
    cpuRtRuntime: n('cpu-rt-runtime'),
    supGroups: (m['sup-groups'] as number[] | undefined) ?? [],
    enableCriV1: b('enable-cri-v1'),
    enablePodEvents: b('enable-pod-events'),
    metricsPort: n('metrics-port'),
    tls: {
      enabled: tlsEnabled,
      verify: tlsVerify,
      files: {
        ca: tlsConfig['CAFile'] ?? `${certDir}/ca.pem`,
        cert: tlsConfig['CertFile'] ?? `${certDir}/cert.pem`,
        key: tlsConfig['KeyFile'] ?? `${certDir}/key.pem`,
      },
    },
    raw: m,
    env: {
      httpProxy: env['HTTP_PROXY'] ?? env['http_proxy'] ?? '',
      httpsProxy: env['HTTPS_PROXY'] ?? env['https_proxy'] ?? '',
      noProxy: env['NO_PROXY'] ?? env['no_proxy'] ?? '',
      tmpDir: env['ISULAD_TMPDIR'] ?? '',
      // set by systemd for Type=notify units (./notify.ts)
      notifySocket: env['NOTIFY_SOCKET'] ?? '',
      // where `isula info` looks for runtime executables
      path: env['PATH'] || '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    },
  };
}
