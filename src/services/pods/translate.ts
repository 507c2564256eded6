// Pure translation from CRI configs to the container service's create request: names, namespace
// modes, security context, resources, mounts, DNS. Table-tested in test/unit/services/pods/.
import { invalidArgument } from '../../util/errors.ts';
import { validateName } from '../containers/naming.ts';
import type { CreateRequest, HostConfig, MountRequest } from '../containers/types.ts';
import type {
  ContainerConfigIn, ContainerSecurityIn, CriContainerMeta, Int64, NamespaceOptionIn, PodConfigIn, PodMetadata,
  ResourcesIn, SandboxRecord, SecurityProfileIn,
} from './types.ts';
import { LABEL_CRI } from './types.ts';

export const NS_POD = 0;
export const NS_CONTAINER = 1;
export const NS_NODE = 2;
export const NS_TARGET = 3;

const DEFAULT_NS: NamespaceOptionIn = { network: NS_POD, pid: NS_CONTAINER, ipc: NS_POD, target_id: '' };

/** Kubernetes' docker-era names, kept by iSulad and containerd alike. */
export function sandboxName(m: PodMetadata): string {
  return ['k8s', 'POD', m.name, m.namespace, m.uid, String(m.attempt)].join('_');
}

export function containerName(c: { name: string; attempt: number }, pod: PodMetadata): string {
  return ['k8s', c.name, pod.name, pod.namespace, pod.uid, String(c.attempt)].join('_');
}

export function validatePodMetadata(m: PodMetadata | null | undefined): PodMetadata {
  if (!m || m.name === '' || m.namespace === '' || m.uid === '') {
    throw invalidArgument('sandbox config: metadata name, namespace and uid are required');
  }
  const md = { name: m.name, uid: m.uid, namespace: m.namespace, attempt: m.attempt ?? 0 };
  // the pause container is named after them: checked before the pod's netns and CNI (a NUL in the
  // namespace used to reach CNI_ARGS and fail there as an internal error)
  validateName(sandboxName(md), 'sandbox name');
  return md;
}

export function namespaceOptions(o: NamespaceOptionIn | null | undefined): NamespaceOptionIn {
  return o ? { network: o.network, pid: o.pid, ipc: o.ipc, target_id: o.target_id } : { ...DEFAULT_NS };
}

/** resolv.conf text from the CRI DNSConfig; undefined = copy the host's. */
export function resolvConf(dns: PodConfigIn['dns_config']): string | undefined {
  if (!dns || (dns.servers.length === 0 && dns.searches.length === 0 && dns.options.length === 0)) return undefined;
  const lines: string[] = [];
  if (dns.searches.length > 0) lines.push(`search ${dns.searches.join(' ')}`);
  for (const s of dns.servers) lines.push(`nameserver ${s}`);
  if (dns.options.length > 0) lines.push(`options ${dns.options.join(' ')}`);
  return lines.join('\n') + '\n';
}

const num = (v: string | number | undefined | null): number => (v === undefined || v === null || v === '' ? 0 : Number(v));
const int64 = (v: Int64 | null | undefined): number | undefined => (v ? Number(v.value) : undefined);

/**
 * SecurityProfile (or the deprecated path field) → a --security-opt seccomp entry, or none (the
 * engine's default profile). Neither set = unconfined, as containerd and CRI-O read the CRI.
 */
export function seccompOpt(p: SecurityProfileIn | null | undefined, legacyPath: string): string | undefined {
  if (p) {
    if (p.profile_type === 1) return 'seccomp=unconfined';
    if (p.profile_type === 2) {
      if (!p.localhost_ref.startsWith('/')) throw invalidArgument(`seccomp localhost profile "${p.localhost_ref}" is not an absolute path`);
      return `seccomp=${p.localhost_ref}`;
    }
    return undefined;
  }
  // no profile at all is unconfined in the CRI (kubelet sends RuntimeDefault explicitly)
  if (legacyPath === '' || legacyPath === 'unconfined') return 'seccomp=unconfined';
  if (legacyPath === 'runtime/default' || legacyPath === 'docker/default') return undefined;
  if (legacyPath.startsWith('localhost/')) return `seccomp=${legacyPath.slice('localhost/'.length)}`;
  throw invalidArgument(`unsupported seccomp profile "${legacyPath}"`);
}

/** run_as_user / run_as_username / run_as_group → the User string ('' = the image's USER). */
export function userOf(s: { run_as_user: Int64 | null; run_as_group: Int64 | null; run_as_username?: string }): string {
  const uid = int64(s.run_as_user);
  const gid = int64(s.run_as_group);
  const user = s.run_as_username ? s.run_as_username : uid !== undefined ? String(uid) : '';
  if (user === '') {
    if (gid !== undefined) throw invalidArgument('run_as_group needs run_as_user or run_as_username');
    return '';
  }
  return gid !== undefined ? `${user}:${gid}` : user;
}

