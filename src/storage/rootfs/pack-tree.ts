// Writes a tree of the host filesystem (a path inside a container rootfs, or a local path for
// `isula cp SRC CONTAINER:DEST`) into a tar-stream pack, never following a symlink: every entry is
// lstat'ed, symlinks are stored as links, regular files are opened O_NOFOLLOW and checked with
// fstat to be the very inode that was lstat'ed. Owners, modes, mtimes and hard links are kept.
// Sockets are skipped (tar has no type for them), as GNU tar does.
import { constants } from 'node:fs';
import type { Stats } from 'node:fs';
import { lstat, open, readdir, readlink } from 'node:fs/promises';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type * as tarStream from 'tar-stream';
import { errnoCode, internal } from '../../util/errors.ts';
import { ownerToContainer, type IdShift } from '../id-shift.ts';

type EntryHeader = Partial<tarStream.Header> & Pick<tarStream.Header, 'name'>;

const O_READ_FILE = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;
const CHUNK = 256 * 1024;

export interface PackOptions {
  /** top entry name ('' = the tree's contents, with no top entry: export) */
  top: string;
  signal?: AbortSignal;
  /**
   * The tree is an overlay upper dir: a 0:0 character device (a whiteout) becomes an empty
   * `.wh.<name>` file, and each directory named here (relative, no leading '/') gets a
   * `.wh..wh..opq` entry after its own, as layer tars carry them (image-spec layer.md).
   */
  overlay?: { opaqueDirs: ReadonlySet<string> };
  /**
   * The tree is a user-namespaced container's (id-shift.ts): headers carry the container's ids
   * (host uid - base; nobody for an id outside the range), as the container itself sees them.
   * Whiteout markers are 0:0 (the kernel makes whiteouts as the mounter, host root).
   */
  idShift?: IdShift;
}

// glibc's gnu_dev_major/minor; JS shifts are 32-bit, so the high word is taken by division
function major(rdev: number): number {
  return ((rdev >>> 8) & 0xfff) | (Math.floor(rdev / 2 ** 32) & ~0xfff);
}
function minor(rdev: number): number {
  return (rdev & 0xff) | ((rdev >>> 12) & 0xfff00);
}

