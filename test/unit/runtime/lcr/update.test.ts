// isula update on lcr: which cgroup files, in which order (memory never above memsw), and the LXC
// config rewrite that makes the next start keep the new limits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { limitsFromConfig, rewriteLxcConfig } from '../../../../src/runtime/lcr/update.ts';
import { checkCpusetOnline, parseCpuList, planCgroupWrites } from '../../../../src/runtime/cgroup-writes.ts';

const M = 1024 * 1024;
const files = (w: Array<{ file: string; value: string }>) => w.map((x) => `${x.file}=${x.value}`);

test('v1 memory order: raise memsw first when memory goes above it, else memory first', () => {
  const cases: Array<[string, Parameters<typeof planCgroupWrites>[1], { memory: number; swap: number }, string[]]> = [
    ['raise both above the old memsw', { memory: 200 * M, memorySwap: 400 * M }, { memory: 64 * M, swap: 128 * M }, [`memory.memsw.limit_in_bytes=${400 * M}`, `memory.limit_in_bytes=${200 * M}`]],
    ['raise memory within the old memsw', { memory: 100 * M, memorySwap: 400 * M }, { memory: 64 * M, swap: 128 * M }, [`memory.limit_in_bytes=${100 * M}`, `memory.memsw.limit_in_bytes=${400 * M}`]],
    ['lower both', { memory: 32 * M, memorySwap: 48 * M }, { memory: 64 * M, swap: 128 * M }, [`memory.limit_in_bytes=${32 * M}`, `memory.memsw.limit_in_bytes=${48 * M}`]],
    ['unlimited memory: memsw (unlimited) first', { memory: -1, memorySwap: -1 }, { memory: 64 * M, swap: 128 * M }, ['memory.memsw.limit_in_bytes=-1', 'memory.limit_in_bytes=-1']],
    ['old memsw unlimited: memory alone', { memory: 64 * M }, { memory: -1, swap: -1 }, [`memory.limit_in_bytes=${64 * M}`]],
  ];
  for (const [what, r, old, want] of cases) assert.deepEqual(files(planCgroupWrites('v1', r, old, true)), want, what);
  assert.deepEqual(files(planCgroupWrites('v1', { memory: 64 * M, memorySwap: 128 * M }, { memory: -1, swap: -1 }, false)), [`memory.limit_in_bytes=${64 * M}`], 'no swap accounting');
});

test('v1 cpu, cpuset and pids files; memory last so a refusal there rolls the others back', () => {
  const w = planCgroupWrites('v1', { cpuShares: 256, cpuPeriod: 100000, cpuQuota: 50000, cpusetCpus: '0-1', pidsLimit: -1, memory: 64 * M }, { memory: 32 * M, swap: 128 * M }, true);
  assert.deepEqual(files(w), ['cpu.shares=256', 'cpu.cfs_period_us=100000', 'cpu.cfs_quota_us=50000', 'cpuset.cpus=0-1', 'pids.max=max', `memory.limit_in_bytes=${64 * M}`]);
  assert.deepEqual(w.map((x) => x.controller), ['cpu', 'cpu', 'cpu', 'cpuset', 'pids', 'memory']);
  assert.deepEqual(planCgroupWrites('v1', {}, { memory: -1, swap: -1 }, true), []);
});

test('v2 file names and values', () => {
  const w = planCgroupWrites('v2', { cpuShares: 1024, cpuQuota: 50000, memory: 64 * M, memorySwap: 96 * M, pidsLimit: 7 }, { memory: -1, swap: -1 }, true);
  assert.deepEqual(files(w), ['cpu.weight=39', 'cpu.max=50000 100000', 'pids.max=7', `memory.max=${64 * M}`, `memory.swap.max=${32 * M}`]);
});

test('rewriteLxcConfig replaces the written keys and keeps everything else', () => {
  const before = ['lxc.uts.name = box', `lxc.cgroup.memory.limit_in_bytes = ${64 * M}`, 'lxc.cgroup.cpu.shares = 512', 'lxc.cgroup.pids.max = 20', ''].join('\n');
  const after = rewriteLxcConfig(before, 'v1', [
    { controller: 'memory', file: 'memory.memsw.limit_in_bytes', value: String(400 * M) },
    { controller: 'memory', file: 'memory.limit_in_bytes', value: String(200 * M) },
  ]);
  assert.equal(after, ['lxc.uts.name = box', 'lxc.cgroup.cpu.shares = 512', 'lxc.cgroup.pids.max = 20', `lxc.cgroup.memory.memsw.limit_in_bytes = ${400 * M}`, `lxc.cgroup.memory.limit_in_bytes = ${200 * M}`, ''].join('\n'));
  assert.deepEqual(limitsFromConfig(after, 'v1'), { memory: 200 * M, swap: 400 * M });
  assert.deepEqual(limitsFromConfig('lxc.uts.name = x\n', 'v1'), { memory: -1, swap: -1 });
  assert.deepEqual(limitsFromConfig(`lxc.cgroup2.memory.max = ${64 * M}\nlxc.cgroup2.memory.swap.max = ${64 * M}\n`, 'v2'), { memory: 64 * M, swap: 128 * M });
});

test('cpuset lists and the online check a stopped container gets', () => {
  assert.deepEqual([...(parseCpuList('0-2,5') ?? [])], [0, 1, 2, 5]);
  assert.equal(parseCpuList('0-'), undefined);
  assert.equal(parseCpuList('3-1'), undefined);
  checkCpusetOnline('0-1', '0-1\n');
  checkCpusetOnline('1', '0-3');
  assert.throws(() => checkCpusetOnline('2', '0-1\n'), /Failed to set "cpuset.cpus" to "2": Numerical result out of range/);
  assert.throws(() => checkCpusetOnline('0,7', '0-3'), /Numerical result out of range/);
});