/** CRI capability names come with or without CAP_; "ALL" stays. */
function capName(c: string): string {
  const u = c.toUpperCase();
  return u === 'ALL' || u.startsWith('CAP_') ? u : `CAP_${u}`;
}

const PROPAGATION = ['rprivate', 'rslave', 'rshared'] as const;

export function mountsOf(c: ContainerConfigIn): MountRequest[] {
  return c.mounts.map((m) => {
    if (!m.container_path.startsWith('/')) throw invalidArgument(`mount: container path "${m.container_path}" is not absolute`);
    if (!m.host_path.startsWith('/')) throw invalidArgument(`mount: host path "${m.host_path}" is not absolute`);
    return {
      Type: 'bind',
      Source: m.host_path,
      Target: m.container_path,
      ReadOnly: m.readonly,
      BindPropagation: PROPAGATION[m.propagation] ?? 'rprivate',
    };
  });
}

/** Clamps an oom_score_adj the daemon may not set (lowering below its own needs CAP_SYS_RESOURCE). */
export function clampOomScoreAdj(adj: number, hostAdj: number): number {
  return Math.max(adj, hostAdj, -1000);
}

export function resourcesOf(r: ResourcesIn | null | undefined, hostOomAdj: number): Partial<HostConfig> {
  if (!r) return {};
  const out: Partial<HostConfig> = {};
  if (num(r.cpu_period) > 0) out.CpuPeriod = num(r.cpu_period);
  if (num(r.cpu_quota) > 0) out.CpuQuota = num(r.cpu_quota);
  if (num(r.cpu_shares) > 0) out.CpuShares = num(r.cpu_shares);
  if (num(r.memory_limit_in_bytes) > 0) out.Memory = num(r.memory_limit_in_bytes);
  if (num(r.memory_swap_limit_in_bytes) > 0) out.MemorySwap = num(r.memory_swap_limit_in_bytes);
  if (r.cpuset_cpus) out.CpusetCpus = r.cpuset_cpus;
  const adj = num(r.oom_score_adj);
  if (adj !== 0) out.OomScoreAdj = clampOomScoreAdj(adj, hostOomAdj);
  return out;
}

function nsModeOf(mode: number, pauseId: string, targetId: string): string {
  if (mode === NS_NODE) return 'host';
  if (mode === NS_POD) return `container:${pauseId}`;
  if (mode === NS_TARGET) {
    if (targetId === '') throw invalidArgument('namespace mode TARGET needs target_id');
    return `container:${targetId}`;
  }
  return '';
}

export interface ContainerTranslation {
  request: CreateRequest;
  meta: CriContainerMeta;
}

/** CreateContainer's config in a sandbox → the container service's create request. */
export function containerRequest(c: ContainerConfigIn, sb: SandboxRecord, opts: { hostOomAdj: number; files: { resolvConf: string; hostname: string } }): ContainerTranslation {
  const md = c.metadata;
  if (!md || md.name === '') throw invalidArgument('container config: metadata name is required');
  validateName(containerName({ name: md.name, attempt: md.attempt ?? 0 }, sb.metadata));
  const image = c.image?.image ?? '';
  if (image === '') throw invalidArgument('container config: image is required');
  const sec: Partial<ContainerSecurityIn> = c.linux?.security_context ?? {};
  const ns = namespaceOptions(sec.namespace_options);
  const hostNet = sb.netMode === NS_NODE;
  const logPath = c.log_path !== '' && sb.logDirectory !== '' ? `${sb.logDirectory.replace(/\/+$/, '')}/${c.log_path}` : '';
  const meta: CriContainerMeta = {
    kind: 'container',
    sandboxId: sb.id,
    name: md.name,
    attempt: md.attempt ?? 0,
    labels: { ...c.labels },
    annotations: { ...c.annotations },
    logPath,
    image,
    mounts: c.mounts.map((m) => ({ ...m })),
  };
  // privileged containers run without seccomp whatever the profile says
  const seccomp = sec.privileged ? undefined : seccompOpt(sec.seccomp, sec.seccomp_profile_path ?? '');
  const securityOpt = [...(seccomp ? [seccomp] : []), ...(sec.no_new_privs ? ['no-new-privileges'] : [])];
  const user = userOf({ run_as_user: sec.run_as_user ?? null, run_as_group: sec.run_as_group ?? null, run_as_username: sec.run_as_username ?? '' });
  const mounts = mountsOf(c);
  const has = (dst: string) => mounts.some((m) => m.Target === dst);
  // the pod's resolv.conf (and hostname) unless the kubelet mounts its own
  if (!has('/etc/resolv.conf')) mounts.push({ Type: 'bind', Source: opts.files.resolvConf, Target: '/etc/resolv.conf', ReadOnly: false });
  if (!has('/etc/hostname')) mounts.push({ Type: 'bind', Source: opts.files.hostname, Target: '/etc/hostname', ReadOnly: false });
  const hostConfig: Partial<HostConfig> = {
    NetworkMode: hostNet ? 'host' : sb.netnsPath !== '' ? sb.netnsPath : `container:${sb.id}`,
    UTSMode: hostNet ? 'host' : `container:${sb.id}`,
    IpcMode: sb.ipcMode === NS_NODE ? 'host' : `container:${sb.id}`,
    PidMode: sb.pidMode === NS_NODE ? 'host' : nsModeOf(ns.pid, sb.id, ns.target_id),
    Mounts: mounts,
    Devices: c.devices.map((d) => ({ PathOnHost: d.host_path, PathInContainer: d.container_path, CgroupPermissions: d.permissions || 'rwm' })),
    Privileged: sec.privileged ?? false,
    ReadonlyRootfs: sec.readonly_rootfs ?? false,
    CapAdd: (sec.capabilities?.add_capabilities ?? []).map(capName),
    CapDrop: (sec.capabilities?.drop_capabilities ?? []).map(capName),
    SecurityOpt: securityOpt,
    GroupAdd: (sec.supplemental_groups ?? []).map(String),
    ...(sec.masked_paths && sec.masked_paths.length > 0 ? { MaskedPaths: [...sec.masked_paths] } : {}),
    ...(sec.readonly_paths && sec.readonly_paths.length > 0 ? { ReadonlyPaths: [...sec.readonly_paths] } : {}),
    ...(sb.cgroupParent ? { CgroupParent: sb.cgroupParent } : {}),
    ...resourcesOf(c.linux?.resources, opts.hostOomAdj),
    LogConfig: logPath ? { Type: 'cri', Config: { path: logPath } } : { Type: 'json-file', Config: {} },
    ...((sb.runtime ?? sb.runtimeHandler) ? { Runtime: sb.runtime ?? sb.runtimeHandler } : {}),
  };
  const request: CreateRequest = {
    name: containerName({ name: md.name, attempt: md.attempt ?? 0 }, sb.metadata),
    image,
    pull: 'never',
    config: {
      ...(c.command.length > 0 ? { Entrypoint: [...c.command] } : {}),
      Cmd: [...c.args],
      Env: c.envs.map((e) => `${e.key}=${e.value}`),
      ...(c.working_dir ? { WorkingDir: c.working_dir } : {}),
      ...(user ? { User: user } : {}),
      Tty: c.tty,
      OpenStdin: c.stdin,
      Labels: { [LABEL_CRI]: JSON.stringify(meta) },
      Annotations: { ...c.annotations },
    },
    hostConfig,
  };
  return { request, meta };
}

