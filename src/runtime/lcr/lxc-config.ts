// OCI spec → LXC 5 config text. Pure: everything it needs from the host comes in LxcContext.
// One function per OCI section (STYLE T7); the mapping was tested by hand in
// research/runtime-lab.md §2(h). Keys used exist in stock LXC 5.0 (no openEuler patches).
import type { DeviceRule, LinuxDevice, Namespace, PosixRlimit, Spec, SpecMount } from '../oci-spec.ts';
import { invalidArgument } from '../../util/errors.ts';
import { cleanInRoot } from '../../util/in-root.ts';
import { lxcMakesItself } from './mount-targets.ts';
import type { MountPlan, Placement } from './mount-targets.ts';

export interface LxcContext {
  /** directory LXC mounts the rootfs on in the container's mount namespace (lxc.rootfs.mount) */
  rootfsMount: string;
  /**
   * a host dir (made by the driver) a -v DIR:/dev container's scratch /dev is moved onto in the
   * container's mount namespace, outside its rootfs (devScratchLines)
   */
  devScratchMount: string;
  /** where the driver writes lxcSeccompFromOci's text (only used when the spec has seccomp) */
  seccompPath: string;
  /** cgroup dir for lxc-start's own monitor process (both dirs must be set, lab §2(e)) */
  monitorCgroup: string;
  /** 'v1' for legacy and hybrid hosts (controllers on v1), 'v2' for unified */
  cgroupVersion: 'v1' | 'v2';
  /** memory.memsw.* exists (swap accounting on); without it a memsw key fails the start */
  swapAccounting: boolean;
  /** capabilities the host can grant (CapBnd); anything else is dropped from lxc.cap.keep */
  hostCaps: readonly string[];
  /** kind of a host path, for bind targets (create=dir|file) and masked paths (/dev/null or tmpfs) */
  pathKind: (hostPath: string) => 'dir' | 'file' | 'missing';
  /**
   * Destinations resolved under the rootfs (placeMountTargets, mount-targets.ts). The driver always
   * gives one; without it (unit tests of other sections) destinations are taken as they are.
   */
  plan?: MountPlan;
  /** the stop signal number for lxc.signal.halt */
  haltSignal: number;
  /**
   * OOM witness: LXC removes the container cgroup before lxc-start exits, so a stop hook (run
   * while it still exists) copies the oom_kill counter of `eventsFile` (v1 memory.oom_control,
   * v2 memory.events) to `recordPath`. Only for containers with a memory limit.
   */
  oom?: { eventsFile: string; recordPath: string };
  /** the scripts the driver wrote for the spec's OCI hooks (hooks.ts), in order */
  hookScripts?: { prestart: string[]; poststop: string[] };
  /**
   * the lcr helper executable: a shared/rshared bind is re-attached by it from the host
   * (lxc.hook.start-host) so that it stays a peer of the host's mount. Without it such a bind is
   * shared in a peer group of its own (LXC turns the host tree into slaves first).
   */
  helper?: string;
}

type Line = [key: string, value: string | number];

/** fstab-style escaping LXC applies to mount entries (space, tab, newline, backslash). */
export function fstabEscape(p: string): string {
  return p.replace(/[\\ \t\n]/g, (c) => `\\${c.charCodeAt(0).toString(8).padStart(3, '0')}`);
}

function rel(dest: string): string {
  return fstabEscape(dest.replace(/^\/+/, ''));
}

function noNewline(v: string, what: string): string {
  if (/[\n\r\0]/.test(v)) throw invalidArgument(`${what} must not contain a newline or NUL`);
  return v;
}

export function rootfsLines(s: Spec, ctx: LxcContext): Line[] {
  if (!s.root.path.startsWith('/')) throw invalidArgument('spec root.path must be absolute');
  const out: Line[] = [
    ['lxc.rootfs.path', `dir:${noNewline(s.root.path, 'root.path')}`],
    ['lxc.rootfs.mount', ctx.rootfsMount],
  ];
  // read-only rootfs: lxc.rootfs.options = ro would make it read-only before the mount entries,
  // so their mount points (create=dir|file) could not be made; like docker, remount it read-only
  // once they exist. The mount hook runs in the container's mount namespace before pivot_root.
  if (s.root.readonly) out.push(['lxc.hook.mount', `/bin/sh -c 'mount -o remount,bind,ro "$LXC_ROOTFS_MOUNT"'`]);
  return out;
}

