// Removes a cgroup path from every hierarchy, children first. A cgroup that still has tasks
// cannot be removed (EBUSY); the caller decides whether that is an error.
import { readdir, readFile, rmdir } from 'node:fs/promises';
import { errnoCode } from '../util/errors.ts';
import type { CgroupLayout } from './hierarchy.ts';
import { cgroupDirs } from './hierarchy.ts';

async function removeTree(dir: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return [];
    throw err;
  }
  const busy: string[] = [];
  for (const e of entries) if (e.isDirectory()) busy.push(...(await removeTree(`${dir}/${e.name}`)));
  try {
    await rmdir(dir);
  } catch (err) {
    const c = errnoCode(err);
    if (c === 'ENOENT') return busy;
    if (c === 'EBUSY') return [...busy, dir];
    throw err;
  }
  return busy;
}

/** Returns the directories that could not be removed because tasks remain (empty = all gone). */
export async function removeCgroup(layout: CgroupLayout, path: string): Promise<string[]> {
  const busy: string[] = [];
  for (const d of cgroupDirs(layout, path)) busy.push(...(await removeTree(d)));
  return busy;
}

/** Pids listed in cgroup.procs of the given directories (and their children are not walked). */
export async function cgroupPids(dirs: string[]): Promise<number[]> {
  const pids = new Set<number>();
  for (const d of dirs) {
    const text = await readFile(`${d}/cgroup.procs`, 'utf8').catch(() => '');
    for (const l of text.split('\n')) if (/^\d+$/.test(l)) pids.add(Number(l));
  }
  return [...pids];
}

/**
 * Removes the cgroup, SIGKILLing what is left in it first: without a private pid namespace a
 * container's children outlive its init (runc delete does the same). Returns dirs still busy.
 */
export async function killAndRemoveCgroup(layout: CgroupLayout, path: string): Promise<string[]> {
  let busy = await removeCgroup(layout, path);
  for (let round = 0; busy.length > 0 && round < 50; round++) {
    for (const pid of await cgroupPids(busy)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await new Promise((r) => setTimeout(r, 20));
    busy = await removeCgroup(layout, path);
  }
  return busy;
}

/** Directories of the path that exist right now (tests and leak checks). */
export async function existingCgroupDirs(layout: CgroupLayout, path: string): Promise<string[]> {
  const out: string[] = [];
  for (const d of cgroupDirs(layout, path)) {
    try {
      await readdir(d);
      out.push(d);
    } catch {
      // absent
    }
  }
  return out;
}
