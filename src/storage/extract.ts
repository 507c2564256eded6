// Extracts one layer tar into a directory in overlay form, refusing anything that would write
// outside it. Safety comes from construction, not from checks on a finished tree:
//   - names are split into components; absolute names and ".." are refused (entry-path.ts);
//   - every parent component is lstat'ed (or known to be a directory we made) and must be a real
//     directory: an entry under a symlink is refused, so a symlink planted by an earlier entry can
//     never redirect a later one;
//   - files are opened O_CREAT|O_EXCL|O_NOFOLLOW; whatever stood at the name is removed first
//     (rm never follows symlinks); hard link targets resolve the same way and must be in the layer.
// Device nodes, fifos and xattrs have no Node primitive: they are collected and made at the end
// with one batched tool spawn each (fs-tools.ts), after re-checking their parents.
import { constants, readFileSync } from 'node:fs';
import { link, lchown, lstat, lutimes, mkdir, open, rm, symlink, chmod, chown } from 'node:fs/promises';
import { join } from 'node:path';
import { TarReader } from './tar/tar-reader.ts';
import type { TarEntry } from './tar/tar-reader.ts';
import { entryComponents, memberComponents, whiteoutAction } from './tar/entry-path.ts';
import type { TarSplitWriter } from './tar/tar-split.ts';
import { makeSpecialNodes, setXattrs } from './fs-tools.ts';
import type { SpecialNode } from './fs-tools.ts';
import { errnoCode, invalidArgument } from '../util/errors.ts';
import type { IdShift } from './id-shift.ts';

export interface ExtractOptions {
  /** an existing, empty directory */
  root: string;
  split?: TarSplitWriter;
  /** makes an overlay whiteout at an absolute path (hard link to a shared 0:0 device); absent → mknod */
  linkWhiteout?: (abs: string) => Promise<boolean>;
  /** chown entries to their uid/gid (needs root) */
  preserveOwners: boolean;
  /**
   * a daemon's --userns-remap: every owner id below `size` is stored as uid+id / gid+id, and what
   * the extraction makes itself (the root, missing parents) as uid:gid. An id at or above `size`
   * has no host id in the container's namespace and is refused.
   */
  idShift?: IdShift;
  signal?: AbortSignal;
}

export type { IdShift } from './id-shift.ts';

/** An entry's owner on the host under a shift (the container's id mapped through it). */
function shiftOwner(e: TarEntry, s: IdShift): TarEntry {
  if (e.uid >= s.size || e.gid >= s.size) throw invalidArgument(`tar entry ${JSON.stringify(e.name)}: owner ${e.uid}:${e.gid} is outside the remapped range of ${s.size} ids`);
  return { ...e, uid: s.uid + e.uid, gid: s.gid + e.gid };
}

export interface ExtractResult {
  /** bytes of regular file content */
  size: number;
  entries: number;
}

interface Deferred extends SpecialNode {
  uid: number;
  gid: number;
  mtime: number;
}

const O_NEW_FILE = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

/**
 * The process umask, from /proc (process.umask() without an argument is deprecated); read per
 * extraction, since the daemon sets it for a moment when it creates its socket.
 */
function processUmask(): number {
  try {
    const m = /^Umask:\s+([0-7]+)$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    return m ? parseInt(m[1] as string, 8) : 0o7777;
  } catch {
    return 0o7777; // unknown: never trust the creation mode, always chmod
  }
}
const OPAQUE_XATTR = 'trusted.overlay.opaque';
const WRITE_BATCH = 256 << 10;

class Extractor {
  readonly root: string;
  readonly opts: ExtractOptions;
  readonly dirs = new Set<string>(['']); // relative paths known to be real directories
  readonly dirTimes = new Map<string, number>();
  readonly deferred = new Map<string, Deferred>();
  readonly deferredLinks: Array<{ rel: string; target: string }> = [];
  readonly xattrs = new Map<string, Map<string, Buffer>>();
  /** names whited out by this layer: a directory later made at one replaces the lower one */
  readonly whitedOut = new Set<string>();
  size = 0;
  entries = 0;
  /**
   * Directories (relative) with the setgid bit: what is created in them takes the directory's
   * group, not ours, so a chown to our own gid is not a no-op there.
   */
  readonly setgidDirs = new Set<string>();
  /** our effective uid/gid: a new file already has them (outside setgid directories) */
  readonly euid = process.geteuid?.() ?? -1;
  readonly egid = process.getegid?.() ?? -1;
  readonly umask = processUmask();
  /**
   * Names this extraction created (besides `dirs`). The root starts empty, so a name in neither
   * set does not exist: no lstat for it (one syscall less per entry, and per new parent).
   */
  made = new Set<string>();

