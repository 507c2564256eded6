// Removes a cgroup path from every hierarchy, children first. A cgroup that still has tasks
// cannot be removed (EBUSY); the caller decides whether that is an error.
import { readdir, rmdir } from 'node:fs/promises';
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
