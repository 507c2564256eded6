// isula update's checks and the HostConfig it records (pure planning; the cgroup side is tested
// against real containers in test/integration/container-stats-update.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultHostConfig, recordDefaultSwap } from '../../../../src/services/containers/create.ts';
import { effectiveSwap, planUpdate } from '../../../../src/services/containers/update.ts';
import type { UpdatePatch } from '../../../../src/services/containers/update.ts';
import { updateHostConfig } from '../../../../src/cli/commands/update.ts';

const M = 1024 * 1024;

test('effectiveSwap: create default is twice the memory, -1 when unlimited', () => {
  assert.equal(effectiveSwap({ Memory: 64 * M, MemorySwap: 0 }), 128 * M);
  assert.equal(effectiveSwap({ Memory: 0, MemorySwap: 0 }), -1);
  assert.equal(effectiveSwap({ Memory: 64 * M, MemorySwap: -1 }), -1);
  assert.equal(effectiveSwap({ Memory: 64 * M, MemorySwap: 80 * M }), 80 * M);
});

test('recordDefaultSwap: -m alone records twice the memory where swap is accounted (iSulad), else 0 stays', () => {
  const run = (Memory: number, MemorySwap: number, accounted: boolean) => {
    const h = { ...defaultHostConfig(), Memory, MemorySwap };
    recordDefaultSwap(h, accounted);
    return h.MemorySwap;
  };
  assert.equal(run(500 * M, 0, true), 1048576000);
  assert.equal(run(500 * M, 0, false), 0);
  assert.equal(run(500 * M, -1, true), -1);
  assert.equal(run(500 * M, 600 * M, true), 600 * M);
  assert.equal(run(0, 0, true), 0);
  assert.throws(() => run(2 ** 53, 0, true), /Memory swap out of range!/);
  // update -m keeps the recorded swap in force, and a -m above it is refused
  const h = { ...defaultHostConfig(), Memory: 500 * M };
  recordDefaultSwap(h, true);
  assert.equal(planUpdate(h, { Memory: 800 * M }).next.MemorySwap, 1048576000);
  assert.throws(() => planUpdate(h, { Memory: 2048 * M }), /Memory limit should be smaller than already set memoryswap limit/);
});

test('planUpdate: accepted patches, the next HostConfig and the cgroup changes', () => {
  const hc = { ...defaultHostConfig(), Memory: 64 * M };
  const a = planUpdate(hc, { Memory: 100 * M, CpuShares: 256, PidsLimit: -1, CpusetCpus: '0' });
  assert.deepEqual(a.resources, { memory: 100 * M, cpuShares: 256, cpusetCpus: '0', pidsLimit: -1 });
  assert.equal(a.next.MemorySwap, 128 * M, 'the swap in force is written down');
  assert.equal(a.next.PidsLimit, 0);
  const b = planUpdate(hc, { NanoCpus: 1_500_000_000 });
  assert.deepEqual(b.resources, { cpuPeriod: 100000, cpuQuota: 150000 });
  assert.equal(planUpdate(hc, { RestartPolicy: { Name: 'always', MaximumRetryCount: 0 } }).next.RestartPolicy.Name, 'always');
  assert.deepEqual(planUpdate(hc, {}).resources, {});
  assert.equal(hc.CpuShares, defaultHostConfig().CpuShares, 'the input is not modified');
});

test('planUpdate: refusals with iSulad/docker wording', () => {
  const hc = { ...defaultHostConfig(), Memory: 64 * M };
  const cases: Array<[UpdatePatch, RegExp, typeof hc?]> = [
    [{ Memory: 1 * M }, /Minimum memory limit allowed is 4MB/],
    [{ Memory: 200 * M }, /Memory limit should be smaller than already set memoryswap limit/],
    [{ Memory: 100 * M, MemorySwap: 50 * M }, /Minimum memoryswap limit should be larger than memory limit/],
    [{ MemorySwap: 100 * M }, /You should always set the Memory limit when using Memoryswap limit/, defaultHostConfig()],
    [{ CpuShares: 1 }, /invalid cpu shares/],
    [{ CpuPeriod: 10 }, /CPU cfs period can not be less than 1ms/],
    [{ CpuQuota: 10 }, /CPU cfs quota can not be less than 1ms/],
    [{ NanoCpus: 1e9, CpuQuota: 5000 }, /Conflicting options: Nano CPUs and CPU Quota cannot both be set/],
    [{ CpuQuota: 5000 }, /Conflicting options: CPU Quota cannot be updated as NanoCPUs has already been set/, { ...defaultHostConfig(), NanoCpus: 1e9 }],
    [{ CpusetCpus: 'zero' }, /Invalid value zero for cpuset cpus/],
    [{ RestartPolicy: { Name: 'sometimes' as 'always', MaximumRetryCount: 0 } }, /invalid restart policy 'sometimes'/],
    [{ RestartPolicy: { Name: 'always', MaximumRetryCount: 0 } }, /AutoRemove/, { ...defaultHostConfig(), AutoRemove: true }],
    // the validator's rules shared with create (validate.ts)
    [{ NanoCpus: 9999e9 }, /Range of CPUs is from 0.01 to 2.00, as there are only 2 CPUs available/],
    [{ NanoCpus: 1e6 }, /Range of CPUs is from 0.01 to 2.00/],
    [{ CpuQuota: -5 }, /Invalid CPU cfs quota: -5/],
    [{ RestartPolicy: { Name: 'on-failure', MaximumRetryCount: -1 } }, /maximum retry count cannot be negative/],
    // types, as the wire or the CRI could send them
    [{ Memory: '64m' } as unknown as UpdatePatch, /HostConfig\.Memory: integer expected, got string/],
    [{ CpusetCpus: 0 } as unknown as UpdatePatch, /HostConfig\.CpusetCpus: string expected/],
    [{ RestartPolicy: 'always' } as unknown as UpdatePatch, /HostConfig\.RestartPolicy: object expected/],
    [{ PidsLimit: 1.5 } as unknown as UpdatePatch, /HostConfig\.PidsLimit: integer expected/],
  ];
  for (const [patch, re, base] of cases) {
    assert.throws(() => planUpdate(base ?? hc, patch, 2), (e: Error & { kind?: string }) => re.test(e.message) && e.kind === 'invalid-argument', JSON.stringify(patch));
  }
});

