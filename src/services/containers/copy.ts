// isula cp and isula export: tar streams out of and into a container's rootfs.
//
// The rootfs is the overlay's merged directory on the host. While a copy runs the tree must stay
// still, or a process in the container could swap a checked directory for a symlink to "/"
// between our check and our use (CVE-2018-15664). So, like docker's fix, a running container is
// frozen for the whole copy and thawed after, even on error; a container the user paused stays
// paused. The container's lock is held meanwhile, so no start/stop/unpause interleaves, and a
// stopped container's rootfs is mounted for the copy and unmounted after (unless it was mounted).
// Paths are resolved with resolveInRoot (chrooted symlinks, ".." clamped); files are read and
// written with O_NOFOLLOW. Known limit: volumes and bind mounts live in the container's mount
// namespace, not under the merged dir, so a path inside one reaches the rootfs underneath.
import { lstat, readFile } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Writable } from 'node:stream';
import { failedPrecondition, internal, invalidArgument, notFound, wrap, isNotFound, messageOf } from '../../util/errors.ts';
import { log } from '../../util/log.ts';
import { resolveInRoot } from '../../storage/rootfs/resolve-in-root.ts';
import { baseNameOf, copyTarget, endsWithDot, endsWithSlash } from '../../storage/rootfs/copy-plan.ts';
import type { ContainerCore } from './core.ts';
import { remapOf } from './userns.ts';
import type { ContainerRecord } from './types.ts';

/** iSulad's `isulad-container-path-stat` (docker's ContainerPathStat); mode uses Go's FileMode bits. */
export interface ContainerPathStat {
  name: string;
  size: number;
  mode: number;
  mtime: string;
  linkTarget: string;
}

export interface CopyToRequest {
  /** the source path as the user typed it ("-" = a tar the user supplied, extracted as is) */
  srcPath: string;
  srcIsDir: boolean;
  dstPath: string;
  /** -a: keep the tar's owners (else root:root, docker's default) */
  copyUidGid: boolean;
}

/** Sends bytes to the client; resolves when there is room for more. */
export type ChunkSink = (chunk: Buffer) => Promise<void>;

const GO_MODE_DIR = 2 ** 31;
const GO_MODE_SYMLINK = 2 ** 27;
const GO_MODE_NAMED_PIPE = 2 ** 25;
const GO_MODE_DEVICE = 2 ** 26;
const GO_MODE_CHAR = 2 ** 21;

export function goFileMode(st: Stats): number {
  let m = st.mode & 0o777;
  if (st.isDirectory()) m += GO_MODE_DIR;
  else if (st.isSymbolicLink()) m += GO_MODE_SYMLINK;
  else if (st.isFIFO()) m += GO_MODE_NAMED_PIPE;
  else if (st.isCharacterDevice()) m += GO_MODE_DEVICE + GO_MODE_CHAR;
  else if (st.isBlockDevice()) m += GO_MODE_DEVICE;
  return m;
}

async function isMountPoint(dir: string): Promise<boolean> {
  const info = await readFile('/proc/self/mountinfo', 'utf8');
  return info.split('\n').some((l) => l.split(' ')[4] === dir);
}

/**
 * Runs fn on the container's merged rootfs with the tree held still: the lock taken, a running
 * container frozen, a stopped one's rootfs mounted; everything restored after, even on error.
 */
