// User-namespace remapping of a container: --user-remap HOSTUID:HOSTGID:SIZE (per container) or
// the daemon's --userns-remap (every container unless --userns=host). The container's ids
// 0..SIZE-1 are the host's HOSTUID.. and HOSTGID..; what the container opens by path from the
// daemon's dirs must be reachable by that mapped root.
import { chmod, stat } from 'node:fs/promises';
import type { HostConfig } from '../../types/container-config.ts';

export interface IdRemap {
  uid: number;
  gid: number;
  size: number;
}

/** "UID:GID:SIZE" (checked by the CLI and the daemon's config) → the remap; 0:0 asks for none. */
export function parseRemap(v: string): IdRemap | undefined {
  const [uid = 0, gid = 0, size = 0] = v.split(':').map(Number);
  if (uid === 0 && gid === 0) return undefined;
  return { uid, gid, size };
}

/** The remap a container runs with: its own --user-remap, else the daemon's unless --userns=host. */
export function remapOf(h: HostConfig, daemon: IdRemap | undefined): IdRemap | undefined {
  if (h.UserRemap) return parseRemap(h.UserRemap);
  if (daemon !== undefined && h.UsernsMode !== 'host') return daemon;
  return undefined;
}

/** "UID:GID:SIZE" of a remap (what the spec builder and inspect take). */
export const remapString = (r: IdRemap) => `${r.uid}:${r.gid}:${r.size}`;

/**
 * Lets the mapped root traverse (x for group and others, never read) the daemon's dirs on the
 * way to what LXC mounts from inside the user namespace: the daemon root, its containers dir,
 * the container's dir (the bound /etc files) and the state dir (the lcr rootfs mount point).
 * runc opens its bind sources before it joins the namespace; LXC does not.
 */
export async function letMappedRootTraverse(dirs: readonly string[]): Promise<void> {
  for (const d of dirs) {
    const st = await stat(d).catch(() => undefined);
    if (st === undefined || (st.mode & 0o011) === 0o011) continue;
    await chmod(d, (st.mode & 0o7777) | 0o011);
  }
}