  constructor(opts: ExtractOptions) {
    this.root = opts.root;
    this.opts = opts;
  }

  abs(rel: string): string {
    return rel === '' ? this.root : join(this.root, rel);
  }

  /** Makes sure every parent of parts is a real directory, creating missing ones (0755). */
  async ensureParents(parts: string[], name: string, create = true): Promise<void> {
    let rel = '';
    for (let i = 0; i < parts.length - 1; i++) {
      rel = rel === '' ? (parts[i] as string) : `${rel}/${parts[i] as string}`;
      if (this.dirs.has(rel)) continue;
      if (this.deferred.has(rel)) throw invalidArgument(`tar entry ${JSON.stringify(name)}: parent ${JSON.stringify(rel)} is not a directory`);
      if (!this.made.has(rel)) {
        if (!create) throw Object.assign(new Error(`ENOENT: ${rel} does not exist`), { code: 'ENOENT' });
        await mkdir(this.abs(rel), { mode: 0o755 });
        if (this.opts.idShift) await lchown(this.abs(rel), this.opts.idShift.uid, this.opts.idShift.gid);
        this.dirs.add(rel);
        continue;
      }
      let st;
      try {
        st = await lstat(this.abs(rel));
      } catch (err) {
        if (errnoCode(err) !== 'ENOENT' || !create) throw err;
        await mkdir(this.abs(rel), { mode: 0o755 });
        if (this.opts.idShift) await lchown(this.abs(rel), this.opts.idShift.uid, this.opts.idShift.gid);
        this.dirs.add(rel);
        continue;
      }
      if (st.isSymbolicLink()) throw invalidArgument(`tar entry ${JSON.stringify(name)}: path goes through symlink ${JSON.stringify(rel)}`);
      if (!st.isDirectory()) throw invalidArgument(`tar entry ${JSON.stringify(name)}: parent ${JSON.stringify(rel)} is not a directory`);
      this.dirs.add(rel);
    }
  }

  /** Drops bookkeeping for rel and everything under it (it is being replaced). */
  forget(rel: string): void {
    const under = rel === '' ? '' : rel + '/';
    const drop = <T>(m: Map<string, T> | Set<string>) => {
      for (const k of m.keys()) if (k === rel || k.startsWith(under)) m.delete(k);
    };
    drop(this.dirs);
    drop(this.dirTimes);
    drop(this.deferred);
    drop(this.xattrs);
    drop(this.made);
    if (rel !== '') drop(this.setgidDirs);
    this.dirs.add('');
  }

  /** Clears the name for a new entry; returns true when an existing directory is kept (dir over dir). */
  async clear(rel: string, newIsDir: boolean): Promise<boolean> {
    if (this.deferred.has(rel)) this.forget(rel);
    if (!this.made.has(rel) && !this.dirs.has(rel)) {
      this.made.add(rel); // the caller creates it now
      return false;
    }
    let st;
    try {
      st = await lstat(this.abs(rel));
    } catch (err) {
      if (errnoCode(err) === 'ENOENT') {
        this.made.add(rel);
        return false;
      }
      throw err;
    }
    if (newIsDir && st.isDirectory()) return true;
    this.forget(rel);
    await rm(this.abs(rel), { recursive: true, force: true });
    this.made.add(rel);
    return false;
  }

  /**
   * True when a file or directory just made at rel already belongs to e.uid:e.gid, so the chown
   * is a no-op (root extracting a root-owned entry, the common case: one syscall and one
   * thread-pool round trip less per entry).
   */
  ownedAlready(rel: string, e: TarEntry): boolean {
    const i = rel.lastIndexOf('/');
    const parent = i < 0 ? '' : rel.slice(0, i);
    return e.uid === this.euid && e.gid === this.egid && !this.setgidDirs.has(parent);
  }