/**
 * Without a terminal the console is off and the container's stdio is lxc-start's (the monitor's
 * FIFOs). With one (-t), LXC gives the container a pty as /dev/console and lxc-start -F proxies
 * it to its own terminal, which the monitor provides (see monitor-script.ts).
 */
export function consoleLines(s: Spec): Line[] {
  return [
    ...(s.process.terminal ? [] : ([['lxc.console.path', 'none']] as Line[])),
    ['lxc.tty.max', 0],
    ['lxc.log.level', 'INFO'], // the exit status is only logged at INFO (lab §2(a))
    ['lxc.apparmor.profile', 'unconfined'], // no AppArmor on the target hosts
  ];
}

function nsOf(s: Spec, type: Namespace['type']): Namespace | undefined {
  return s.linux.namespaces.find((n) => n.type === type);
}

export function namespaceLines(s: Spec): Line[] {
  const out: Line[] = [];
  const net = nsOf(s, 'network');
  if (net === undefined) out.push(['lxc.net.0.type', 'none']); // host network
  else if (net.path) out.push(['lxc.namespace.share.net', net.path]);
  else out.push(['lxc.net.0.type', 'empty'], ['lxc.net.0.flags', 'up']); // lo only, up (docker --net none)
  for (const t of ['pid', 'ipc', 'uts'] as const) {
    const ns = nsOf(s, t);
    // host mode: lxc.namespace.keep breaks autodev on LXC 5.0 ("Failed to create directory
    // dev/pts"), and /proc/1/ns is not openable on every host; /proc/self/ns is resolved by
    // lxc-start itself, which runs in the daemon's (the host's) namespaces
    if (ns === undefined) out.push([`lxc.namespace.share.${t}`, `/proc/self/ns/${t}`]);
    else if (ns.path) out.push([`lxc.namespace.share.${t}`, ns.path]);
  }
  // cgroup: LXC makes a private one by default; a path (--cgroupns host) joins that one
  const cgroupNs = nsOf(s, 'cgroup');
  if (cgroupNs?.path) out.push(['lxc.namespace.share.cgroup', cgroupNs.path]);
  const uts = nsOf(s, 'uts');
  if (s.hostname !== '' && uts !== undefined && !uts.path) out.push(['lxc.uts.name', s.hostname]);
  return out;
}

/** The standard mounts LXC makes itself (lxc.mount.auto, autodev); the rest become mount entries. */
function autoMounts(s: Spec): { auto: string[]; rest: SpecMount[] } {
  const auto: string[] = [];
  const sysctls = Object.keys(s.linux.sysctl ?? {}).length > 0;
  for (const m of s.mounts) {
    if (!lxcMakesItself(m)) continue;
    const ro = m.options.includes('ro');
    // proc:mixed = /proc/sys read-only (what readonlyPaths asks); sysctls are written after
    // mounts, so with sysctls /proc/sys must stay writable (lab §2(f))
    if (m.destination === '/proc') auto.push(sysctls || !s.linux.readonlyPaths.includes('/proc/sys') ? 'proc:rw' : 'proc:mixed');
    else if (m.destination === '/sys') auto.push(ro ? 'sys:ro' : 'sys:rw');
    else if (m.destination === '/sys/fs/cgroup') auto.push(ro ? 'cgroup:ro' : 'cgroup:rw');
    // /dev tmpfs: lxc.autodev
  }
  return { auto, rest: mountsForEntries(s) };
}

/** The mounts that become lxc.mount.entry lines, in order (what placeMountTargets resolves). */
export function mountsForEntries(s: Spec): SpecMount[] {
  return s.mounts.filter((m) => !lxcMakesItself(m));
}

