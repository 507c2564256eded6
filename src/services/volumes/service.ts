// The volume service: `isula volume ls / rm / prune` and the volumes containers are created with.
// A volume is in use while a container record names it (rebuilt from the container records on
// every question, so the count cannot drift from them after a crash) or while a create that
// made or found it is still in flight (held in memory until its record is committed).
import { conflict, notFound } from '../../util/errors.ts';
import { log } from '../../util/log.ts';
import { KeyedMutex } from '../../util/keyed-mutex.ts';
import { LocalVolumes } from '../../volume/local-volumes.ts';
import type { VolumeRecord } from '../../volume/local-volumes.ts';
import type { StateStore } from '../../store/types.ts';

/** Volume name → ids of the containers whose records use it. */
export type VolumeUsers = () => ReadonlyMap<string, readonly string[]>;

export class VolumeService {
  readonly local: LocalVolumes;
  private readonly users: VolumeUsers;
  /** holder (a container id being created) → volume names it holds */
  private readonly holds = new Map<string, Set<string>>();
  /** per-name queue: find-or-make, the in-use check and removal of one name never interleave */
  private readonly locks = new KeyedMutex();

  /** users: which containers' records name each volume (the daemon reads the container records) */
  constructor(opts: { graph: string; store: StateStore; users?: VolumeUsers; owner?: { uid: number; gid: number } }) {
    this.local = new LocalVolumes(opts.graph, opts.store, opts.owner);
    this.users = opts.users ?? (() => new Map());
  }

  /** Daemon start: the volumes dir must be usable (a file in its place stops the start). */
  start(): Promise<void> {
    return this.local.init();
  }

  async close(): Promise<void> {}

  list(): VolumeRecord[] {
    return this.local.list();
  }

  /** First container using the volume (a record or a create in flight), if any. */
  private userOf(name: string): string | undefined {
    const ids = this.users().get(name);
    if (ids && ids.length > 0) return ids[0];
    for (const [holder, names] of this.holds) if (names.has(name)) return holder;
    return undefined;
  }

  private withName<T>(name: string, fn: () => Promise<T>): Promise<T> {
    return this.locks.run(name, fn);
  }

  /**
   * Finds or makes a volume for a create in flight and holds it until release(holder). Two
   * creates naming one new volume get one volume, and only the first sees `created` (copy-up).
   */
  async acquire(name: string | undefined, holder: string): Promise<{ volume: VolumeRecord; path: string; created: boolean }> {
    const take = async () => {
      const { volume, created } = await this.local.ensure(name);
      const set = this.holds.get(holder) ?? new Set<string>();
      set.add(volume.Name);
      this.holds.set(holder, set);
      return { volume, path: this.local.dataPath(volume.Name), created };
    };
    return name === undefined ? take() : this.withName(name, take);
  }

  release(holder: string): void {
    this.holds.delete(holder);
  }

  copyUp(name: string, rootfs: string, dir: string): Promise<void> {
    return this.local.copyUp(name, rootfs, dir);
  }

  /** isula volume rm: refused while a container uses it (iSulad's wording). */
  remove(name: string): Promise<void> {
    return this.withName(name, async () => {
      if (!this.local.get(name)) throw notFound(`No such volume: ${name}`);
      const user = this.userOf(name);
      if (user !== undefined) throw conflict(`remove volume ${name} failed: volume is used by container ${user}`);
      await this.local.remove(name);
    });
  }

  /** Removes a volume unless some container still uses it (rm -v of a shared anonymous volume). */
  removeIfUnused(name: string): Promise<boolean> {
    return this.withName(name, async () => {
      if (!this.local.get(name) || this.userOf(name) !== undefined) return false;
      await this.local.remove(name);
      return true;
    });
  }

  /** isula volume prune: every volume no container uses; returns the names removed. */
  async prune(): Promise<string[]> {
    const removed: string[] = [];
    for (const v of this.local.list()) {
      try {
        if (await this.removeIfUnused(v.Name)) removed.push(v.Name);
      } catch (err) {
        log.with({ volume: v.Name }).warn('prune: remove failed', err);
      }
    }
    return removed;
  }
}
