// iSulad CI, container_cases: graph_root_test.sh, against our CLI: a daemon whose graph and state
// dirs are reached through a symlink, then one whose are bind mounts of other dirs; on each the
// nano_cpus checks (--cpus as quota/period in the container's cgroup, update rules, restarts).
// The script's devicemapper thin pool reset is n/a (overlay only). Each daemon is the test's own:
// its dirs live in a temp dir the test makes, unmounts and removes.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { startDaemon, unmountUnder } from '../helpers/daemon.ts';
import type { Daemon } from '../helpers/daemon.ts';
import { assertCleanAfterRemovingAll, mountsUnder } from '../integration/container-fixture.ts';
import { cgroupFile, fails, ok, skipReason } from './compat-fixture.ts';

async function nanoCpus(d: Daemon): Promise<void> {
  const id = (await ok(d, ['run', '-itd', '--cpus', '1.5', 'busybox', 'sh'])).stdout.trim();
  const cfs = () => [cgroupFile(d, 'cpu', id, 'cpu.cfs_quota_us'), cgroupFile(d, 'cpu', id, 'cpu.cfs_period_us')];
  assert.deepEqual(cfs(), ['150000', '100000']);
  assert.equal((await ok(d, ['exec', id, 'cat', '/sys/fs/cgroup/cpu/cpu.cfs_quota_us'])).stdout.trim(), '150000');
  await ok(d, ['restart', '-t', '0', id]);
  assert.deepEqual(cfs(), ['150000', '100000']);
  assert.match((await fails(d, ['update', '--cpus', '1.3', '--cpu-period', '20000', id])).stderr, /Nano CPUs and CPU Period cannot both be set/);
  assert.match((await fails(d, ['update', '--cpus', '1.3', '--cpu-quota', '20000', id])).stderr, /Nano CPUs and CPU Quota cannot both be set/);
  assert.match((await fails(d, ['update', '--cpu-period', '20000', id])).stderr, /CPU Period cannot be updated as NanoCPUs has already been set/);
  assert.match((await fails(d, ['update', '--cpu-quota', '20000', id])).stderr, /CPU Quota cannot be updated as NanoCPUs has already been set/);
  await ok(d, ['update', '--cpus', '1.3', id]);
  assert.deepEqual(cfs(), ['130000', '100000']);
  await ok(d, ['restart', '-t', '0', id]);
  assert.deepEqual(cfs(), ['130000', '100000']);
  await ok(d, ['rm', '-f', id]);
}

const mount = (args: string[]) => assert.equal(spawnSync('mount', args).status, 0, `mount ${args.join(' ')}`);

describe('iSulad CI container_cases: graph and state dirs', { skip: skipReason }, () => {
  for (const how of ['symlink', 'bind'] as const) {
    test(`graph_root_test.sh (${how === 'symlink' ? 'test_run_root_dir_realpath' : 'test_run_root_dir_bind_realpath'}): graph and state through a ${how}`, async () => {
      const top = mkdtempSync(`/tmp/compat-graph-${how}-`);
      let d: Daemon | undefined;
      try {
        const realRoot = join(top, 'opt', 'test_root');
        const realRun = join(top, 'opt', 'test_run');
        mkdirSync(realRoot, { recursive: true });
        mkdirSync(realRun, { recursive: true });
        const graph = join(top, how === 'symlink' ? 'isulad_test' : 'bind/isulad_test');
        const state = join(top, 'run', 'isulad_test');
        mkdirSync(join(top, 'run'));
        if (how === 'symlink') {
          symlinkSync(realRoot, graph);
          symlinkSync(realRun, state);
        } else {
          mkdirSync(graph, { recursive: true });
          mkdirSync(state);
          mount(['--bind', realRoot, graph]);
          mount(['--bind', realRun, state]);
        }
        d = await startDaemon({ config: { graph, state } });
        assert.match((await ok(d, ['images'])).stdout, /busybox/);
        await nanoCpus(d);
        await assertCleanAfterRemovingAll(d);
        await d.stop();
        d = undefined;
        // everything the daemon kept is in the real dirs; nothing of it is still mounted (only
        // the test's own two binds)
        assert.ok(existsSync(join(realRoot, 'storage')), 'the graph\'s storage is in the real dir');
        assert.ok(existsSync(join(realRoot, 'engines', 'lcr')), 'the runtime\'s root is in the real dir');
        assert.deepEqual(mountsUnder(top).sort(), how === 'bind' ? [graph, state].sort() : []);
      } finally {
        await d?.stop();
        unmountUnder(top);
        rmSync(top, { recursive: true, force: true });
      }
    });
  }
});
