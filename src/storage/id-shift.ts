// A container's user-namespace mapping seen from the files of its rootfs: container ids
// 0..size-1 are host ids uid.. / gid.. (a daemon's --userns-remap or a container's --user-remap).
// Layers are extracted shifted (extract.ts); what leaves a rootfs as a tar (commit, export, cp out)
// is shifted back to the container's ids, and what cp writes in is shifted to the host's.

export interface IdShift {
  uid: number;
  gid: number;
  size: number;
}

/**
 * The id the kernel shows inside a user namespace for a host id it does not map (overflowuid and
 * overflowgid, 65534 by default): "nobody". A tar leaving the rootfs carries it for such files.
 */
export const OVERFLOW_ID = 65534;

/** The container's view of a host owner: in the range → minus the base, else nobody. */
export function ownerToContainer(uid: number, gid: number, s: IdShift): { uid: number; gid: number } {
  const one = (id: number, base: number) => (id >= base && id < base + s.size ? id - base : OVERFLOW_ID);
  return { uid: one(uid, s.uid), gid: one(gid, s.gid) };
}

/** The host owner of a container's ids, or undefined when one has no host id under the shift. */
export function ownerToHost(uid: number, gid: number, s: IdShift): { uid: number; gid: number } | undefined {
  if (uid < 0 || gid < 0 || uid >= s.size || gid >= s.size) return undefined;
  return { uid: s.uid + uid, gid: s.gid + gid };
}
