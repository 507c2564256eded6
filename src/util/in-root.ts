// Resolves a path inside a container's rootfs as if the caller were chrooted there: every
// component is lstat'ed in turn, a symlink is followed with its target read relative to the root
// (an absolute target `/etc` means `<root>/etc`), `..` never climbs above the root, and at most 40
// links are followed (ELOOP, as the kernel). Nothing here ever names a host path outside `root`.
// The walk is only as good as the tree staying still while it runs: callers freeze the container
// (or hold it stopped) for the walk and the use of its result (CVE-2018-15664, docker's fix).
import { lchown, lstat, mkdir, readlink, writeFile } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { errnoCode, failedPrecondition, invalidArgument, notFound } from './errors.ts';

const MAX_LINKS = 40;

export interface ResolvedPath {
  /** host path under root; for a missing tail, the resolved parent joined with the rest */
  host: string;
  /** the container path the host path stands for, normalised (always starts with "/") */
  inRoot: string;
  /** lstat of `host`, undefined when it does not exist */
  stat: Stats | undefined;
}

/** Splits a container path into components (no "." or empty parts; ".." kept for the walk). */
function componentsOf(path: string): string[] {
  if (path.includes('\0')) throw invalidArgument(`path ${JSON.stringify(path)}: NUL in path`);
  return path.split('/').filter((p) => p !== '' && p !== '.');
}

function hostOf(root: string, parts: readonly string[]): string {
  return parts.length === 0 ? root : `${root === '/' ? '' : root}/${parts.join('/')}`;
}

/**
 * followFinal: follow a symlink in the last component too (docker's -L, or a path ending in "/").
 * A missing component in the middle is not-found; a missing last component is returned with
 * `stat` undefined (the caller may create it).
 */
export async function resolveInRoot(root: string, path: string, opts: { followFinal: boolean }): Promise<ResolvedPath> {
  const pending = componentsOf(path).reverse(); // a stack: next component at the end
  const done: string[] = [];
  let links = 0;
  let st: Stats | undefined;
  while (pending.length > 0) {
    const name = pending.pop() as string;
    if (name === '..') {
      done.pop(); // at the root ".." is the root itself
      st = undefined;
      continue;
    }
    const host = hostOf(root, [...done, name]);
    try {
      st = await lstat(host);
    } catch (err) {
      if (errnoCode(err) !== 'ENOENT') throw err;
      if (pending.length > 0) throw notFound(`no such file or directory: ${JSON.stringify('/' + [...done, name].join('/'))}`);
      done.push(name);
      return { host, inRoot: '/' + done.join('/'), stat: undefined };
    }
    const last = pending.length === 0;
    if (st.isSymbolicLink() && (!last || opts.followFinal)) {
      if (++links > MAX_LINKS) throw invalidArgument(`too many levels of symbolic links: ${JSON.stringify(path)}`);
      const target = await readlink(host);
      if (target.startsWith('/')) done.length = 0; // absolute: from the container's root
      for (const p of componentsOf(target).reverse()) pending.push(p);
      st = undefined;
      continue;
    }
    if (!last && !st.isDirectory()) throw invalidArgument(`not a directory: ${JSON.stringify('/' + [...done, name].join('/'))}`);
    done.push(name);
  }
  const host = hostOf(root, done);
  if (st === undefined) st = await lstat(host); // ended on the root or after ".."/a link
  return { host, inRoot: '/' + done.join('/'), stat: st };
}

/** A container path made lexical: "/" + components, "." dropped, ".." clamped at the root. */
export function cleanInRoot(path: string): string {
  const out: string[] = [];
  for (const p of componentsOf(path)) {
    if (p === '..') out.pop();
    else out.push(p);
  }
  return '/' + out.join('/');
}

/**
 * Where `path` lands inside root once every symlink in it is followed under root (the last one
 * too, as runc's securejoin does for mount destinations). Unlike resolveInRoot, missing
 * components anywhere are fine: from the first missing one on, the rest is taken lexically
 * (nothing that does not exist can be a link). Returns the in-root path, without creating anything.
 */
