// The processes of a cgroup (isula top): cgroup.procs of the container's cgroup. On v1 every
// controller hierarchy holds the same processes, so the first mounted one of a few common
// controllers is read; on v2 the unified dir.
import { readFile } from 'node:fs/promises';
import type { CgroupLayout } from './hierarchy.ts';
import { controllerDir } from './hierarchy.ts';

export function parseProcs(text: string): number[] {
  return text
    .split('\n')
    .map((l) => Number(l.trim()))
    .filter((n) => Number.isInteger(n) && n > 0);
}

/** Host pids in the cgroup at `path` (relative to the hierarchy roots). Throws when no hierarchy has it. */
export async function readCgroupProcs(layout: CgroupLayout, path: string): Promise<number[]> {
  const candidates = layout.version === 'v2' ? ['unified'] : ['pids', 'cpu', 'memory', 'freezer', 'name=systemd'];
  let lastErr: unknown;
  for (const c of candidates) {
    const dir = controllerDir(layout, c, path);
    if (dir === undefined) continue;
    try {
      return parseProcs(await readFile(`${dir}/cgroup.procs`, 'utf8'));
    } catch (err) {
      lastErr = err;
    }
  }
  throw lastErr ?? new Error(`no cgroup hierarchy for ${path}`);
}
