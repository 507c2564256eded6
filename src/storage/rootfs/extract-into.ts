// Extracts a `cp` tar into an existing tree: a directory inside a container rootfs (daemon side),
// or a local directory (CLI side, root "/"). Unlike a layer (../extract.ts) the target is not
// empty: existing directories are merged, other existing entries replaced, as docker cp does.
// Nothing is ever written outside `root`:
//   - entry names are split into components; ".." and NUL are refused (../tar/entry-path.ts);
//   - each entry's parent directory is resolved with resolveInRoot (symlinks read as if chrooted,
//     so a link to /tmp means <root>/tmp), and made 0755 when missing;
//   - the entry itself is never followed: what stands at its name is removed first (rm does not
//     follow links), files are created O_CREAT|O_EXCL|O_NOFOLLOW, owners set with lchown;
//   - a symlink written by the tar is just a link: later entries under it resolve through it
//     chrooted again, never to the host.
// The caller keeps the tree still meanwhile (the container frozen or stopped).
import { constants } from 'node:fs';
import { chmod, lchown, link, lstat, lutimes, mkdir, open, rm, symlink } from 'node:fs/promises';
import { TarReader } from '../tar/tar-reader.ts';
import type { TarEntry } from '../tar/tar-reader.ts';
import { entryComponents } from '../tar/entry-path.ts';
import { makeSpecialNodes } from '../fs-tools.ts';
import { errnoCode, invalidArgument } from '../../util/errors.ts';
import { resolveInRoot } from './resolve-in-root.ts';
import { ownerToHost, type IdShift } from '../id-shift.ts';

const O_NEW_FILE = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;
const WRITE_BATCH = 1 << 20;

export interface ExtractIntoOptions {
  /** the tree that bounds every write ("/" for a local extraction) */
  root: string;
  /** the directory to extract into, as a path inside root */
  dir: string;
  /**
   * Maps the tar's top entry: a string renames it ('' = its contents go straight into dir);
   * null keeps every name as it is (a tar the user supplied: `cp - CONTAINER:DIR`).
   */
  rename: string | null;
  /** lchown entries to the tar's uid/gid; otherwise to `owner` when given, else left as created */
  keepOwners: boolean;
  owner?: { uid: number; gid: number };
  /**
   * The tree is a user-namespaced container's (id-shift.ts): the owners above are the container's
   * ids and are written shifted to the host's (an id with no host id under the shift is refused),
   * and the directories made on the way belong to the container's root.
   */
  idShift?: IdShift;
  signal?: AbortSignal;
}

function namesOf(e: TarEntry, rename: string | null): string[] | undefined {
  if (rename === null) return entryComponents(e.name);
  if (e.name.includes('\0')) throw invalidArgument(`tar entry ${JSON.stringify(e.name)}: NUL in name`);
  const raw = e.name.split('/').filter((p) => p !== '');
  if (raw.length === 0) return undefined;
  const rest = entryComponents(raw.slice(1).join('/'));
  const out = rename === '' ? rest : [rename, ...rest];
  return out.length === 0 ? undefined : out;
}

class IntoExtractor {
  readonly o: ExtractIntoOptions;
  /** parent path (inside root) → host directory, dropped whenever a link or a removal may change it */
  dirs = new Map<string, string>();
  readonly dirMeta: Array<{ host: string; mode: number; mtime: number }> = [];

  constructor(o: ExtractIntoOptions) {
    this.o = o;
  }

  inRoot(parts: readonly string[]): string {
    const base = this.o.dir.endsWith('/') ? this.o.dir : `${this.o.dir}/`;
    return base + parts.join('/');
  }

  /** The host directory for `parts` (inside dir), creating missing components 0755. */
  async dirOf(parts: readonly string[]): Promise<string> {
    const key = parts.join('/');
    const known = this.dirs.get(key);
    if (known !== undefined) return known;
    const r = await resolveInRoot(this.o.root, this.inRoot(parts), { followFinal: true });
    let host = r.host;
    if (r.stat === undefined) {
      if (parts.length === 0) throw invalidArgument(`destination ${this.o.dir} does not exist`);
      await this.dirOf(parts.slice(0, -1)); // makes the parents first
      const again = await resolveInRoot(this.o.root, this.inRoot(parts), { followFinal: true });
      if (again.stat === undefined) {
        await mkdir(again.host, 0o755);
        const s = this.o.idShift;
        if (s) await lchown(again.host, s.uid, s.gid);
      }
      host = again.host;
      const st = await lstat(host);
      if (!st.isDirectory()) throw invalidArgument(`${this.inRoot(parts)} is not a directory`);
    } else if (!r.stat.isDirectory()) {
      throw invalidArgument(`${this.inRoot(parts)} is not a directory`);
    }
    this.dirs.set(key, host);
    return host;
  }