export async function resolveTargetInRoot(root: string, path: string): Promise<string> {
  const pending = componentsOf(path).reverse();
  const done: string[] = [];
  let links = 0;
  while (pending.length > 0) {
    const name = pending.pop() as string;
    if (name === '..') {
      done.pop();
      continue;
    }
    let st: Stats;
    try {
      st = await lstat(hostOf(root, [...done, name]));
    } catch (err) {
      if (errnoCode(err) !== 'ENOENT' && errnoCode(err) !== 'ENOTDIR') throw err;
      done.push(name);
      for (const p of pending.reverse()) {
        if (p === '..') done.pop();
        else done.push(p);
      }
      break;
    }
    if (st.isSymbolicLink()) {
      if (++links > MAX_LINKS) throw invalidArgument(`too many levels of symbolic links: ${JSON.stringify(path)}`);
      const target = await readlink(hostOf(root, [...done, name]));
      if (target.startsWith('/')) done.length = 0;
      for (const p of componentsOf(target).reverse()) pending.push(p);
      continue;
    }
    done.push(name);
  }
  return '/' + done.join('/');
}

/**
 * Makes `inRoot` (a path resolveTargetInRoot returned: no link in it) exist under root, one
 * component at a time: missing directories with mkdir, a missing last component as an empty
 * file (O_EXCL) when kind is 'file'. mkdir and O_EXCL never follow a link at the last component,
 * and every existing component is lstat'ed first, so a link met here (the tree changed since the
 * walk) is refused, never followed. Returns what the last component is. owner: what is made
 * belongs to it (a user-namespaced container's root on the host), else to the caller.
 */
export async function makeInRoot(root: string, inRoot: string, kind: 'dir' | 'file', owner?: { uid: number; gid: number }): Promise<'dir' | 'file'> {
  const parts = componentsOf(inRoot);
  if (parts.includes('..')) throw invalidArgument(`path ${JSON.stringify(inRoot)} is not resolved`);
  for (let i = 0; i < parts.length; i++) {
    const host = hostOf(root, parts.slice(0, i + 1));
    const last = i === parts.length - 1;
    let st: Stats | undefined;
    try {
      st = await lstat(host);
    } catch (err) {
      if (errnoCode(err) !== 'ENOENT') throw err;
    }
    if (st === undefined) {
      if (last && kind === 'file') await writeFile(host, '', { flag: 'wx', mode: 0o644 });
      else await mkdir(host, { mode: 0o755 });
      if (owner) await lchown(host, owner.uid, owner.gid);
      if (last) return kind;
      continue;
    }
    const shown = JSON.stringify('/' + parts.slice(0, i + 1).join('/'));
    if (st.isSymbolicLink()) throw failedPrecondition(`${shown} changed into a symbolic link while it was being resolved`);
    if (!last && !st.isDirectory()) throw invalidArgument(`not a directory: ${shown}`);
    if (last) return st.isDirectory() ? 'dir' : 'file';
  }
  return 'dir'; // the root itself
}

/** Files under /proc a bind may cover (runc's list: what lxcfs serves). */
const PROC_FILES = new Set([
  '/proc/cpuinfo', '/proc/diskstats', '/proc/meminfo', '/proc/stat', '/proc/swaps', '/proc/uptime',
  '/proc/loadavg', '/proc/slabinfo', '/proc/net/dev', '/proc/sys/kernel/ns_last_pid',
]);

/**
 * Where a mount may not go (issue 13 item 2): the root, and /proc or anything under it except a
 * procfs itself and the files lxcfs covers. `asked` as the user wrote it, `dest` where it resolves
 * (the same for the lexical check the spec layer does for every runtime; the lcr driver checks
 * again once links in the rootfs are resolved).
 */
export function checkMountDestination(asked: string, dest: string, isProcMount: boolean): void {
  const under = (p: string, dir: string) => p === dir || p.startsWith(`${dir}/`);
  if (dest === '/') throw invalidArgument(`mount destination "${asked}" is not allowed: it is the container's root`);
  if (under(dest, '/proc') && !isProcMount && !PROC_FILES.has(dest)) {
    throw invalidArgument(`mount destination "${asked}" is not allowed: ${dest === asked ? '' : `it resolves to "${dest}", `}inside /proc`);
  }
}
