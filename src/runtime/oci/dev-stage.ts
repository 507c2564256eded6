// A bind of a host dir over /dev (-v DIR:/dev) on an OCI runtime. Left as it is, runc sets up no
// /dev of its own then (no null, no ptmx: `stat /dev/null` fails the start, -t fails on
// /dev/ptmx) and, with a terminal, creates `console` in the host dir to bind the pty onto. So the
// runtime gets its usual /dev: the container's own tmpfs, where runc makes the nodes, ptmx, links
// and console; the user's dir is bound at a staging point inside that tmpfs (mounts the user put
// under /dev ride along under it), and once `<runtime> create` is done (everything set up, the init
// waiting for `start`) the driver moves it over /dev in the container's mount namespace. The
// container sees the dir with its mounts; the host dir is never written. Issue 13 item 2.
import type { OciSpec } from '../runtime.ts';
import { cleanInRoot } from '../../util/in-root.ts';
import { runTool } from '../tools.ts';

/** where the user's /dev bind waits in the container's tmpfs /dev until the move */
export const DEV_STAGE = '/dev/.isula-dev';

const DEV_TMPFS = { destination: '/dev', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'strictatime', 'mode=755', 'size=65536k'] };

const underDev = (dest: string) => dest === '/dev' || dest.startsWith('/dev/');

/**
 * The spec with the user's /dev bind staged (undefined when there is none): a tmpfs at /dev before
 * every mount under /dev, the bind at DEV_STAGE, and the user's later mounts under /dev re-rooted
 * under it. Mounts under /dev that came before the bind (the defaults' pts, shm, mqueue) stay in
 * the tmpfs, hidden by the dir as they were before.
 */
export function stageDevBind(spec: OciSpec): OciSpec | undefined {
  const at = spec.mounts.findIndex((m) => cleanInRoot(m.destination) === '/dev' && (m.type === 'bind' || m.options.includes('bind') || m.options.includes('rbind')));
  if (at < 0) return undefined;
  const mounts = spec.mounts.map((m, i) => {
    const d = cleanInRoot(m.destination);
    if (i === at) return { ...m, destination: DEV_STAGE };
    if (i > at && d.startsWith('/dev/')) return { ...m, destination: `${DEV_STAGE}${d.slice('/dev'.length)}` };
    return m;
  });
  const first = mounts.findIndex((m) => underDev(cleanInRoot(m.destination)));
  mounts.splice(first, 0, { ...DEV_TMPFS, options: [...DEV_TMPFS.options] });
  return { ...spec, mounts };
}

/**
 * Moves the staged dir over /dev in the mount namespace of `pid` (the created, not yet started
 * init). nsenter keeps the host's root (--root=/, opened before it enters), so mount(8) is the
 * host's; both paths go through /proc/<pid>/root, i.e. the container's tree. The tmpfs is made
 * private first: a mount under a shared parent cannot be moved.
 */
export async function moveStagedDev(pid: number): Promise<void> {
  const move = 'mount --no-canonicalize --make-private "$1/dev" && mount --no-canonicalize --move "$1$2" "$1/dev"';
  await runTool('nsenter', [`--mount=/proc/${pid}/ns/mnt`, '--root=/', 'sh', '-c', move, 'sh', `/proc/${pid}/root`, DEV_STAGE], { kind: 'failed-precondition' });
}