  async owners(host: string, e: TarEntry): Promise<void> {
    const o = this.o.keepOwners ? { uid: e.uid, gid: e.gid } : this.o.owner;
    if (!o) return;
    const s = this.o.idShift;
    if (!s) return lchown(host, o.uid, o.gid);
    const h = ownerToHost(o.uid, o.gid, s);
    if (!h) throw invalidArgument(`tar entry ${JSON.stringify(e.name)}: owner ${o.uid}:${o.gid} is outside the container's user namespace mapping of ${s.size} ids`);
    await lchown(host, h.uid, h.gid);
  }

  async entry(reader: TarReader, e: TarEntry): Promise<void> {
    const parts = namesOf(e, this.o.rename);
    if (parts === undefined) return; // the top directory itself in contents mode
    const parent = await this.dirOf(parts.slice(0, -1));
    const host = `${parent === '/' ? '' : parent}/${parts.at(-1) as string}`;
    let existing;
    try {
      existing = await lstat(host);
    } catch (err) {
      if (errnoCode(err) !== 'ENOENT') throw err;
    }
    if (e.type === 'dir') {
      if (existing && !existing.isDirectory()) {
        await rm(host, { force: true });
        this.dirs.clear();
        existing = undefined;
      }
      if (!existing) await mkdir(host, 0o700);
      this.dirs.set(parts.join('/'), host);
      await this.owners(host, e);
      this.dirMeta.push({ host, mode: e.mode, mtime: e.mtime });
      return;
    }
    if (existing) {
      await rm(host, { recursive: true, force: true }); // never follows a symlink
      this.dirs.clear();
    }
    switch (e.type) {
      case 'file': {
        const fh = await open(host, O_NEW_FILE, 0o600);
        try {
          // payload chunks are message-sized: gather them so a big file costs few writes
          let pending: Buffer[] = [];
          let size = 0;
          const flush = async () => {
            if (size === 0) return;
            const buf = pending.length === 1 ? (pending[0] as Buffer) : Buffer.concat(pending, size);
            pending = [];
            size = 0;
            await fh.write(buf);
          };
          await reader.payload(async (chunk) => {
            this.o.signal?.throwIfAborted();
            pending.push(Buffer.from(chunk)); // the reader may reuse its buffer
            size += chunk.length;
            if (size >= WRITE_BATCH) await flush();
          });
          await flush();
          await fh.chmod(e.mode & 0o7777);
        } finally {
          await fh.close();
        }
        break;
      }
      case 'symlink':
        await symlink(e.linkname, host);
        this.dirs.clear(); // a name we resolved may now pass through this link
        break;
      case 'hardlink': {
        const tparts = namesOf({ ...e, name: e.linkname }, this.o.rename);
        if (tparts === undefined) throw invalidArgument(`tar entry ${JSON.stringify(e.name)}: bad link target`);
        const t = await resolveInRoot(this.o.root, this.inRoot(tparts), { followFinal: false });
        if (!t.stat || t.stat.isDirectory()) throw invalidArgument(`tar entry ${JSON.stringify(e.name)}: link target ${JSON.stringify(e.linkname)} not found`);
        await link(t.host, host);
        return; // same inode: owner and times come with it
      }
      case 'char':
      case 'block':
      case 'fifo':
        await makeSpecialNodes(parent, [{ path: parts.at(-1) as string, type: e.type, mode: e.mode, major: e.devmajor, minor: e.devminor }]);
        break;
    }
    await this.owners(host, e);
    if (e.type !== 'symlink') {
      if (e.type !== 'file') await chmod(host, e.mode & 0o7777);
    }
    const t = new Date(e.mtime * 1000);
    await lutimes(host, t, t);
  }

  /** Directory modes and times last: children written meanwhile would change the mtime. */
  async finish(): Promise<void> {
    for (const d of this.dirMeta.reverse()) {
      await chmod(d.host, d.mode & 0o7777);
      const t = new Date(d.mtime * 1000);
      await lutimes(d.host, t, t);
    }
  }
}

/** Extracts `tar` into opts.dir (which must exist); returns the number of entries. */
export async function extractInto(tar: AsyncIterable<Buffer | Uint8Array>, opts: ExtractIntoOptions): Promise<number> {
  const x = new IntoExtractor(opts);
  await x.dirOf([]); // the destination must exist and be a directory
  const reader = new TarReader(tar);
  let n = 0;
  for (;;) {
    opts.signal?.throwIfAborted();
    const e = await reader.next();
    if (!e) break;
    await x.entry(reader, e);
    n++;
  }
  await x.finish();
  return n;
}
