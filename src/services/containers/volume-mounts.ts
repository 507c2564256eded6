// Volumes of a container, resolved once at create into the record's MountPoints: --volumes-from
// first, then -v and --mount (named `name:/dst` or anonymous `/dst`), then the image's VOLUME
// entries for destinations nothing else covers. New volumes get the image's content at their
// destination copied in (copy-up) unless nocopy. Binds to host paths stay in HostConfig.Binds and
// are bound by the spec builder (src/spec/container.ts).
import { invalidArgument } from '../../util/errors.ts';
import { cleanDestination, parseVolumeSpec } from '../../util/volume-spec.ts';
import type { ContainerCore } from './core.ts';
import type { ContainerConfig, ContainerRecord, HostConfig, VolumeMountPoint } from './types.ts';

/** --volumes-from CONTAINER[:ro|rw] → the reference and the forced mode (undefined: keep each mount's). */
export function parseVolumesFrom(v: string): { ref: string; rw: boolean | undefined } {
  const i = v.lastIndexOf(':');
  if (i < 0) return { ref: v, rw: undefined };
  const mode = v.slice(i + 1);
  if (mode !== 'ro' && mode !== 'rw') throw invalidArgument(`invalid mode for volumes-from: ${mode}`);
  return { ref: v.slice(0, i), rw: mode === 'rw' };
}

/** Every mount of another container that --volumes-from passes on: its volumes and binds. */
export function inheritedMounts(src: ContainerRecord): VolumeMountPoint[] {
  const out: VolumeMountPoint[] = [...(src.MountPoints ?? [])];
  const seen = new Set(out.map((m) => m.Destination));
  const add = (m: VolumeMountPoint) => {
    if (seen.has(m.Destination)) return;
    seen.add(m.Destination);
    out.push(m);
  };
  for (const b of src.HostConfig.Binds) {
    const v = parseVolumeSpec(b);
    if (v.kind !== 'bind') continue;
    add({ Type: 'bind', Name: '', Source: v.source, Destination: v.destination, RW: !v.readonly, Anonymous: false, ...(v.propagation ? { Propagation: v.propagation } : {}) });
  }
  for (const m of src.HostConfig.Mounts) {
    if (m.Type !== 'bind') continue;
    add({ Type: 'bind', Name: '', Source: m.Source, Destination: cleanDestination(m.Target, m.Target), RW: !m.ReadOnly, Anonymous: false, ...(m.BindPropagation ? { Propagation: m.BindPropagation } : {}) });
  }
  return out;
}

/** Volume name → ids of the containers whose records use it (the ref-count, from the records). */
export function volumeUsersOf(records: readonly ContainerRecord[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const r of records) {
    for (const m of r.MountPoints ?? []) {
      if (m.Type !== 'volume') continue;
      const list = out.get(m.Name) ?? [];
      if (!list.includes(r.Id)) list.push(r.Id);
      out.set(m.Name, list);
    }
  }
  return out;
}

interface Wanted {
  name: string | undefined;
  destination: string;
  readonly: boolean;
  nocopy: boolean;
}

/**
 * Resolves the container's volumes, making new ones (and copying up) as needed. The caller holds
 * `id` in the volume service until the record is committed (then release), so a prune in between
 * cannot take them; volumes this call made are pushed onto `undo`.
 */
export async function resolveMountPoints(
  core: ContainerCore,
  c: { id: string; rootfs: string; config: ContainerConfig; hostConfig: HostConfig },
  undo: Array<() => Promise<void>>,
): Promise<VolumeMountPoint[]> {
  const h = c.hostConfig;
  const userDests = new Set<string>();
  const wanted: Wanted[] = [];
  const claim = (dst: string) => {
    if (userDests.has(dst)) throw invalidArgument(`Duplicate mount point: ${dst}`);
    userDests.add(dst);
  };
  for (const b of h.Binds) {
    const v = parseVolumeSpec(b);
    claim(v.destination);
    if (v.kind === 'volume') wanted.push(v);
  }
  for (const m of h.Mounts) {
    const dst = cleanDestination(m.Target, m.Target);
    claim(dst);
    if (m.Type === 'volume') wanted.push({ name: m.Source === '' ? undefined : m.Source, destination: dst, readonly: m.ReadOnly, nocopy: m.VolumeNoCopy ?? false });
  }
  for (const dst of Object.keys(h.Tmpfs)) claim(cleanDestination(dst, dst));

  const out: VolumeMountPoint[] = [];
  const taken = new Set(userDests);
  for (const from of h.VolumesFrom ?? []) {
    const { ref, rw } = parseVolumesFrom(from);
    const src = core.find(ref);
    for (const m of inheritedMounts(src)) {
      if (taken.has(m.Destination)) continue;
      taken.add(m.Destination);
      out.push({ ...m, RW: rw ?? m.RW });
    }
  }
  for (const dst of Object.keys(c.config.Volumes).sort()) {
    const d = cleanDestination(dst, dst);
    if (taken.has(d)) continue;
    taken.add(d);
    wanted.push({ name: undefined, destination: d, readonly: false, nocopy: false });
  }
  const volumes = core.deps.volumes;
  if (wanted.length > 0 && !volumes) throw invalidArgument('volumes are not supported by this daemon');
  for (const w of wanted) {
    if (!volumes) break;
    const { volume, path, created } = await volumes.acquire(w.name, c.id);
    if (created) {
      undo.push(async () => {
        volumes.release(c.id); // our own hold would keep it "in use"
        await volumes.removeIfUnused(volume.Name);
      });
      if (!w.nocopy) await volumes.copyUp(volume.Name, c.rootfs, w.destination);
    }
    out.push({ Type: 'volume', Name: volume.Name, Source: path, Destination: w.destination, RW: !w.readonly, Anonymous: w.name === undefined });
  }
  return out;
}
