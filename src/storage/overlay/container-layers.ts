// Containers' writable layers: <overlay>/<id>/{diff,work,merged}, mounted with
//   mount -t overlay overlay -o lowerdir=l/A:l/B,upperdir=<id>/diff,workdir=<id>/work <merged>
// run with cwd = the overlay root, so every path in the option string is short and relative.
// A container with no image (parent null) gets an empty lower dir (<id>/empty): overlay needs one.
// A container with --external-rootfs has a record only: its rootfs is that directory, used in place.
import { chown, mkdir, readFile, rm, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join } from 'node:path';
import type { StateStore } from '../../store/types.ts';
import type { ChainId } from '../types.ts';
import { runTool, runToolViaShell } from '../fs-tools.ts';
import type { OverlayLayout } from './layout.ts';
import { LINK_DIR } from './layout.ts';
import type { ContainerLayerRecord, LayerRecord } from './records.ts';
import { rwKey } from './records.ts';
import { conflict, invalidArgument, notFound, wrap } from '../../util/errors.ts';
import { rmTree } from '../../util/rm-tree.ts';

export interface ParentAccess {
  chain(id: ChainId): LayerRecord[];
  hold(id: ChainId): void;
  release(id: ChainId): Promise<void>;
}

const PAGE_LIMIT = 4096;

/** Mount points in /proc/self/mountinfo (field 5, octal escapes decoded). */
export async function mountPoints(): Promise<Set<string>> {
  const text = await readFile('/proc/self/mountinfo', 'utf8');
  const out = new Set<string>();
  for (const line of text.split('\n')) {
    const f = line.split(' ');
    if (f[4]) out.add(f[4].replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8))));
  }
  return out;
}

/**
 * Whether the container's `merged` dir has its overlay mounted: an overlay mount always has a
 * device of its own, so two stats answer what parsing /proc/self/mountinfo did (that file has
 * a line per mount on the host, over a thousand on a busy one, and was read at every mount and
 * unmount). A stat that fails otherwise than ENOENT (a broken mount) asks mountinfo.
 */
export async function isMountPoint(dir: string): Promise<boolean> {
  try {
    const [a, b] = await Promise.all([stat(dir), stat(dirname(dir))]);
    return a.dev !== b.dev;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    return (await mountPoints()).has(dir);
  }
}

export class ContainerLayers {
  readonly #layout: OverlayLayout;
  readonly #store: StateStore;
  readonly #parents: ParentAccess;

  readonly #owner: { uid: number; gid: number } | undefined;

  /** owner: the mapped root of a remapping daemon, who owns each container layer's dirs */
  constructor(layout: OverlayLayout, store: StateStore, parents: ParentAccess, owner?: { uid: number; gid: number }) {
    this.#layout = layout;
    this.#store = store;
    this.#owner = owner;
    this.#parents = parents;
  }

