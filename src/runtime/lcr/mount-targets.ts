// Where each mount destination and device node of a spec lands in the rootfs, decided by the
// daemon before LXC sees it. LXC's create=dir|file makes a missing mount point by walking the
// path on the host, so an image symlink (/evil -> /tmp/victim) would make it create
// /tmp/victim/... on the host. Instead, every destination is resolved under the rootfs as if
// chrooted (util/in-root.ts), the mount point is made there by the daemon, and LXC gets the
// resolved path, which already exists and has no link in it, without create=.
//
// The exceptions are destinations inside a filesystem the container mounts itself (LXC's /dev
// tmpfs, a --tmpfs, a bind of a host dir the user named): that tree does not exist yet when the
// daemon runs, so LXC still creates the point, but under the already resolved prefix, where the
// image has no say. LXC's own links in /dev (fd, stdin, stdout, stderr, ptmx) are refused as
// components there, and /proc is refused as a destination (as runc does) except the few files
// lxcfs-style binds cover.
import type { LinuxDevice, Spec, SpecMount } from '../oci-spec.ts';
import { checkMountDestination, cleanInRoot, makeInRoot, resolveTargetInRoot } from '../../util/in-root.ts';
import { failedPrecondition, invalidArgument } from '../../util/errors.ts';

export interface Placement {
  /** the destination as LXC gets it: absolute, resolved under the rootfs */
  dest: string;
  /** set when LXC must create the point itself (inside a filesystem the container mounts) */
  create?: 'dir' | 'file';
}

export interface MountPlan {
  /** one per mount LXC gets as an entry (same order as lxc-config's mountsForEntries) */
  mounts: Placement[];
  /** one per spec.linux.devices */
  devices: Placement[];
  /** a mount of the user's replaces the container's own /dev: no autodev, no devpts setup */
  devBound: boolean;
  /**
   * mount points the daemon made in the rootfs, checked again before every start; owner: the
   * container's root on the host when it runs in a user namespace (its mount points are its root's,
   * as runc makes them from inside the namespace), absent otherwise
   */
  made: Array<{ path: string; kind: 'dir' | 'file'; owner?: Owner }>;
}

type Owner = { uid: number; gid: number };

/** The host ids of the container's root under the spec's user-namespace mappings, if any. */
export function mappedRootOf(s: Spec): Owner | undefined {
  const u = s.linux.uidMappings?.find((m) => m.containerID === 0);
  const g = s.linux.gidMappings?.find((m) => m.containerID === 0);
  if (u === undefined || g === undefined) return undefined;
  return { uid: u.hostID, gid: g.hostID };
}

/** The mounts LXC makes itself (lxc.mount.auto, autodev); the others become mount entries. */
export function lxcMakesItself(m: SpecMount): boolean {
  return (
    (m.destination === '/proc' && m.type === 'proc') ||
    (m.destination === '/sys' && m.type === 'sysfs') ||
    (m.destination === '/sys/fs/cgroup' && m.type === 'cgroup') ||
    (m.destination === '/dev' && m.type === 'tmpfs')
  );
}

/** Links LXC puts in its /dev tmpfs; a destination through them would leave the container's tree. */
const DEV_LINKS = new Set(['fd', 'stdin', 'stdout', 'stderr', 'ptmx']);

const under = (p: string, dir: string) => p === dir || p.startsWith(dir === '/' ? '/' : `${dir}/`);

interface Cover {
  /** lexical destination as asked, and where it was resolved to */
  asked: string;
  dest: string;
  /** LXC's /dev tmpfs (links of its own inside) */
  autodev: boolean;
}

function coverOf(covers: readonly Cover[], p: string): { cover: Cover; dest: string } | undefined {
  for (let i = covers.length - 1; i >= 0; i--) {
    const c = covers[i] as Cover;
    if (p !== c.asked && under(p, c.asked)) return { cover: c, dest: c.dest + p.slice(c.asked.length) };
    if (p !== c.dest && under(p, c.dest)) return { cover: c, dest: p };
  }
  return undefined;
}