/** RunPodSandbox's config → the pause container's create request (its network decided by the caller). */
export function sandboxRequest(
  cfg: PodConfigIn,
  opts: { name: string; image: string; netnsPath: string; hostOomAdj: number; runtime: string; meta: CriContainerMeta },
): CreateRequest {
  const sec = cfg.linux?.security_context;
  const ns = namespaceOptions(sec?.namespace_options);
  const hostNet = ns.network === NS_NODE;
  const seccomp = sec?.privileged ? undefined : seccompOpt(sec?.seccomp ?? null, sec?.seccomp_profile_path ?? '');
  const hostConfig: Partial<HostConfig> = {
    NetworkMode: hostNet ? 'host' : opts.netnsPath !== '' ? opts.netnsPath : 'none',
    UTSMode: hostNet ? 'host' : '',
    PidMode: ns.pid === NS_NODE ? 'host' : '',
    IpcMode: ns.ipc === NS_NODE ? 'host' : '',
    Sysctls: { ...(cfg.linux?.sysctls ?? {}) },
    Privileged: sec?.privileged ?? false,
    SecurityOpt: seccomp ? [seccomp] : [],
    OomScoreAdj: clampOomScoreAdj(-998, opts.hostOomAdj),
    ...(cfg.linux?.cgroup_parent ? { CgroupParent: cfg.linux.cgroup_parent } : {}),
    ...(opts.runtime ? { Runtime: opts.runtime } : {}),
    // pause writes nothing: no log copier, FIFO or log file writer on its start path
    LogConfig: { Type: 'none', Config: {} },
  };
  return {
    name: opts.name,
    image: opts.image,
    pull: 'never',
    config: {
      ...(hostNet ? {} : { Hostname: cfg.hostname || '' }),
      Labels: { [LABEL_CRI]: JSON.stringify(opts.meta) },
      Annotations: { ...cfg.annotations },
    },
    hostConfig,
  };
}

/** Kubernetes label selector: every key must match exactly. */
export function matchesLabels(labels: Record<string, string>, selector: Record<string, string> | undefined): boolean {
  if (!selector) return true;
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

/** RFC 3339 with up to 9 fraction digits → ns since the epoch (decimal string); zero time → '0'. */
export function rfc3339ToNs(t: string): string {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?Z$/.exec(t);
  if (!m || t.startsWith('0001-')) return '0';
  const sec = BigInt(Date.parse(`${m[1]}Z`) / 1000);
  const frac = BigInt((m[2] ?? '').padEnd(9, '0') || '0');
  return (sec * 1_000_000_000n + frac).toString();
}