/** POSIX sh single-quoting (LXC runs hook lines through sh -c). Pure. */
const shq = (v: string) => `'${v.replace(/'/g, `'\\''`)}'`;

/**
 * A hook line running argv. LXC's config parser strips quotes around a whole value (a value that
 * starts with ' loses its first and last character), so the program goes first unquoted when it
 * can, else through sh with $0. Pure.
 */
export function hookCommand(argv: string[]): string {
  const [prog = '', ...rest] = argv;
  if (/^[A-Za-z0-9_/.+-]+$/.test(prog)) return [prog, ...rest.map(shq)].join(' ');
  return ['/bin/sh', '-c', shq('exec "$0" "$@"'), ...argv.map(shq)].join(' ');
}

function entry(src: string, dest: string, type: string, opts: string[]): Line {
  return ['lxc.mount.entry', `${fstabEscape(src)} ${rel(dest)} ${type} ${opts.join(',')} 0 0`];
}

export function mountLines(s: Spec, ctx: LxcContext): Line[] {
  const { auto, rest } = autoMounts(s);
  const devBound = ctx.plan?.devBound ?? false;
  // lxc.pty.max: LXC mounts a devpts instance at /dev/pts (the OCI defaults have none here) and
  // lxc-attach opens exec ptys in it, so `isula exec -t` gets a tty the container can name.
  // A user's mount over /dev (-v HOSTDIR:/dev) turns LXC's /dev setup off (no autodev, no
  // devpts): device nodes are only ever made in the container's own tmpfs, never in a host dir.
  const out: Line[] = devBound ? [['lxc.autodev', 0], ['lxc.pty.max', 0]] : [['lxc.autodev', 1], ['lxc.pty.max', 1024]];
  if (auto.length > 0) out.push(['lxc.mount.auto', auto.join(' ')]);
  rest.forEach((m, i) => {
    noNewline(m.source + m.destination + m.options.join(','), `mount ${m.destination}`);
    const isBind = m.type === 'bind' || m.options.includes('bind') || m.options.includes('rbind');
    let kind: 'dir' | 'file' = 'dir';
    if (isBind) {
      const k = ctx.pathKind(m.source);
      if (k === 'missing') throw invalidArgument(`bind mount source "${m.source}" does not exist`);
      kind = k;
    }
    const p: Placement = ctx.plan?.mounts[i] ?? { dest: m.destination, create: kind };
    const create = p.create === undefined ? [] : [`create=${p.create}`];
    if (isBind) {
      const opts = m.options.filter((o) => o !== 'bind' && o !== 'rbind');
      const flag = m.options.includes('rbind') ? 'rbind' : 'bind';
      out.push(entry(m.source, noNewline(p.dest, 'mount destination'), 'none', [flag, ...opts, ...create]));
      if (ctx.helper !== undefined && (opts.includes('rshared') || opts.includes('shared'))) {
        out.push(['lxc.hook.start-host', hookCommand([ctx.helper, 'mount', m.source, `/${p.dest.replace(/^\/+/, '')}`])]);
      }
    } else {
      out.push(entry(m.source, noNewline(p.dest, 'mount destination'), m.type, [...m.options, ...create]));
    }
  });
  return out;
}

/** Masked: a file gets /dev/null bound over it, a dir an empty read-only tmpfs (lab §2(f)). */
export function maskedPathLines(s: Spec, ctx: LxcContext): Line[] {
  const out: Line[] = [];
  for (const p of s.linux.maskedPaths) {
    const kind = ctx.pathKind(p);
    if (kind === 'missing') continue; // e.g. no /proc/kcore on this kernel
    out.push(kind === 'dir' ? entry('tmpfs', p, 'tmpfs', ['ro', 'nosuid', 'nodev', 'noexec', 'size=0', 'optional']) : entry('/dev/null', p, 'none', ['bind', 'optional']));
  }
  return out;
}

/** Read-only: bind the path onto itself (absolute source under lxc.rootfs.mount; relative ones fail). */
export function readonlyPathLines(s: Spec, ctx: LxcContext): Line[] {
  const mixedProc = autoMounts(s).auto.includes('proc:mixed');
  const sysctls = Object.keys(s.linux.sysctl ?? {}).length > 0;
  const out: Line[] = [];
  for (const p of s.linux.readonlyPaths) {
    if (mixedProc && (p === '/proc/sys' || p === '/proc/sysrq-trigger')) continue; // proc:mixed did it
    // LXC writes lxc.sysctl.* after the mount entries: with sysctls /proc/sys stays writable
    // (default caps still deny most of it); documented in docs/container-lifecycle.md
    if (sysctls && p === '/proc/sys') continue;
    out.push(entry(`${ctx.rootfsMount}${p}`, p, 'none', ['bind', 'ro', 'optional']));
  }
  return out;
}

export function capabilityLines(s: Spec, ctx: LxcContext): Line[] {
  const caps = s.process.capabilities.bounding.filter((c) => ctx.hostCaps.includes(c));
  if (caps.length === ctx.hostCaps.length && ctx.hostCaps.every((c) => caps.includes(c))) return []; // keep all
  if (caps.length === 0) return [['lxc.cap.keep', 'none']];
  return [['lxc.cap.keep', caps.map((c) => c.replace(/^CAP_/, '').toLowerCase()).join(' ')]];
}

export function securityLines(s: Spec, ctx: LxcContext): Line[] {
  const out: Line[] = [];
  if (s.process.noNewPrivileges) out.push(['lxc.no_new_privs', 1]);
  if (s.linux.seccomp) out.push(['lxc.seccomp.profile', ctx.seccompPath]);
  return out;
}

export function processLines(s: Spec): Line[] {
  const p = s.process;
  const out: Line[] = [
    ['lxc.init.uid', p.user.uid],
    ['lxc.init.gid', p.user.gid],
  ];
  if (p.user.additionalGids && p.user.additionalGids.length > 0) out.push(['lxc.init.groups', p.user.additionalGids.join(',')]);
  out.push(['lxc.init.cwd', noNewline(p.cwd, 'cwd')]);
  for (const e of p.env) out.push(['lxc.environment', noNewline(e, `environment variable ${e.split('=')[0]}`)]);
  if (p.oomScoreAdj !== undefined) out.push(['lxc.proc.oom_score_adj', p.oomScoreAdj]);
  return out;
}

const lim = (n: number) => (n < 0 ? 'unlimited' : String(n));

export function rlimitLines(s: Spec): Line[] {
  return s.process.rlimits.map((r: PosixRlimit) => [
    `lxc.prlimit.${r.type.replace(/^RLIMIT_/, '').toLowerCase()}`,
    `${lim(r.soft)}:${lim(r.hard)}`,
  ]);
}

export function sysctlLines(s: Spec): Line[] {
  return Object.entries(s.linux.sysctl ?? {}).map(([k, v]) => [`lxc.sysctl.${k}`, noNewline(v, `sysctl ${k}`)]);
}

function devRule(d: DeviceRule): string {
  if (d.type === undefined || d.type === 'a') return 'a';
  const n = (x: number | undefined) => (x === undefined || x < 0 ? '*' : String(x));
  return `${d.type} ${n(d.major)}:${n(d.minor)} ${d.access ?? 'rwm'}`;
}

/** cgroup v1 keys; v2 keys are derived where the file names differ. */
export function resourceLines(s: Spec, ctx: LxcContext): Line[] {
  const r = s.linux.resources;
  const v2 = ctx.cgroupVersion === 'v2';
  const k = (v1key: string) => (v2 ? `lxc.cgroup2.${v1key}` : `lxc.cgroup.${v1key}`);
  const out: Line[] = [];
  for (const d of r.devices) out.push([k(d.allow ? 'devices.allow' : 'devices.deny'), devRule(d)]);
  const m = r.memory;
  if (m?.limit !== undefined) out.push(v2 ? [k('memory.max'), m.limit] : [k('memory.limit_in_bytes'), m.limit]);
  if (m?.swap !== undefined && ctx.swapAccounting) {
    if (v2) out.push([k('memory.swap.max'), m.swap < 0 ? 'max' : Math.max(0, m.swap - (m.limit ?? 0))]);
    else if (m.limit !== undefined || m.swap < 0) out.push([k('memory.memsw.limit_in_bytes'), m.swap]);
  }
  if (m?.reservation !== undefined) out.push(v2 ? [k('memory.low'), m.reservation] : [k('memory.soft_limit_in_bytes'), m.reservation]);
  if (m?.swappiness !== undefined && !v2) out.push([k('memory.swappiness'), m.swappiness]);
  const c = r.cpu;
  if (c?.shares !== undefined) {
    // cgroup v2 weight from v1 shares, the formula runc/crun use: 1 + ((shares-2)*9999)/262142
    out.push(v2 ? [k('cpu.weight'), 1 + Math.floor(((c.shares - 2) * 9999) / 262142)] : [k('cpu.shares'), c.shares]);
  }
  if (v2) {
    if (c?.quota !== undefined || c?.period !== undefined) out.push([k('cpu.max'), `${c.quota ?? 'max'} ${c.period ?? 100000}`]);
  } else {
    if (c?.period !== undefined) out.push([k('cpu.cfs_period_us'), c.period]);
    if (c?.quota !== undefined) out.push([k('cpu.cfs_quota_us'), c.quota]);
  }
  if (c?.cpus !== undefined) out.push([k('cpuset.cpus'), c.cpus]);
  if (c?.mems !== undefined) out.push([k('cpuset.mems'), c.mems]);
  if (r.pids) out.push([k('pids.max'), r.pids.limit]);
  out.push(...finerResourceLines(r, v2, k));
  return out;
}

/** kmem, OOM killer, rt, blkio, hugetlb, files: the limits of iSulad's finer resource flags. */
function finerResourceLines(r: Spec['linux']['resources'], v2: boolean, k: (key: string) => string): Line[] {
  const out: Line[] = [];
  const m = r.memory;
  if (!v2) {
    if (m?.kernel !== undefined) out.push([k('memory.kmem.limit_in_bytes'), m.kernel]);
    if (m?.disableOOMKiller) out.push([k('memory.oom_control'), 1]);
    // the parents' rt budget is written by the daemon before the start (cgroups/features.ts)
    if (r.cpu?.realtimePeriod !== undefined) out.push([k('cpu.rt_period_us'), r.cpu.realtimePeriod]);
    if (r.cpu?.realtimeRuntime !== undefined) out.push([k('cpu.rt_runtime_us'), r.cpu.realtimeRuntime]);
  }
  const io = r.blockIO;
  const dev = (d: { major: number; minor: number }) => `${d.major}:${d.minor}`;
  if (io?.weight !== undefined) out.push(v2 ? [k('io.bfq.weight'), io.weight] : [k('blkio.weight'), io.weight]);
  for (const d of io?.weightDevice ?? []) out.push(v2 ? [k('io.bfq.weight'), `${dev(d)} ${d.weight}`] : [k('blkio.weight_device'), `${dev(d)} ${d.weight}`]);
  const throttles = [
    ['throttleReadBpsDevice', 'blkio.throttle.read_bps_device', 'rbps'],
    ['throttleWriteBpsDevice', 'blkio.throttle.write_bps_device', 'wbps'],
    ['throttleReadIOPSDevice', 'blkio.throttle.read_iops_device', 'riops'],
    ['throttleWriteIOPSDevice', 'blkio.throttle.write_iops_device', 'wiops'],
  ] as const;
  for (const [field, v1file, v2key] of throttles) {
    for (const d of io?.[field] ?? []) out.push(v2 ? [k('io.max'), `${dev(d)} ${v2key}=${d.rate}`] : [k(v1file), `${dev(d)} ${d.rate}`]);
  }
  for (const h of r.hugepageLimits ?? []) out.push(v2 ? [k(`hugetlb.${h.pageSize}.max`), h.limit] : [k(`hugetlb.${h.pageSize}.limit_in_bytes`), h.limit]);
  if (r.files) out.push([k('files.limit'), r.files.limit < 0 ? 'max' : r.files.limit]);
  return out;
}

/** Extra device nodes (--device): bind the host node, the cgroup rule came with the spec. */
export function deviceLines(s: Spec, ctx: LxcContext): Line[] {
  return s.linux.devices.map((d: LinuxDevice, i) => {
    if (d.hostPath === undefined) throw invalidArgument(`device ${d.path}: no host node to bind`);
    const p: Placement = ctx.plan?.devices[i] ?? { dest: d.path, create: 'file' };
    return entry(d.hostPath, noNewline(p.dest, 'device path'), 'none', ['bind', 'optional', ...(p.create ? [`create=${p.create}`] : [])]);
  });
}

export function cgroupLines(s: Spec, ctx: LxcContext): Line[] {
  if (!s.linux.cgroupsPath) return [];
  return [
    ['lxc.cgroup.dir.container', s.linux.cgroupsPath.replace(/^\/+/, '')],
    ['lxc.cgroup.dir.monitor', ctx.monitorCgroup.replace(/^\/+/, '')],
  ];
}

export function oomLines(s: Spec, ctx: LxcContext): Line[] {
  if (ctx.oom === undefined || s.linux.resources.memory?.limit === undefined) return [];
  const { eventsFile, recordPath } = ctx.oom;
  if (/['\s]/.test(eventsFile + recordPath)) throw invalidArgument('lcr: state paths must not contain quotes or spaces');
  // builtins only (read/echo): one sh per stop of a memory-limited container
  return [['lxc.hook.stop', `/bin/sh -c 'while read k v; do [ "$k" = oom_kill ] && echo "$v" >${recordPath}; done <${eventsFile}'`]];
}

/**
 * A bind of a host dir over /dev (-v DIR:/dev): LXC 5 still writes into whatever /dev is once the
 * mount entries are done, through the fd it opens on it then: its links fd, stdin, stdout and
 * stderr (lxc_setup_dev_symlinks, whatever lxc.autodev says) and, with a terminal, the file
 * `console` it binds the pty onto. So a scratch tmpfs goes over /dev last: LXC opens /dev after
 * the entries and gets the scratch; the mount hook (run after that open, before the console and
 * the links) moves the scratch out of the rootfs onto a dir of the daemon's, in the container's
 * own mount namespace only. The container sees the user's dir with every mount under it; LXC's
 * fd still names the scratch, attached, so the console bind works there, and pivot_root's
 * detach of the old root takes the scratch, console mount and links away. The host dir is
 * never written.
 */
export function devScratchLines(s: Spec, ctx: LxcContext): Line[] {
  if (ctx.plan?.devBound !== true) return [];
  const dest = ctx.plan.mounts[mountsForEntries(s).findIndex((m) => cleanInRoot(m.destination) === '/dev')]?.dest ?? '/dev';
  noNewline(dest, 'mount destination');
  const aside = noNewline(ctx.devScratchMount, 'scratch mount');
  return [
    entry('tmpfs', dest, 'tmpfs', ['nosuid', 'noexec', 'mode=700', 'size=64k']),
    ['lxc.hook.mount', `/bin/sh -c ${shq(`mount --move "$LXC_ROOTFS_MOUNT"/${shq(dest.replace(/^\/+/, ''))} ${shq(aside)}`)}`],
  ];
}

/**
 * OCI prestart → lxc.hook.start-host, poststop → lxc.hook.post-stop (scripts by hooks.ts). The
 * scripts are read by /bin/sh, not executed: they live in the state dir, a tmpfs that may be
 * mounted noexec.
 */
export function hookLines(ctx: LxcContext): Line[] {
  const h = ctx.hookScripts;
  if (!h) return [];
  const sh = (p: string) => hookCommand(['/bin/sh', p]);
  return [...h.prestart.map((p): Line => ['lxc.hook.start-host', sh(p)]), ...h.poststop.map((p): Line => ['lxc.hook.post-stop', sh(p)])];
}

/**
 * The spec's user namespace (linux.uidMappings/gidMappings) as lxc.idmap lines: `u|g CONTAINERID
 * HOSTID SIZE`. LXC makes the namespace itself when it has an idmap; a user namespace with no
 * mapping is refused (LXC would start the container in the host's).
 */
export function idmapLines(s: Spec): Line[] {
  const userNs = nsOf(s, 'user');
  if (userNs === undefined) return [];
  if (userNs.path) throw invalidArgument('lcr: joining an existing user namespace is not supported');
  const uids = s.linux.uidMappings ?? [];
  const gids = s.linux.gidMappings ?? [];
  if (uids.length === 0 || gids.length === 0) throw invalidArgument('lcr: a user namespace needs uid and gid mappings');
  const line = (k: 'u' | 'g', m: { containerID: number; hostID: number; size: number }): Line => ['lxc.idmap', `${k} ${m.containerID} ${m.hostID} ${m.size}`];
  return [...uids.map((m) => line('u', m)), ...gids.map((m) => line('g', m))];
}

export function signalLines(ctx: LxcContext): Line[] {
  return [['lxc.signal.halt', ctx.haltSignal]];
}

export function lxcConfigFromSpec(s: Spec, ctx: LxcContext): string {
  const lines: Line[] = [
    ...rootfsLines(s, ctx),
    ...consoleLines(s),
    ...namespaceLines(s),
    ...idmapLines(s),
    ...mountLines(s, ctx),
    ...maskedPathLines(s, ctx),
    ...readonlyPathLines(s, ctx),
    ...deviceLines(s, ctx),
    ...devScratchLines(s, ctx),
    ...capabilityLines(s, ctx),
    ...securityLines(s, ctx),
    ...processLines(s),
    ...rlimitLines(s),
    ...sysctlLines(s),
    ...cgroupLines(s, ctx),
    ...resourceLines(s, ctx),
    ...oomLines(s, ctx),
    ...hookLines(ctx),
    ...signalLines(ctx),
  ];
  return lines.map(([key, v]) => `${key} = ${v}`).join('\n') + '\n';
}
