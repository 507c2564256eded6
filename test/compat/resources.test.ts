// iSulad CI, container_cases: nano_cpus.sh (and the same checks in graph_root_test.sh), against our
// CLI on one real daemon: --cpus against --cpu-period/--cpu-quota at create and update, read back
// from the container's cgroup, also after a restart.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Daemon } from '../helpers/daemon.ts';
import { cgroupFile, fails, ok, skipReason, suiteDaemon } from './compat-fixture.ts';

describe('iSulad CI container_cases: resources', { skip: skipReason }, () => {
  let d: Daemon;
  suiteDaemon((started) => (d = started), { runtime: 'lcr' });

  test('nano_cpus.sh: --cpus conflicts, its quota in the cgroup, update rules, kept across restarts', async () => {
    assert.match((await fails(d, ['run', '-itd', '--cpus', '1.5', '--cpu-period', '20000', 'busybox', '/bin/sh'])).stderr, /Nano CPUs and CPU Period cannot both be set/);
    assert.match((await fails(d, ['run', '-itd', '--cpus', '1.5', '--cpu-quota', '20000', 'busybox', '/bin/sh'])).stderr, /Nano CPUs and CPU Quota cannot both be set/);
    const id = (await ok(d, ['run', '-itd', '--cpus', '1.5', 'busybox', 'sh'])).stdout.trim();
    const cfs = () => [cgroupFile(d, 'cpu', id, 'cpu.cfs_quota_us'), cgroupFile(d, 'cpu', id, 'cpu.cfs_period_us')];
    assert.deepEqual(cfs(), ['150000', '100000']);
    await ok(d, ['restart', '-t', '0', id]);
    assert.deepEqual(cfs(), ['150000', '100000']);
    assert.match((await fails(d, ['update', '--cpus', '1.3', '--cpu-period', '20000', id])).stderr, /Nano CPUs and CPU Period cannot both be set/);
    assert.match((await fails(d, ['update', '--cpus', '1.3', '--cpu-quota', '20000', id])).stderr, /Nano CPUs and CPU Quota cannot both be set|Nano CPUs cannot be updated/);
    assert.match((await fails(d, ['update', '--cpu-period', '20000', id])).stderr, /CPU Period cannot be updated as NanoCPUs has already been set/);
    assert.match((await fails(d, ['update', '--cpu-quota', '20000', id])).stderr, /CPU Quota cannot be updated as NanoCPUs has already been set/);
    await ok(d, ['update', '--cpus', '1.3', id]);
    assert.deepEqual(cfs(), ['130000', '100000']);
    await ok(d, ['restart', '-t', '0', id]);
    assert.deepEqual(cfs(), ['130000', '100000']);
    await ok(d, ['rm', '-f', id]);
    const pq = (await ok(d, ['run', '-itd', '--cpu-period', '20000', '--cpu-quota', '10000', 'busybox', 'sh'])).stdout.trim();
    assert.match((await fails(d, ['update', '--cpus', '1.4', pq])).stderr, /Nano CPUs cannot be updated as CPU (Period|Quota) has already been set/);
    await ok(d, ['rm', '-f', pq]);
  });
});