  /**
   * The mode to create a regular file with, when the creation gives the final mode (no
   * setuid/setgid/sticky bit, which chown would clear, and nothing the umask takes away); else
   * undefined: create it 0600 and chmod after the chown.
   */
  createMode(e: TarEntry): number | undefined {
    if ((e.mode & 0o7000) !== 0 || (e.mode & this.umask) !== 0) return undefined;
    return e.mode;
  }

  async owner(abs: string, e: TarEntry): Promise<void> {
    if (this.opts.preserveOwners) await lchown(abs, e.uid, e.gid);
  }

  async entry(r: TarReader, e: TarEntry): Promise<void> {
    this.entries++;
    const parts = memberComponents(e.name);
    const rel = parts.join('/');
    const wh = whiteoutAction(parts);
    if (wh.kind === 'ignore') return;
    if (wh.kind === 'opaque') {
      await this.ensureParents([...wh.dir, '.'], e.name);
      const d = wh.dir.join('/');
      if (d !== '' && !this.dirs.has(d)) {
        // The marker may come before its directory's own entry: make it now.
        if (!(await this.clear(d, true))) await mkdir(this.abs(d), { mode: 0o755 });
        this.dirs.add(d);
      }
      this.setXattr(d, OPAQUE_XATTR, Buffer.from('y'));
      return;
    }
    if (wh.kind === 'whiteout') {
      await this.ensureParents(wh.target, e.name);
      const t = wh.target.join('/');
      await this.clear(t, false);
      this.whitedOut.add(t);
      if (!(this.opts.linkWhiteout && (await this.opts.linkWhiteout(this.abs(t))))) {
        this.deferred.set(t, { path: t, type: 'char', mode: 0, major: 0, minor: 0, uid: 0, gid: 0, mtime: e.mtime });
      }
      return;
    }
    if (parts.length === 0) {
      // "./": the layer root's own metadata.
      if (e.type !== 'dir') throw invalidArgument(`tar entry ${JSON.stringify(e.name)}: the root must be a directory`);
      await this.owner(this.root, e);
      await chmod(this.root, e.mode);
      if (e.mode & 0o2000) this.setgidDirs.add('');
      else this.setgidDirs.delete('');
      this.dirTimes.set('', e.mtime);
      return;
    }
    await this.ensureParents(parts, e.name);
    const abs = this.abs(rel);
    switch (e.type) {
      case 'dir': {
        const kept = await this.clear(rel, true);
        if (!kept) await mkdir(abs, { mode: 0o700 });
        this.dirs.add(rel);
        // `.wh.d` then `d/` (rm -rf d; mkdir d): without opaque, overlay would merge the lower d in.
        if (this.whitedOut.has(rel)) this.setXattr(rel, OPAQUE_XATTR, Buffer.from('y'));
        // a real directory (lstat'ed above); one we just made has our owner already
        if (this.opts.preserveOwners && (kept || !this.ownedAlready(rel, e))) await chown(abs, e.uid, e.gid);
        await chmod(abs, e.mode);
        if (e.mode & 0o2000) this.setgidDirs.add(rel);
        else this.setgidDirs.delete(rel);
        this.dirTimes.set(rel, e.mtime);
        break;
      }
      case 'file': {
        await this.clear(rel, false);
        // Created with its final mode when that is possible, and by its owner when that is us:
        // then neither fchmod nor fchown is needed (two of the five metadata calls per file).
        const mode = this.createMode(e);
        const fh = await open(abs, O_NEW_FILE, mode ?? 0o600);
        try {
          await this.opts.split?.file(rel, e.size);
          // Chunks are gathered up to WRITE_BATCH and written with one writev: a thread-pool round
          // trip per 64 KiB chunk was a visible share of a load.
          let batch: Buffer[] = [];
          let batched = 0;
          const flush = async () => {
            let bufs = batch;
            batch = [];
            batched = 0;
            while (bufs.length > 0) {
              let n = (await fh.writev(bufs)).bytesWritten;
              while (bufs.length > 0 && n >= (bufs[0] as Buffer).length) n -= (bufs.shift() as Buffer).length;
              if (n > 0) bufs[0] = (bufs[0] as Buffer).subarray(n);
            }
          };
          await r.payload(async (c) => {
            batch.push(c);
            batched += c.length;
            if (batched >= WRITE_BATCH) await flush();
          });
          if (batched > 0) await flush();
          if (this.opts.preserveOwners && !this.ownedAlready(rel, e)) await fh.chown(e.uid, e.gid);
          if (mode === undefined) await fh.chmod(e.mode); // after chown, which clears setuid/setgid
          await fh.utimes(e.mtime, e.mtime);
        } finally {
          await fh.close();
        }
        this.size += e.size;
        break;
      }
      case 'symlink': {
        await this.clear(rel, false);
        await symlink(e.linkname, abs);
        await this.owner(abs, e);
        await lutimes(abs, e.mtime, e.mtime);
        break;
      }
      case 'hardlink': {
        const tparts = entryComponents(e.linkname);
        const target = tparts.join('/');
        if (target === '' || target === rel) throw invalidArgument(`tar entry ${JSON.stringify(e.name)}: invalid hard link target ${JSON.stringify(e.linkname)}`);
        await this.ensureParents(tparts, e.name, false).catch((err: unknown) => {
          throw invalidArgument(`tar entry ${JSON.stringify(e.name)}: hard link target ${JSON.stringify(e.linkname)} is not in the layer`, { cause: err });
        });
        await this.clear(rel, false);
        if (this.deferred.has(target)) {
          this.deferredLinks.push({ rel, target });
          break;
        }
        const st = await lstat(this.abs(target)).catch(() => undefined);
        if (!st || st.isDirectory()) throw invalidArgument(`tar entry ${JSON.stringify(e.name)}: hard link target ${JSON.stringify(e.linkname)} is not in the layer`);
        await link(this.abs(target), abs); // link(2) never follows a symlink target
        break;
      }
      case 'char':
      case 'block':
      case 'fifo': {
        await this.clear(rel, false);
        this.deferred.set(rel, { path: rel, type: e.type, mode: e.mode, major: e.devmajor, minor: e.devminor, uid: e.uid, gid: e.gid, mtime: e.mtime });
        break;
      }
    }
    for (const [k, v] of e.xattrs) if (e.type !== 'symlink') this.setXattr(rel, k, v);
  }