async function withStillRootfs<T>(core: ContainerCore, ref: string, fn: (root: string, rec: ContainerRecord) => Promise<T>): Promise<T> {
  const found = core.find(ref);
  return core.withLock(found.Id, async () => {
    const rec = core.current(found.Id);
    const rt = core.runtimeOf(rec);
    const paths = core.deps.layers.containerLayerPaths(rec.Id);
    if (!paths) throw internal(`container ${rec.Id} has no rootfs`);
    const undo: Array<() => Promise<void>> = [];
    try {
      const st = await rt.status(rec.Id).catch((err: unknown) => {
        if (isNotFound(err)) return { status: 'stopped' as const };
        throw err;
      });
      if (st.status === 'running') {
        await rt.pause(rec.Id);
        undo.push(() => rt.resume(rec.Id));
      } else if (st.status === 'unknown') {
        throw failedPrecondition(`container ${rec.Name} is in an unknown state`);
      }
      if (!paths.external && !(await isMountPoint(paths.mergedDir))) {
        if (st.status === 'running' || st.status === 'paused') throw internal(`container ${rec.Name}: rootfs is not mounted`);
        await core.deps.layers.mountContainerLayer(rec.Id);
        undo.push(() => core.deps.layers.unmountContainerLayer(rec.Id));
      }
      return await fn(paths.mergedDir, rec);
    } finally {
      for (const u of undo.reverse()) {
        try {
          await u();
        } catch (err) {
          log.with({ container: rec.Id }).error(err, 'restoring the container after a copy failed');
        }
      }
    }
  });
}

function couldNotFind(path: string, rec: ContainerRecord): Error {
  return notFound(`Could not find the file ${path} in container ${rec.Name}`);
}

async function resolveSource(root: string, path: string, rec: ContainerRecord, follow: boolean) {
  const followFinal = follow || endsWithSlash(path) || endsWithDot(path);
  let r;
  try {
    r = await resolveInRoot(root, path.startsWith('/') ? path : `/${path}`, { followFinal });
  } catch (err) {
    if (isNotFound(err)) throw couldNotFind(path, rec);
    throw wrap(err, `copy ${path} from container ${rec.Name}`);
  }
  if (!r.stat) throw couldNotFind(path, rec);
  if ((endsWithSlash(path) || endsWithDot(path)) && !r.stat.isDirectory()) throw failedPrecondition(`${path} in container ${rec.Name} is not a directory`);
  return { ...r, stat: r.stat };
}

/** Pipes a tar-stream pack filled by `fill` to the sink; either side failing stops both. */
async function streamPack(sink: ChunkSink, signal: AbortSignal, fill: (pack: import('tar-stream').Pack, signal: AbortSignal) => Promise<void>): Promise<void> {
  const tarStream = await import('tar-stream'); // loaded on first use, not at daemon start
  const pack = tarStream.pack();
  (pack as unknown as Readable).on('error', () => {});
  const stop = new AbortController();
  const both = AbortSignal.any([signal, stop.signal]);
  const out = new Writable({
    highWaterMark: 256 * 1024,
    write(chunk: Buffer, _enc, cb) {
      sink(chunk).then(() => cb(), cb);
    },
  });
  out.on('error', () => {});
  await Promise.all([
    pipeline(pack as unknown as Readable, out, { signal: both }).catch((err: unknown) => {
      stop.abort(err);
      throw err;
    }),
    fill(pack, both).catch((err: unknown) => {
      stop.abort(err);
      (pack as unknown as Readable).destroy(err instanceof Error ? err : new Error(messageOf(err)));
      throw err;
    }),
  ]);
}

/** CopyFromContainer: `stat` is sent first, then the tar (top entry named after the path). */
export async function copyFromContainer(
  core: ContainerCore,
  ref: string,
  path: string,
  opts: { follow: boolean; signal: AbortSignal; sendStat: (s: ContainerPathStat) => void; sink: ChunkSink },
): Promise<void> {
  await withStillRootfs(core, ref, async (root, rec) => {
    const src = await resolveSource(root, path, rec, opts.follow);
    const { linkTarget } = src.stat.isSymbolicLink() ? { linkTarget: src.inRoot } : { linkTarget: '' };
    const name = baseNameOf(path) || '/';
    opts.sendStat({ name, size: src.stat.size, mode: goFileMode(src.stat), mtime: src.stat.mtime.toISOString(), linkTarget });
    const { packTree } = await import('../../storage/rootfs/pack-tree.ts');
    // a user-namespaced container's files leave with its ids, not the host's (id-shift.ts)
    const idShift = remapOf(rec.HostConfig, core.deps.usernsRemap);
    await streamPack(opts.sink, opts.signal, (pack, signal) => packTree(pack, src.host, src.stat, { top: baseNameOf(path) || '.', signal, ...(idShift ? { idShift } : {}) }));
  });
}