test('isula update flags → hostconfig JSON', () => {
  const flags = (m: Record<string, string | number>) => ({ num: (f: string) => (typeof m[f] === 'number' ? (m[f] as number) : undefined), str: (f: string) => (typeof m[f] === 'string' ? (m[f] as string) : undefined) });
  assert.deepEqual(updateHostConfig(flags({ memory: 64 * M, 'memory-swap': '-1', cpus: '0.5', 'cpu-shares': 2, 'cpuset-cpus': '0', 'pids-limit': 5, restart: 'on-failure:3' })), {
    Memory: 64 * M, MemorySwap: -1, NanoCpus: 500_000_000, CpuShares: 2, PidsLimit: 5, CpusetCpus: '0', RestartPolicy: { Name: 'on-failure', MaximumRetryCount: 3 },
  });
  assert.deepEqual(updateHostConfig(flags({ 'memory-swap': '1g' })), { MemorySwap: 1024 * M });
  assert.throws(() => updateHostConfig(flags({})), /You must provide one or more update flags when using this command/);
  assert.throws(() => updateHostConfig(flags({ cpus: 'x' })), /Invalid value "x" for flag --cpus/);
});

// issue 17: iSulad's update-only keys and the rules between memory and reservation
test('planUpdate: reservation, cpuset mems, kernel memory, blkio weight, rt; rules on the merged HostConfig', () => {
  const hc = { ...defaultHostConfig(), Memory: 64 * M, MemoryReservation: 16 * M };
  const a = planUpdate(hc, { MemoryReservation: 32 * M, CpusetMems: '0', KernelMemory: 8 * M, BlkioWeight: 300, CPURealtimePeriod: 1000000, CPURealtimeRuntime: 1000 });
  assert.deepEqual(a.resources, { cpusetMems: '0', memoryReservation: 32 * M, kernelMemory: 8 * M, blkioWeight: 300, cpuRtPeriod: 1000000, cpuRtRuntime: 1000 });
  assert.equal(a.next.MemoryReservation, 32 * M);
  assert.throws(() => planUpdate(hc, { MemoryReservation: 128 * M }), /Minimum memory limit should be larger than memory reservation limit/);
  assert.throws(() => planUpdate(hc, { Memory: 8 * M, MemorySwap: -1 }), /Minimum memory limit should be larger than memory reservation limit/);
  assert.throws(() => planUpdate(hc, { MemoryReservation: M }), /Minimum memory reservation allowed is 4MB/);
  assert.throws(() => planUpdate(hc, { KernelMemory: M }), /Minimum kernel memory limit allowed is 4MB/);
  assert.throws(() => planUpdate(hc, { BlkioWeight: 5 }), /Range of blkio weight is from 10 to 1000/);
  assert.throws(() => planUpdate(hc, { CPURealtimePeriod: 1000, CPURealtimeRuntime: 2000 }), /rt runtime cannot be higher than rt period/);
  // iSulad's order: a negative period under a positive runtime is refused as runtime above period
  assert.throws(() => planUpdate(hc, { CPURealtimePeriod: -1, CPURealtimeRuntime: 10000 }), /rt runtime cannot be higher than rt period/);
  assert.throws(() => planUpdate(hc, { CpusetMems: 'x' }), /Invalid value x for cpuset mems/);
});

test('isula update: the iSulad-only flags → hostconfig JSON', () => {
  const flags = (m: Record<string, string | number>) => ({ num: (f: string) => (typeof m[f] === 'number' ? (m[f] as number) : undefined), str: (f: string) => (typeof m[f] === 'string' ? (m[f] as string) : undefined) });
  assert.deepEqual(updateHostConfig(flags({ 'memory-reservation': 32 * M, 'kernel-memory': 8 * M, 'blkio-weight': 300, 'cpu-rt-period': 1000000, 'cpu-rt-runtime': 1000, 'cpuset-mems': '0' })), {
    MemoryReservation: 32 * M, KernelMemory: 8 * M, BlkioWeight: 300, CPURealtimePeriod: 1000000, CPURealtimeRuntime: 1000, CpusetMems: '0',
  });
});
