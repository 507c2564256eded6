// Where the cgroup hierarchies are mounted: v1 (one mount per controller set), v2 (unified) or
// hybrid (v1 controllers plus a cgroup2 mount, like this project's hosts). Parsed from
// /proc/self/mountinfo text so it is testable without a host.
import { readFile } from 'node:fs/promises';

export interface CgroupLayout {
  /** 'v1' when any controller lives on a v1 mount (legacy and hybrid), else 'v2' */
  version: 'v1' | 'v2';
  /** v1: controller name (or "name=systemd" for a named hierarchy) → mount point; co-mounted share one */
  v1: Record<string, string>;
  /** cgroup2 mount point, if any (unified, or /sys/fs/cgroup/unified on hybrid) */
  unified?: string;
}

/** mountinfo escapes spaces etc. as \040 */
const unescape = (s: string) => s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));

export function parseCgroupLayout(mountinfo: string): CgroupLayout {
  const v1: Record<string, string> = {};
  let unified: string | undefined;
  for (const line of mountinfo.split('\n')) {
    const dash = line.indexOf(' - ');
    if (dash < 0) continue;
    const left = line.slice(0, dash).split(' ');
    const right = line.slice(dash + 3).split(' ');
    const mountPoint = unescape(left[4] ?? '');
    const fstype = right[0];
    if (fstype === 'cgroup2') unified ??= mountPoint;
    else if (fstype === 'cgroup') {
      for (const opt of (right[2] ?? '').split(',')) {
        if (['rw', 'ro', 'relatime', 'noatime', 'nosuid', 'nodev', 'noexec', 'clone_children', 'xattr'].includes(opt)) continue;
        if (opt.startsWith('release_agent=')) continue;
        // named hierarchies (name=systemd) hold no controller, but LXC makes cgroups there too
        v1[opt] ??= mountPoint;
      }
    }
  }
  return { version: Object.keys(v1).some((k) => !k.startsWith('name=')) ? 'v1' : 'v2', v1, ...(unified !== undefined ? { unified } : {}) };
}

export async function readCgroupLayout(): Promise<CgroupLayout> {
  return parseCgroupLayout(await readFile('/proc/self/mountinfo', 'utf8'));
}

/** Every directory a cgroup path has on this host: one per distinct v1 mount, plus cgroup2. */
export function cgroupDirs(layout: CgroupLayout, path: string): string[] {
  const rel = path.replace(/^\/+/, '');
  const roots = new Set(Object.values(layout.v1));
  if (layout.unified) roots.add(layout.unified);
  return [...roots].map((r) => `${r}/${rel}`);
}

/** The directory of one v1 controller (or the unified dir on v2). */
export function controllerDir(layout: CgroupLayout, controller: string, path: string): string | undefined {
  const rel = path.replace(/^\/+/, '');
  const root = layout.version === 'v1' ? layout.v1[controller] : layout.unified;
  return root === undefined ? undefined : `${root}/${rel}`;
}
