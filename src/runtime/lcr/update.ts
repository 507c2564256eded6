// isula update on lcr: the limits written into the running container's cgroup files
// (../cgroup-writes.ts) also go into its LXC config, so the next start keeps them.
import { rename, writeFile } from 'node:fs/promises';
import type { CgroupWrite } from '../cgroup-writes.ts';

/** The LXC config with the written keys replaced (lxc.cgroup.<file> on v1, lxc.cgroup2.<file> on v2). */
export function rewriteLxcConfig(text: string, version: 'v1' | 'v2', writes: CgroupWrite[]): string {
  const prefix = version === 'v1' ? 'lxc.cgroup.' : 'lxc.cgroup2.';
  const keys = new Set(writes.map((w) => `${prefix}${w.file}`));
  const kept = text.split('\n').filter((l) => {
    const eq = l.indexOf('=');
    return eq < 0 || !keys.has(l.slice(0, eq).trim());
  });
  while (kept.length > 0 && kept[kept.length - 1] === '') kept.pop();
  // last value wins in LXC, and the order among them is the safe one computed above
  const added = writes.map((w) => `${prefix}${w.file} = ${w.value}`);
  return [...kept, ...added, ''].join('\n');
}

/** Replaces the config atomically (a power cut leaves the old or the new file, never half). */
export async function writeLxcConfigAtomically(path: string, text: string): Promise<void> {
  const tmp = `${path}.update`;
  await writeFile(tmp, text, { mode: 0o600 });
  await rename(tmp, path);
}

/** The memory limits in force in the LXC config (v1 bytes; -1 = none), for planning a stopped container's order. */
export function limitsFromConfig(text: string, version: 'v1' | 'v2'): { memory: number; swap: number } {
  const get = (key: string) => {
    let v: string | undefined;
    for (const l of text.split('\n')) {
      const eq = l.indexOf('=');
      if (eq > 0 && l.slice(0, eq).trim() === key) v = l.slice(eq + 1).trim();
    }
    return v === undefined || v === 'max' || v === '-1' ? -1 : Number(v);
  };
  if (version === 'v1') return { memory: get('lxc.cgroup.memory.limit_in_bytes'), swap: get('lxc.cgroup.memory.memsw.limit_in_bytes') };
  const m = get('lxc.cgroup2.memory.max');
  const s = get('lxc.cgroup2.memory.swap.max');
  return { memory: m, swap: m < 0 || s < 0 ? -1 : m + s };
}