  #get(id: string): ContainerLayerRecord {
    const r = this.#store.get<ContainerLayerRecord>('layer', rwKey(id));
    if (!r) throw notFound(`container layer ${JSON.stringify(id)} not found`);
    return r;
  }

  async create(id: string, parent: ChainId | null, external?: string): Promise<void> {
    if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/.test(id)) throw invalidArgument(`invalid container layer id ${JSON.stringify(id)}`);
    if (this.#store.get('layer', rwKey(id))) throw conflict(`container layer ${JSON.stringify(id)} already exists`);
    if (external !== undefined) {
      // only a record: the directory is the rootfs, used in place (no overlay, nothing made or removed)
      if (!isAbsolute(external) || parent !== null) throw invalidArgument(`external rootfs ${JSON.stringify(external)}: an absolute path, with no image layer`);
      const rec: ContainerLayerRecord = { containerId: id, parent: null, created: new Date().toISOString(), external };
      await this.#store.put('layer', rwKey(id), rec);
      return;
    }
    if (parent !== null) this.#parents.hold(parent);
    const dir = this.#layout.containerDir(id);
    try {
      await mkdir(dir, { mode: 0o700 });
      await mkdir(join(dir, 'diff'), { mode: 0o755 });
      await mkdir(join(dir, 'work'), { mode: 0o700 });
      await mkdir(join(dir, 'merged'), { mode: 0o755 });
      if (parent === null) await mkdir(join(dir, 'empty'), { mode: 0o755 });
      const o = this.#owner;
      if (o) for (const d of ['', 'diff', 'work', 'merged']) await chown(join(dir, d), o.uid, o.gid);
      const rec: ContainerLayerRecord = { containerId: id, parent, created: new Date().toISOString() };
      await this.#store.put('layer', rwKey(id), rec);
    } catch (err) {
      await rm(dir, { recursive: true, force: true });
      if (parent !== null) await this.#parents.release(parent);
      throw wrap(err, `create container layer ${JSON.stringify(id)}`);
    }
  }

  paths(id: string): { lowerDir: string; upperDir: string; workDir: string; mergedDir: string; external?: true } | undefined {
    const r = this.#store.get<ContainerLayerRecord>('layer', rwKey(id));
    if (!r) return undefined;
    if (r.external !== undefined) return { lowerDir: '', upperDir: '', workDir: '', mergedDir: r.external, external: true };
    const dir = this.#layout.containerDir(id);
    const lowerDir = r.parent === null ? join(dir, 'empty') : this.#parents.chain(r.parent).map((l) => this.#layout.diffDir(l.chainId)).join(':');
    return { lowerDir, upperDir: join(dir, 'diff'), workDir: join(dir, 'work'), mergedDir: join(dir, 'merged') };
  }

  async mount(id: string): Promise<string> {
    const r = this.#get(id);
    if (r.external !== undefined) return r.external;
    const merged = join(this.#layout.containerDir(id), 'merged');
    if (await isMountPoint(merged)) return merged;
    const lower = r.parent === null ? `${id}/empty` : this.#parents.chain(r.parent).map((l) => `${LINK_DIR}/${l.link}`).join(':');
    const opts = `lowerdir=${lower},upperdir=${id}/diff,workdir=${id}/work`;
    if (opts.length >= PAGE_LIMIT) throw invalidArgument(`container layer ${JSON.stringify(id)}: overlay mount options exceed one page`);
    try {
      await runToolViaShell('mount', ['-t', 'overlay', 'overlay', '-o', opts, merged], { cwd: this.#layout.root });
    } catch (err) {
      throw wrap(err, `mount container layer ${JSON.stringify(id)}`);
    }
    return merged;
  }

  async unmount(id: string): Promise<void> {
    if (this.#get(id).external !== undefined) return;
    const merged = join(this.#layout.containerDir(id), 'merged');
    if (!(await isMountPoint(merged))) return;
    try {
      await runToolViaShell('umount', [merged]);
    } catch (err) {
      throw wrap(err, `unmount container layer ${JSON.stringify(id)}`);
    }
  }

  async remove(id: string): Promise<void> {
    const r = this.#store.get<ContainerLayerRecord>('layer', rwKey(id));
    if (!r) {
      // a create or remove cut short by a crash: the dir may be there without its record
      if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/.test(id)) return;
      const dir = this.#layout.containerDir(id);
      const merged = join(dir, 'merged');
      if (await isMountPoint(merged)) await runTool('umount', [merged]).catch((err: unknown) => {
        throw wrap(err, `unmount container layer ${JSON.stringify(id)}`);
      });
      await rmTree(dir);
      return;
    }
    if (r.external !== undefined) {
      // the engine does not own the directory: only the record goes
      await this.#store.delete('layer', rwKey(id));
      return;
    }
    await this.unmount(id);
    await this.#store.delete('layer', rwKey(id));
    await rmTree(this.#layout.containerDir(id));
    if (r.parent !== null) await this.#parents.release(r.parent);
  }
}