/** p, or a rejection as soon as signal aborts (a destroyed pack never calls its callbacks). */
function orAbort<T>(p: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return p;
  signal.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

class Packer {
  readonly pack: tarStream.Pack;
  readonly signal: AbortSignal | undefined;
  /** dev:ino → first name, for hard links */
  readonly inodes = new Map<string, string>();
  readonly overlay: PackOptions['overlay'];
  readonly idShift: IdShift | undefined;

  constructor(pack: tarStream.Pack, signal: AbortSignal | undefined, overlay?: PackOptions['overlay'], idShift?: IdShift) {
    this.pack = pack;
    this.signal = signal;
    this.overlay = overlay;
    this.idShift = idShift;
  }

  header(name: string, st: Stats): EntryHeader {
    const { uid, gid } = this.idShift ? ownerToContainer(st.uid, st.gid, this.idShift) : st;
    return { name, mode: st.mode & 0o7777, uid, gid, mtime: st.mtime, size: 0 };
  }

  entry(h: EntryHeader): Promise<void> {
    return orAbort(new Promise<void>((resolve, reject) => this.pack.entry(h, (e) => (e ? reject(e) : resolve()))), this.signal);
  }

  /** An empty regular file (a whiteout marker): given its (empty) content, or the pack waits for it. */
  marker(h: EntryHeader): Promise<void> {
    return orAbort(new Promise<void>((resolve, reject) => this.pack.entry({ ...h, type: 'file', size: 0, mode: 0o644 }, Buffer.alloc(0), (e) => (e ? reject(e) : resolve()))), this.signal);
  }

  async add(host: string, name: string, st: Stats): Promise<void> {
    this.signal?.throwIfAborted();
    const h = this.header(name, st);
    if (st.isDirectory()) {
      if (name !== '') await this.entry({ ...h, name: `${name}/`, type: 'directory' }); // GNU tar's form
      if (name !== '' && this.overlay?.opaqueDirs.has(name)) await this.marker({ ...h, name: `${name}/.wh..wh..opq` });
      let names: string[];
      try {
        names = await readdir(host);
      } catch (err) {
        if (errnoCode(err) === 'ENOENT') return;
        throw err;
      }
      names.sort();
      for (const n of names) {
        const child = `${host === '/' ? '' : host}/${n}`;
        let cst: Stats;
        try {
          cst = await lstat(child);
        } catch (err) {
          if (errnoCode(err) === 'ENOENT') continue; // gone since readdir
          throw err;
        }
        await this.add(child, name === '' ? n : `${name}/${n}`, cst);
      }
      return;
    }
    if (st.isSymbolicLink()) return this.entry({ ...h, type: 'symlink', linkname: await readlink(host) });
    if (st.isFIFO()) return this.entry({ ...h, type: 'fifo' });
    if (this.overlay && st.isCharacterDevice() && st.rdev === 0) {
      const slash = name.lastIndexOf('/');
      const owner = this.idShift ? { uid: 0, gid: 0 } : {};
      return this.marker({ ...h, ...owner, name: `${name.slice(0, slash + 1)}.wh.${name.slice(slash + 1)}` });
    }
    if (st.isCharacterDevice() || st.isBlockDevice()) {
      return this.entry({ ...h, type: st.isCharacterDevice() ? 'character-device' : 'block-device', devmajor: major(st.rdev), devminor: minor(st.rdev) });
    }
    if (!st.isFile()) return; // socket
    const key = `${st.dev}:${st.ino}`;
    if (st.nlink > 1) {
      const first = this.inodes.get(key);
      if (first !== undefined) return this.entry({ ...h, type: 'link', linkname: first });
      this.inodes.set(key, name);
    }
    await this.file(host, h, st);
  }

  async file(host: string, h: EntryHeader, st: Stats): Promise<void> {
    const fh = await open(host, O_READ_FILE);
    try {
      const fst = await fh.stat();
      // the name must still be the inode we lstat'ed (O_NOFOLLOW already refused a symlink)
      if (!fst.isFile() || fst.ino !== st.ino || fst.dev !== st.dev) throw internal(`${host}: changed while being copied`);
      const size = fst.size;
      let done!: Promise<void>;
      const w = await new Promise<Writable>((resolve, reject) => {
        done = new Promise<void>((res, rej) => {
          // entry() throws at once on a pack already destroyed (the client went away): that must
          // reject here, or this await never settles and the file stays open
          try {
            const s = this.pack.entry({ ...h, type: 'file', size }, (e) => (e ? rej(e) : res())) as unknown as Writable;
            s.on('error', () => {}); // reported through the entry callback
            resolve(s);
          } catch (err) {
            rej(err);
            reject(err);
          }
        });
      });
      done.catch(() => {});
      const buf = Buffer.allocUnsafe(Math.min(CHUNK, Math.max(size, 1)));
      let pos = 0;
      while (pos < size) {
        this.signal?.throwIfAborted();
        const { bytesRead } = await fh.read(buf, 0, Math.min(buf.length, size - pos), pos);
        // a file that shrank meanwhile is padded: the header already promised `size` bytes
        const chunk = bytesRead === 0 ? Buffer.alloc(Math.min(buf.length, size - pos)) : Buffer.from(buf.subarray(0, bytesRead));
        pos += chunk.length;
        if (!w.write(chunk)) await once(w, 'drain', this.signal ? { signal: this.signal } : {});
      }
      w.end();
      await orAbort(done, this.signal);
    } finally {
      await fh.close();
    }
  }
}

/** Packs `host` (already lstat'ed as `st`) and finalizes the pack. */
export async function packTree(pack: tarStream.Pack, host: string, st: Stats, opts: PackOptions): Promise<void> {
  const p = new Packer(pack, opts.signal, opts.overlay, opts.idShift);
  await p.add(host, opts.top, st);
  opts.signal?.throwIfAborted();
  pack.finalize();
}
