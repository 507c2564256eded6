// The daemon's default ulimits a container's runtime state was built with. They are merged into
// the spec at its build (src/spec), so a daemon restarted with other --default-ulimit values gives
// a container its new defaults at its next start, as iSulad does (CI ulimit.sh): the start rebuilds
// the runtime state when the mark in the container's dir differs from the daemon's defaults.
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const MARK = 'default-ulimits';

/** "nofile=1024:4096,nproc=2048:8192": the defaults by name, '' for none. Pure. */
export function defaultUlimitsKey(ulimits: Readonly<Record<string, { Name: string; Soft: number; Hard: number }>> | undefined): string {
  return Object.values(ulimits ?? {})
    .map((u) => `${u.Name}=${u.Soft}:${u.Hard}`)
    .sort()
    .join(',');
}

/** The defaults the container's runtime state was built with ('' for none or no mark). */
export async function builtDefaultUlimits(containerDir: string): Promise<string> {
  return (await readFile(join(containerDir, MARK), 'utf8').catch(() => '')).trim();
}

/** Records the defaults the runtime state was just built with (no file for none). */
export async function markDefaultUlimits(containerDir: string, key: string): Promise<void> {
  if (key === '') await rm(join(containerDir, MARK), { force: true });
  else await writeFile(join(containerDir, MARK), `${key}\n`, { mode: 0o600 });
}
