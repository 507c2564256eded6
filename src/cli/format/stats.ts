// `isula stats` arithmetic and tables. The daemon sends raw counters (Container_info); CPU % needs
// two samples: the container's CPU time delta over the host's CPU time delta, times the online
// CPUs (docker's calculateCPUPercentUnix), so 100 % = one CPU busy. MEM USAGE leaves out the
// inactive page cache (docker: usage - inactive_file), which the kernel can reclaim at no cost.
import type { Container_info__Output } from '../../api/generated/containers/Container_info.ts';
import { formatTable } from './table.ts';
import { formatPercent, formatStatsSize } from './size.ts';

export interface StatsCounters {
  cpuUseNanos: number;
  systemCpuNanos: number;
  onlineCpus: number;
}

/** Ratio (1 = one CPU fully used) between two samples; 0 without a usable previous sample. */
export function cpuRatio(prev: StatsCounters | undefined, cur: StatsCounters): number {
  if (!prev) return 0;
  const cpuDelta = cur.cpuUseNanos - prev.cpuUseNanos;
  const sysDelta = cur.systemCpuNanos - prev.systemCpuNanos;
  if (cpuDelta <= 0 || sysDelta <= 0) return 0;
  return (cpuDelta / sysDelta) * Math.max(1, cur.onlineCpus);
}

/** Memory in use without the reclaimable inactive file cache. */
export function memUsage(used: number, inactiveFile: number): number {
  return inactiveFile < used ? used - inactiveFile : used;
}

export function memRatio(usage: number, limit: number): number {
  return limit > 0 ? usage / limit : 0;
}

const num = (v: string | undefined) => Number(v ?? 0);

export function countersOf(c: Container_info__Output): StatsCounters {
  return { cpuUseNanos: num(c.cpu_use_nanos), systemCpuNanos: num(c.cpu_system_use), onlineCpus: c.online_cpus };
}

export const STATS_HEADERS = ['CONTAINER', 'CPU %', 'MEM USAGE / LIMIT', 'MEM %', 'NET I/O', 'BLOCK I / O', 'PIDS'] as const;

export function statsRow(c: Container_info__Output, prev: Container_info__Output | undefined): string[] {
  const usage = memUsage(num(c.mem_used), num(c.inactive_file_total));
  const limit = num(c.mem_limit);
  return [
    c.id.slice(0, 12),
    formatPercent(cpuRatio(prev ? countersOf(prev) : undefined, countersOf(c))),
    `${formatStatsSize(usage)} / ${formatStatsSize(limit)}`,
    formatPercent(memRatio(usage, limit)),
    `${formatStatsSize(num(c.net_rx_bytes))} / ${formatStatsSize(num(c.net_tx_bytes))}`,
    `${formatStatsSize(num(c.blkio_read))} / ${formatStatsSize(num(c.blkio_write))}`,
    String(num(c.pids_current)),
  ];
}

export function formatStatsTable(cur: readonly Container_info__Output[], prev: ReadonlyMap<string, Container_info__Output>): string {
  return formatTable(STATS_HEADERS, cur.map((c) => statsRow(c, prev.get(c.id))));
}

/** --original: iSulad's raw columns, numbers as the daemon reports them. */
export const ORIGINAL_HEADERS = ['ID', 'PIDS', 'Status', 'CpuUseNanos', 'CpuSystemUse', 'OnlineCpus', 'BlkioRead', 'BlkioWrite', 'MemUsed', 'MemLimit', 'KmemUsed', 'CacheUsage', 'NAME'] as const;

export function formatOriginalTable(cur: readonly Container_info__Output[]): string {
  return formatTable(
    ORIGINAL_HEADERS,
    cur.map((c) => [
      c.id.slice(0, 12), String(num(c.pids_current)), c.status, String(num(c.cpu_use_nanos)), String(num(c.cpu_system_use)),
      String(c.online_cpus), String(num(c.blkio_read)), String(num(c.blkio_write)), String(num(c.mem_used)), String(num(c.mem_limit)),
      String(num(c.kmem_used)), String(num(c.cache)), c.name,
    ]),
  );
}