  setXattr(rel: string, name: string, value: Buffer): void {
    let m = this.xattrs.get(rel);
    if (!m) this.xattrs.set(rel, (m = new Map()));
    m.set(name, value);
  }

  async finish(): Promise<void> {
    // Parents may have changed since an entry was deferred: check again, nothing is followed.
    const nodes = [...this.deferred.values()];
    for (const n of nodes) {
      await this.ensureParents(n.path.split('/'), n.path, false);
      await this.clear(n.path, false);
    }
    await makeSpecialNodes(this.root, nodes);
    for (const n of nodes) {
      const abs = this.abs(n.path);
      if (this.opts.preserveOwners) await lchown(abs, n.uid, n.gid);
      await lutimes(abs, n.mtime, n.mtime);
    }
    for (const l of this.deferredLinks) {
      await this.ensureParents(l.rel.split('/'), l.rel, false);
      await link(this.abs(l.target), this.abs(l.rel));
    }
    const items: Array<{ path: string; name: string; value: Buffer }> = [];
    for (const [path, m] of this.xattrs) for (const [name, value] of m) items.push({ path: path === '' ? '.' : path, name, value });
    await setXattrs(this.root, items);
    // Directory times last, deepest first: creating children changed them.
    const dirs = [...this.dirTimes].sort((a, b) => b[0].split('/').length - a[0].split('/').length);
    for (const [rel, t] of dirs) await lutimes(this.abs(rel), t, t);
  }
}

/** Extracts a plain (already decompressed) tar stream into opts.root. */
export async function extractTar(source: AsyncIterable<Buffer | Uint8Array | string>, opts: ExtractOptions): Promise<ExtractResult> {
  const split = opts.split;
  const reader = new TarReader(source, split ? { raw: (c) => split.raw(c) } : {});
  const x = new Extractor(opts);
  const shift = opts.idShift;
  if (shift) await lchown(opts.root, shift.uid, shift.gid);
  for (;;) {
    opts.signal?.throwIfAborted();
    const e = await reader.next();
    if (!e) break;
    await x.entry(reader, shift ? shiftOwner(e, shift) : e);
  }
  await x.finish();
  return { size: x.size, entries: x.entries };
}