async function place(root: string, covers: Cover[], asked: string, kind: 'dir' | 'file', isProcMount: boolean, made: MountPlan['made'], owner: Owner | undefined): Promise<Placement> {
  const clean = cleanInRoot(asked);
  checkMountDestination(asked, clean, isProcMount);
  let hit = coverOf(covers, clean);
  let dest = hit?.dest ?? (await resolveTargetInRoot(root, clean));
  if (hit === undefined) hit = coverOf(covers, dest);
  if (hit !== undefined) dest = hit.dest;
  checkMountDestination(asked, dest, isProcMount);
  if (hit !== undefined) {
    if (hit.cover.autodev && DEV_LINKS.has(dest.split('/')[2] ?? '')) {
      throw invalidArgument(`mount destination "${asked}" is not allowed: /dev/${dest.split('/')[2]} is a link`);
    }
    return { dest, create: kind };
  }
  made.push({ path: dest, kind, ...(owner ? { owner } : {}) });
  await makeInRoot(root, dest, kind, owner);
  return { dest };
}

/**
 * Resolves (and makes, in the rootfs) the destination of every mount entry and device of `s`.
 * `mounts` are the entries LXC gets, in order; `pathKind` tells a bind's source kind.
 */
export async function placeMountTargets(
  s: Spec,
  mounts: readonly SpecMount[],
  pathKind: (hostPath: string) => 'dir' | 'file' | 'missing',
): Promise<MountPlan> {
  const root = s.root.path;
  const isBind = (m: SpecMount) => m.type === 'bind' || m.options.includes('bind') || m.options.includes('rbind');
  const devBound = mounts.some((m) => cleanInRoot(m.destination) === '/dev');
  const covers: Cover[] = [];
  if (!devBound && s.mounts.some((m) => m.destination === '/dev' && m.type === 'tmpfs')) covers.push({ asked: '/dev', dest: '/dev', autodev: true });
  for (const m of s.mounts) if (lxcMakesItself(m) && m.destination !== '/dev') covers.push({ asked: m.destination, dest: m.destination, autodev: false });
  const made: MountPlan['made'] = [];
  const owner = mappedRootOf(s);
  const out: Placement[] = [];
  for (const m of mounts) {
    const kind = isBind(m) ? pathKind(m.source) : 'dir';
    if (kind === 'missing') throw invalidArgument(`bind mount source "${m.source}" does not exist`);
    const p = await place(root, covers, m.destination, kind, m.type === 'proc', made, owner);
    out.push(p);
    covers.push({ asked: cleanInRoot(m.destination), dest: p.dest, autodev: false });
  }
  const devices: Placement[] = [];
  for (const d of s.linux.devices as LinuxDevice[]) devices.push(await place(root, covers, d.path, 'file', false, made, owner));
  await makeWorkdir(root, covers, s.process.cwd, owner);
  return { mounts: out, devices, devBound, made };
}

/**
 * A working dir the image or -w names but the rootfs lacks: runc (and docker, iSulad) make it; LXC
 * only fails its chdir. So it is made here, resolved inside the rootfs like a mount point (an image
 * link never takes it to the host). One under a mount is the mount's business (left as it is).
 */
async function makeWorkdir(root: string, covers: readonly Cover[], cwd: string | undefined, owner: Owner | undefined): Promise<void> {
  const clean = cleanInRoot(cwd || '/');
  if (clean === '/' || coverOf(covers, clean) !== undefined) return;
  const dest = await resolveTargetInRoot(root, clean);
  if (coverOf(covers, dest) !== undefined || dest === '/proc' || dest.startsWith('/proc/')) return;
  await makeInRoot(root, dest, 'dir', owner);
}

/**
 * Before a start: the mount points the daemon made must still be there, and still without a
 * link in their path (the container's own writes could have replaced one since create).
 */
export async function recheckMountTargets(root: string, made: MountPlan['made']): Promise<void> {
  for (const m of made) {
    const now = await resolveTargetInRoot(root, m.path);
    if (now !== m.path) throw failedPrecondition(`mount destination "${m.path}" now resolves to "${now}" through a symbolic link in the container`);
    await makeInRoot(root, m.path, m.kind, m.owner);
  }
}
