// Reads a container's resource usage straight from its cgroup files (no lxc-info spawn).
// v1 and v2 names differ; missing files read as undefined.
import { readFile } from 'node:fs/promises';
import type { CgroupLayout } from './hierarchy.ts';
import { controllerDir } from './hierarchy.ts';

export interface CgroupStats {
  memoryUsage?: number; // bytes, including page cache
  memoryLimit?: number; // bytes; undefined = unlimited
  memoryInactiveFile?: number; // docker shows usage - inactive file
  oomKills?: number;
  cpuUsageNanos?: number;
  pidsCurrent?: number;
  pidsLimit?: number; // undefined = max
  frozen?: boolean;
}

async function readText(path: string | undefined): Promise<string | undefined> {
  if (path === undefined) return undefined;
  try {
    return (await readFile(path, 'utf8')).trim();
  } catch {
    return undefined;
  }
}

/** "max" and v1's "unlimited" sentinel (≥ 2^62) are undefined. */
export function parseLimit(s: string | undefined): number | undefined {
  if (s === undefined || s === 'max' || s === '') return undefined;
  const n = Number(s);
  return Number.isFinite(n) && n < 2 ** 62 ? n : undefined;
}

/** "key value" lines (memory.stat, memory.events, cpu.stat) → record. */
export function parseKeyValues(text: string | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of (text ?? '').split('\n')) {
    const [k, v] = line.trim().split(/\s+/);
    if (k && v !== undefined && /^\d+$/.test(v)) out[k] = Number(v);
  }
  return out;
}

export async function readCgroupStats(layout: CgroupLayout, path: string): Promise<CgroupStats> {
  const dir = (c: string) => controllerDir(layout, c, path);
  const f = (c: string, name: string) => {
    const d = dir(c);
    return d === undefined ? undefined : `${d}/${name}`;
  };
  if (layout.version === 'v2') {
    const [cur, max, stat, events, cpu, pc, pm, freeze] = await Promise.all([
      readText(f('memory', 'memory.current')), readText(f('memory', 'memory.max')), readText(f('memory', 'memory.stat')),
      readText(f('memory', 'memory.events')), readText(f('cpu', 'cpu.stat')), readText(f('pids', 'pids.current')),
      readText(f('pids', 'pids.max')), readText(f('freezer', 'cgroup.freeze')),
    ]);
    const cpuStat = parseKeyValues(cpu);
    const s: CgroupStats = {};
    if (cur !== undefined) s.memoryUsage = Number(cur);
    const ml = parseLimit(max);
    if (ml !== undefined) s.memoryLimit = ml;
    const ms = parseKeyValues(stat);
    if (ms.inactive_file !== undefined) s.memoryInactiveFile = ms.inactive_file;
    const ev = parseKeyValues(events);
    if (ev.oom_kill !== undefined) s.oomKills = ev.oom_kill;
    if (cpuStat.usage_usec !== undefined) s.cpuUsageNanos = cpuStat.usage_usec * 1000;
    if (pc !== undefined) s.pidsCurrent = Number(pc);
    const pl = parseLimit(pm);
    if (pl !== undefined) s.pidsLimit = pl;
    if (freeze !== undefined) s.frozen = freeze === '1';
    return s;
  }
  const [usage, limit, stat, oom, cpu, pc, pm, freezer] = await Promise.all([
    readText(f('memory', 'memory.usage_in_bytes')), readText(f('memory', 'memory.limit_in_bytes')),
    readText(f('memory', 'memory.stat')), readText(f('memory', 'memory.oom_control')),
    readText(f('cpuacct', 'cpuacct.usage')), readText(f('pids', 'pids.current')), readText(f('pids', 'pids.max')),
    readText(f('freezer', 'freezer.state')),
  ]);
  const s: CgroupStats = {};
  if (usage !== undefined) s.memoryUsage = Number(usage);
  const ml = parseLimit(limit);
  if (ml !== undefined) s.memoryLimit = ml;
  const ms = parseKeyValues(stat);
  if (ms.total_inactive_file !== undefined) s.memoryInactiveFile = ms.total_inactive_file;
  const oc = parseKeyValues(oom);
  if (oc.oom_kill !== undefined) s.oomKills = oc.oom_kill;
  if (cpu !== undefined) s.cpuUsageNanos = Number(cpu);
  if (pc !== undefined) s.pidsCurrent = Number(pc);
  const pl = parseLimit(pm);
  if (pl !== undefined) s.pidsLimit = pl;
  if (freezer !== undefined) s.frozen = freezer === 'FROZEN';
  return s;
}