/** CopyToContainer: extracts the client's tar at dstPath with docker's rules (copy-plan.ts). */
export async function copyToContainer(core: ContainerCore, ref: string, req: CopyToRequest, tar: AsyncIterable<Buffer>, signal: AbortSignal): Promise<void> {
  await withStillRootfs(core, ref, async (root, rec) => {
    const dst = req.dstPath.startsWith('/') ? req.dstPath : `/${req.dstPath}`;
    let d;
    try {
      d = await resolveInRoot(root, dst, { followFinal: true });
    } catch (err) {
      if (isNotFound(err)) throw couldNotFind(req.dstPath, rec);
      // a file on the way (/etc/passwd/x): iSulad's words
      if (/^not a directory:/.test(messageOf(err))) throw invalidArgument(`extraction point is not a directory: ${req.dstPath} in container ${rec.Name}`);
      throw wrap(err, `copy to ${req.dstPath} in container ${rec.Name}`);
    }
    const { extractInto } = await import('../../storage/rootfs/extract-into.ts');
    // the container's root (or the tar's ids with -a) as the container sees them: shifted on disk
    // when it runs in a user namespace
    const idShift = remapOf(rec.HostConfig, core.deps.usernsRemap);
    const owners = { keepOwners: req.copyUidGid, ...(req.copyUidGid ? {} : { owner: { uid: 0, gid: 0 } }), ...(idShift ? { idShift } : {}) };
    if (req.srcPath === '-') {
      // a tar the user made: extracted as it is into an existing directory (docker's rule)
      if (!d.stat?.isDirectory()) throw couldNotFind(req.dstPath, rec);
      await extractInto(tar, { root, dir: d.inRoot, rename: null, ...owners, signal });
      return;
    }
    let parentIsDir = false;
    if (!d.stat) {
      const parent = d.inRoot.slice(0, d.inRoot.lastIndexOf('/')) || '/';
      const p = await resolveInRoot(root, parent, { followFinal: true }).catch(() => undefined);
      parentIsDir = p?.stat?.isDirectory() ?? false;
    }
    const kind = d.stat === undefined ? undefined : d.stat.isDirectory() ? 'dir' : 'other';
    let target;
    try {
      target = copyTarget({ isDir: req.srcIsDir, path: req.srcPath }, { path: req.dstPath, kind, parentIsDir }, { destLabel: `${req.dstPath} in container ${rec.Name}` });
    } catch (err) {
      // iSulad's "no such directory, can not copy file" is kept as it is (iSulad CI cp.sh)
      if (isNotFound(err) && !messageOf(err).startsWith('no such directory')) throw couldNotFind(req.dstPath, rec);
      throw err;
    }
    const dir = target.dir === 'dest' ? d.inRoot : d.inRoot.slice(0, d.inRoot.lastIndexOf('/')) || '/';
    // a destination that is a symlink (a chain, even dangling) is written where the links lead,
    // not replaced by the file: t2 -> t1 -> target writes target (iSulad CI cp.sh)
    const name = target.dir === 'parent' && target.name !== '' ? baseNameOf(d.inRoot) || target.name : target.name;
    await extractInto(tar, { root, dir, rename: name, ...owners, signal });
  });
}

/** isula export: the merged rootfs as one tar, entries relative to the root. */
export async function exportContainer(core: ContainerCore, ref: string, sink: ChunkSink, signal: AbortSignal): Promise<void> {
  await withStillRootfs(core, ref, async (root, rec) => {
    const st = await lstat(root);
    const { packTree } = await import('../../storage/rootfs/pack-tree.ts');
    const idShift = remapOf(rec.HostConfig, core.deps.usernsRemap);
    await streamPack(sink, signal, (pack, s) => packTree(pack, root, st, { top: '', signal: s, ...(idShift ? { idShift } : {}) }));
  });
}
