// isula stats arithmetic (docker's CPU % formula, memory without inactive file) and table layout.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Container_info__Output } from '../../../../src/api/generated/containers/Container_info.ts';
import { cpuRatio, formatOriginalTable, formatStatsTable, memRatio, memUsage, statsRow } from '../../../../src/cli/format/stats.ts';
import { formatPercent } from '../../../../src/cli/format/size.ts';

test('cpuRatio: container CPU delta over host CPU delta, times online CPUs', () => {
  const s = (cpu: number, sys: number, cpus = 2) => ({ cpuUseNanos: cpu, systemCpuNanos: sys, onlineCpus: cpus });
  const cases: Array<[string, ReturnType<typeof s> | undefined, ReturnType<typeof s>, number]> = [
    ['no previous sample', undefined, s(5e9, 1e10), 0],
    ['one CPU of two fully busy', s(0, 0), s(1e9, 2e9), 1],
    ['half of one CPU on a 4-CPU host', s(1e9, 1e10), s(1.5e9, 1.4e10, 4), 0.5],
    ['idle container', s(7, 100), s(7, 200), 0],
    ['host clock did not move', s(1, 100), s(5, 100), 0],
    ['counter went back (container restarted)', s(9e9, 100), s(1e9, 200), 0],
    ['online CPUs unknown counts as one', s(0, 0), s(1, 4, 0), 0.25],
  ];
  for (const [what, prev, cur, want] of cases) assert.equal(cpuRatio(prev, cur), want, what);
  assert.equal(formatPercent(cpuRatio(s(0, 0), s(1e9, 2e9))), '100.00%');
});

test('memUsage leaves out inactive file cache; memRatio of the limit', () => {
  assert.equal(memUsage(100, 30), 70);
  assert.equal(memUsage(100, 0), 100);
  assert.equal(memUsage(100, 150), 100); // racy reads: never negative
  assert.equal(memRatio(16, 64), 0.25);
  assert.equal(memRatio(16, 0), 0);
});

function info(over: Partial<Container_info__Output>): Container_info__Output {
  return {
    id: 'a'.repeat(64), pids_current: '0', cpu_use_nanos: '0', cpu_use_user: '0', cpu_use_kernel: '0', cpu_system_use: '0', online_cpus: 0,
    blkio_read: '0', blkio_write: '0', mem_used: '0', mem_limit: '0', kmem_used: '0', kmem_limit: '0', name: 'box', status: 'running',
    cache: '0', cache_total: '0', inactive_file_total: '0', avaliable_bytes: '0', workingset_bytes: '0', rss_bytes: '0',
    page_faults: '0', major_page_faults: '0', net_rx_bytes: '0', net_tx_bytes: '0', ...over,
  };
}

test('statsRow: iSulad sizes and percentages', () => {
  const prev = info({ cpu_use_nanos: '1000000000', cpu_system_use: '10000000000', online_cpus: 2 });
  const cur = info({
    cpu_use_nanos: '1500000000', cpu_system_use: '12000000000', online_cpus: 2, mem_used: String(20 * 1024 * 1024), inactive_file_total: String(4 * 1024 * 1024),
    mem_limit: String(64 * 1024 * 1024), net_rx_bytes: '1536', net_tx_bytes: '10', blkio_read: String(3 * 1024 * 1024), blkio_write: '0', pids_current: '3',
  });
  assert.deepEqual(statsRow(cur, prev), ['aaaaaaaaaaaa', '50.00%', '16.00MiB / 64.00MiB', '25.00%', '1.50KiB / 10B', '3.00MiB / 0B', '3']);
  assert.deepEqual(statsRow(info({}), undefined), ['aaaaaaaaaaaa', '0.00%', '0B / 0B', '0.00%', '0B / 0B', '0B / 0B', '0']);
});

test('tables: headers, one row per container, --original raw numbers', () => {
  const t = formatStatsTable([info({ pids_current: '1' })], new Map());
  const lines = t.trimEnd().split('\n');
  assert.equal(lines.length, 2);
  assert.deepEqual(lines[0]?.split(/ {3,}/), ['CONTAINER', 'CPU %', 'MEM USAGE / LIMIT', 'MEM %', 'NET I/O', 'BLOCK I / O', 'PIDS']);
  const o = formatOriginalTable([info({ mem_used: '12345', mem_limit: '67108864', cpu_use_nanos: '42', online_cpus: 2 })]).trimEnd().split('\n');
  assert.deepEqual(o[0]?.split(/\s+/), ['ID', 'PIDS', 'Status', 'CpuUseNanos', 'CpuSystemUse', 'OnlineCpus', 'BlkioRead', 'BlkioWrite', 'MemUsed', 'MemLimit', 'KmemUsed', 'CacheUsage', 'NAME']);
  assert.deepEqual(o[1]?.split(/\s+/), ['aaaaaaaaaaaa', '0', 'running', '42', '0', '2', '0', '0', '12345', '67108864', '0', '0', 'box']);
});
