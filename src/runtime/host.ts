// Facts about this host the runtime drivers (lcr, OCI) need once, at factory time: which awk copies logs, which
// capabilities the daemon can still grant, whether swap accounting exists, the cgroup layout.
import { access, readFile } from 'node:fs/promises';
import { constants } from 'node:fs';
import { ALL_CAPS } from './linux-caps.ts';
import type { CgroupLayout } from '../cgroups/hierarchy.ts';

/** CapBnd hex mask from /proc/self/status → capability names. */
export function capsFromMask(hex: string): string[] {
  const mask = BigInt(`0x${hex}`);
  return ALL_CAPS.filter((_, bit) => (mask >> BigInt(bit)) & 1n);
}

export async function hostBoundingCaps(): Promise<string[]> {
  const status = await readFile('/proc/self/status', 'utf8');
  const m = /^CapBnd:\s*([0-9a-f]+)/m.exec(status);
  return m ? capsFromMask(m[1]!) : [...ALL_CAPS];
}

async function executable(p: string): Promise<boolean> {
  try {
    await access(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The log copier command. busybox awk reads pipes line by line; mawk needs -W interactive to do
 * so, and mawk 1.3.4 then repeats stale buffer bytes after a final line without a newline, so
 * busybox is preferred when present.
 */
export async function detectAwk(): Promise<string> {
  for (const b of ['/bin/busybox', '/usr/bin/busybox']) if (await executable(b)) return `${b} awk`;
  for (const m of ['/usr/bin/mawk', '/bin/mawk']) if (await executable(m)) return `${m} -W interactive`;
  return 'awk';
}

/**
 * The monitor's shell. busybox sh when present: the copiers are busybox too (shared pages), and it
 * runs grep/mv/wc as applets of the already-mapped static binary. POSIX sh otherwise.
 */
export async function detectShell(): Promise<string[]> {
  for (const b of ['/bin/busybox', '/usr/bin/busybox']) if (await executable(b)) return [b, 'sh'];
  return ['/bin/sh'];
}

/** util-linux script(1) gives lxc-start the terminal it proxies for -t; undefined when absent. */
export async function detectScript(): Promise<string | undefined> {
  for (const p of ['/usr/bin/script', '/bin/script']) if (await executable(p)) return p;
  return undefined;
}

export async function hasSwapAccounting(layout: CgroupLayout): Promise<boolean> {
  if (layout.version === 'v2') return true;
  const mem = layout.v1.memory;
  if (mem === undefined) return false;
  try {
    await access(`${mem}/memory.memsw.limit_in_bytes`);
    return true;
  } catch {
    return false;
  }
}

/** Seconds since the epoch at boot (wall clock minus /proc/uptime), for the log copiers' clock. */
export async function clockBase(): Promise<number> {
  const up = Number((await readFile('/proc/uptime', 'utf8')).split(' ')[0]);
  return Date.now() / 1000 - up;
}
