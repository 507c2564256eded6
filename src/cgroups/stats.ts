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
  /** page cache (v1 total_cache, v2 file) */
  memoryCache?: number;
  blkioRead?: number; // bytes read from block devices
  blkioWrite?: number;
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

/** v1 blkio.throttle.io_service_bytes ("maj:min Read N" lines; the "Total" line is skipped). */
export function parseBlkioServiceBytes(text: string | undefined): { read: number; write: number } {
  let read = 0;
  let write = 0;
  for (const line of (text ?? '').split('\n')) {
    const [dev, op, v] = line.trim().split(/\s+/);
    if (!dev || !dev.includes(':') || v === undefined || !/^\d+$/.test(v)) continue;
    if (op === 'Read') read += Number(v);
    else if (op === 'Write') write += Number(v);
  }
  return { read, write };
}

/** v2 io.stat ("maj:min rbytes=N wbytes=N rios=N ..." per device). */
export function parseIoStat(text: string | undefined): { read: number; write: number } {
  let read = 0;
  let write = 0;
  for (const line of (text ?? '').split('\n')) {
    for (const kv of line.trim().split(/\s+/).slice(1)) {
      const [k, v] = kv.split('=');
      if (v === undefined || !/^\d+$/.test(v)) continue;
      if (k === 'rbytes') read += Number(v);
      else if (k === 'wbytes') write += Number(v);
    }
  }
  return { read, write };
}

export async function readCgroupStats(layout: CgroupLayout, path: string): Promise<CgroupStats> {
  const dir = (c: string) => controllerDir(layout, c, path);
  const f = (c: string, name: string) => {
    const d = dir(c);
    return d === undefined ? undefined : `${d}/${name}`;
  };
  if (layout.version === 'v2') {
    const [cur, max, stat, events, cpu, pc, pm, freeze, io] = await Promise.all([
      readText(f('memory', 'memory.current')), readText(f('memory', 'memory.max')), readText(f('memory', 'memory.stat')),
      readText(f('memory', 'memory.events')), readText(f('cpu', 'cpu.stat')), readText(f('pids', 'pids.current')),
      readText(f('pids', 'pids.max')), readText(f('freezer', 'cgroup.freeze')), readText(f('io', 'io.stat')),
    ]);
    const cpuStat = parseKeyValues(cpu);
    const s: CgroupStats = {};
    if (cur !== undefined) s.memoryUsage = Number(cur);
    const ml = parseLimit(max);
    if (ml !== undefined) s.memoryLimit = ml;
    const ms = parseKeyValues(stat);
    if (ms.inactive_file !== undefined) s.memoryInactiveFile = ms.inactive_file;
    if (ms.file !== undefined) s.memoryCache = ms.file;
    if (io !== undefined) {
      const b = parseIoStat(io);
      s.blkioRead = b.read;
      s.blkioWrite = b.write;
    }
    const ev = parseKeyValues(events);
    if (ev.oom_kill !== undefined) s.oomKills = ev.oom_kill;
    if (cpuStat.usage_usec !== undefined) s.cpuUsageNanos = cpuStat.usage_usec * 1000;
    if (pc !== undefined) s.pidsCurrent = Number(pc);
    const pl = parseLimit(pm);
    if (pl !== undefined) s.pidsLimit = pl;
    if (freeze !== undefined) s.frozen = freeze === '1';
    return s;
  }
  const [usage, limit, stat, oom, cpu, pc, pm, freezer, blkio] = await Promise.all([
    readText(f('memory', 'memory.usage_in_bytes')), readText(f('memory', 'memory.limit_in_bytes')),
    readText(f('memory', 'memory.stat')), readText(f('memory', 'memory.oom_control')),
    readText(f('cpuacct', 'cpuacct.usage')), readText(f('pids', 'pids.current')), readText(f('pids', 'pids.max')),
    readText(f('freezer', 'freezer.state')), readText(f('blkio', 'blkio.throttle.io_service_bytes')),
  ]);
  const s: CgroupStats = {};
  if (usage !== undefined) s.memoryUsage = Number(usage);
  const ml = parseLimit(limit);
  if (ml !== undefined) s.memoryLimit = ml;
  const ms = parseKeyValues(stat);
  if (ms.total_inactive_file !== undefined) s.memoryInactiveFile = ms.total_inactive_file;
  if (ms.total_cache !== undefined) s.memoryCache = ms.total_cache;
  if (blkio !== undefined) {
    const b = parseBlkioServiceBytes(blkio);
    s.blkioRead = b.read;
    s.blkioWrite = b.write;
  }
  const oc = parseKeyValues(oom);
  if (oc.oom_kill !== undefined) s.oomKills = oc.oom_kill;
  if (cpu !== undefined) s.cpuUsageNanos = Number(cpu);
  if (pc !== undefined) s.pidsCurrent = Number(pc);
  const pl = parseLimit(pm);
  if (pl !== undefined) s.pidsLimit = pl;
  if (freezer !== undefined) s.frozen = freezer === 'FROZEN';
  return s;
}
