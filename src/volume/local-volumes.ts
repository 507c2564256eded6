// Local volumes (driver `local`): `<graph>/volumes/<name>/_data`, one record per volume in the
// state store (kind 'volume'). This module owns the directories and the records and knows nothing
// of containers: who uses a volume is the services' business (src/services/volumes/).
import { chown, lstat, mkdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { errnoCode, invalidArgument, notFound, wrap } from '../util/errors.ts';
import { resolveTargetInRoot } from '../util/in-root.ts';
import { runTool } from '../storage/fs-tools.ts';
import type { StateStore } from '../store/types.ts';

export const LOCAL_DRIVER = 'local';

export interface VolumeRecord {
  Name: string;
  Driver: string;
  /** RFC 3339 */
  CreatedAt: string;
  /** 64-hex name made by the engine (image VOLUME, `-v /path`); rm -v removes only these */
  Anonymous: boolean;
}

// docker's and iSulad's rule for user-given names
const NAME_RE = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

export function validateVolumeName(name: string): void {
  if (!NAME_RE.test(name)) {
    throw invalidArgument(`Invalid volume name "${name}": only "[a-zA-Z0-9][a-zA-Z0-9_.-]" are allowed, and the name must be at least 2 characters`);
  }
}

export class LocalVolumes {
  private readonly dir: string;
  private readonly store: StateStore;
  /** a remapping daemon's mapped root: owns the volumes dir, each volume's dir and its _data */
  private readonly owner: { uid: number; gid: number } | undefined;

  constructor(graph: string, store: StateStore, owner?: { uid: number; gid: number }) {
    this.dir = join(graph, 'volumes');
    this.store = store;
    this.owner = owner;
  }

  /**
   * Makes <graph>/volumes (0700) at daemon start. A volumes path that exists and is not a
   * directory stops the start, as iSulad's volume_init does ("create volume directory ... failed").
   */
  async init(): Promise<void> {
    try {
      await mkdir(this.dir, { recursive: true, mode: 0o700 }).catch((err: unknown) => {
        if (errnoCode(err) !== 'EEXIST') throw err;
      });
      if (!(await stat(this.dir)).isDirectory()) throw new Error(`${this.dir} exists and is not a directory`);
      if (this.owner) await chown(this.dir, this.owner.uid, this.owner.gid);
    } catch (err) {
      throw wrap(err, `Failed to init volume: create volume directory ${this.dir} failed`);
    }
  }

  /** Host path of a volume's data (whether or not it exists). */
  dataPath(name: string): string {
    return join(this.dir, name, '_data');
  }

  get(name: string): VolumeRecord | undefined {
    return this.store.get<VolumeRecord>('volume', name);
  }

  list(): VolumeRecord[] {
    return this.store.list<VolumeRecord>('volume');
  }

  /**
   * The volume `name` (made if missing), or a new anonymous one when name is undefined.
   * `created` says whether this call made it: copy-up goes only into a new volume.
   */
  async ensure(name: string | undefined): Promise<{ volume: VolumeRecord; created: boolean }> {
    if (name !== undefined) {
      validateVolumeName(name);
      const have = this.get(name);
      if (have) return { volume: have, created: false };
    }
    let n = name;
    while (n === undefined || this.get(n)) n = randomBytes(32).toString('hex');
    // dir first, record last: a crash in between leaves a dir without a record, which the next
    // ensure of that name reuses (mkdir is idempotent) and an anonymous name never meets again
    try {
      await mkdir(join(this.dir, n), { recursive: true, mode: 0o700 });
      await mkdir(this.dataPath(n), { recursive: true, mode: 0o755 });
      // remapped: LXC binds _data from inside the user namespace, so the mapped root walks there
      const o = this.owner;
      if (o) for (const d of [this.dir, join(this.dir, n), this.dataPath(n)]) await chown(d, o.uid, o.gid);
    } catch (err) {
      throw wrap(err, `create volume ${n}`);
    }
    const volume: VolumeRecord = { Name: n, Driver: LOCAL_DRIVER, CreatedAt: new Date().toISOString(), Anonymous: name === undefined };
    await this.store.put('volume', n, volume);
    return { volume, created: true };
  }

  /** Deletes the record first (the volume is gone for users at once), then its files. */
  async remove(name: string): Promise<void> {
    if (!this.get(name)) throw notFound(`No such volume: ${name}`);
    await this.store.delete('volume', name);
    await rm(join(this.dir, name), { recursive: true, force: true }).catch((err: unknown) => {
      throw wrap(err, `remove volume ${name}`);
    });
  }

  /**
   * Copies the content of `dir` (a directory of a mounted container rootfs) into the volume,
   * keeping modes, owners, timestamps and xattrs (cp -a). The path is resolved and must stay
   * inside `rootfs`: an image symlink pointing at a host path copies nothing rather than host files.
   */
  async copyUp(name: string, rootfs: string, dir: string): Promise<void> {
    // the destination as the container will see it: links in the image are followed inside the
    // rootfs (an image's `/data -> /etc` copies the image's /etc, never the host's), as the mount
    // itself is placed (issue 13 item 1)
    let real: string;
    try {
      real = join(rootfs, await resolveTargetInRoot(rootfs, dir));
    } catch {
      return; // a path the rootfs cannot hold (a loop of links): an empty volume
    }
    const st = await lstat(real).catch(() => undefined);
    if (st === undefined || !st.isDirectory()) return; // nothing there in the image: an empty volume
    const dst = this.dataPath(name);
    try {
      // `src/.` copies the directory's own mode and owner onto _data as well as its content
      await runTool('cp', ['-a', `${real}/.`, `${dst}/`]);
    } catch (err) {
      throw wrap(err, `copy ${dir} of the image into volume ${name}`);
    }
  }

}
