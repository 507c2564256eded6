// Mount options: bind mounts (-v, --mount type=bind), tmpfs (--tmpfs, --mount type=tmpfs), image
// volumes made into Mounts by services, and --shm-size.
import type { Mount } from '../util/mount.ts';
import { invalidArgument } from '../util/errors.ts';
import { checkMountDestination } from '../util/in-root.ts';
import type { SpecMount, SpecOpt } from './types.ts';

function cleanDest(p: string): string {
  if (!p.startsWith('/')) throw invalidArgument(`invalid mount destination "${p}": must be absolute`);
  const parts = p.split('/').filter((c) => c !== '' && c !== '.');
  if (parts.includes('..')) throw invalidArgument(`invalid mount destination "${p}"`);
  return '/' + parts.join('/');
}

/**
 * Replaces any mount already at the same destination (user mounts override defaults). A user's
 * mount at / or in /proc is refused here, for every runtime, at create (lcr used to be the only
 * one to refuse; runc failed at start).
 */
function putMount(mounts: SpecMount[], m: SpecMount): SpecMount[] {
  checkMountDestination(m.destination, m.destination, m.type === 'proc');
  return [...mounts.filter((x) => x.destination !== m.destination), m];
}

export interface BindMount {
  source: string; // host path (services resolve named volumes to paths)
  destination: string;
  readonly: boolean;
  propagation?: 'private' | 'rprivate' | 'shared' | 'rshared' | 'slave' | 'rslave';
}

export function withBindMounts(binds: BindMount[]): SpecOpt {
  return (s) => {
    for (const b of binds) {
      if (!b.source.startsWith('/')) throw invalidArgument(`invalid mount source "${b.source}": must be absolute`);
      const opts = ['rbind', b.readonly ? 'ro' : 'rw'];
      if (b.propagation) opts.push(b.propagation);
      s.mounts = putMount(s.mounts, { destination: cleanDest(b.destination), type: 'bind', source: b.source, options: opts });
      // a shared bind propagates back to the host only if the container's mount tree stays a
      // peer of the host's: with runc's default (rslave) the bind would be a slave, receiving only
      if (b.propagation === 'shared' || b.propagation === 'rshared') s.linux.rootfsPropagation = 'rshared';
    }
  };
}

/** Plain Mount[] from storage or volumes (the seam type), taken as they are. */
export function withMounts(mounts: Mount[]): SpecOpt {
  return (s) => {
    for (const m of mounts) s.mounts = putMount(s.mounts, { destination: cleanDest(m.target), type: m.type, source: m.source, options: [...m.options] });
  };
}

const TMPFS_DEFAULTS = ['noexec', 'nosuid', 'nodev'];

/** tmpfs mounts (--tmpfs /run:rw,size=64m) with docker's default noexec,nosuid,nodev unless overridden. */
export function withTmpfs(mounts: Array<{ destination: string; options: string[] }>): SpecOpt {
  return (s) => {
    for (const t of mounts) {
      const opts = [...t.options];
      for (const d of TMPFS_DEFAULTS) {
        const off = d.replace(/^no/, '');
        if (!opts.includes(d) && !opts.includes(off)) opts.push(d);
      }
      s.mounts = putMount(s.mounts, { destination: cleanDest(t.destination), type: 'tmpfs', source: 'tmpfs', options: opts });
    }
  };
}

/** --shm-size in bytes (> 0). */
export function withShmSize(bytes: number): SpecOpt {
  return (s) => {
    if (!Number.isInteger(bytes) || bytes <= 0) throw invalidArgument('SHM size must be greater than 0');
    const shm = s.mounts.find((m) => m.destination === '/dev/shm');
    if (shm === undefined) return;
    shm.options = [...shm.options.filter((o) => !o.startsWith('size=')), `size=${bytes}`];
  };
}
