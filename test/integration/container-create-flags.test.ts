// The create/run flags of issue 17 beyond resources: --cgroupns (read from /proc/<pid>/ns) and
// --no-pivot (the monitor's command line in /proc), on every runtime of RUNTIMES.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readlinkSync } from 'node:fs';
import { startDaemon, type Daemon } from '../helpers/daemon.ts';
import { assertCleanAfterRemovingAll, canRun, inspectField, ok, skipReason, RUNTIMES } from './container-fixture.ts';

for (const rt of RUNTIMES) describe(`create flags on ${rt.name}`, { skip: skipReason || rt.skip }, () => {
  let d: Daemon;
  before(async () => {
    if (!canRun) return;
    d = await startDaemon({ config: { 'default-runtime': rt.name } });
  });
  after(async () => {
    if (!d) return;
    try {
      await assertCleanAfterRemovingAll(d);
    } finally {
      await d.stop();
    }
  });

  test('--cgroupns host|private: the container init\'s cgroup namespace is the host\'s, or its own', async () => {
    const hostNs = readlinkSync('/proc/self/ns/cgroup');
    if (rt.name === 'lcr') {
      const r = await d.isula(['create', '--cgroupns', 'host', 'busybox', 'true']);
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, /--cgroupns host is not supported by lcr/);
    }
    const modes = rt.name === 'lcr' ? ([['private', false]] as const) : ([['host', true], ['private', false]] as const);
    for (const [mode, same] of modes) {
      const id = (await ok(d, ['run', '-d', '--cgroupns', mode, 'busybox', 'sleep', '1000'])).stdout.trim();
      const pid = await inspectField(d, id, '{{.State.Pid}}');
      assert.equal(readlinkSync(`/proc/${pid}/ns/cgroup`) === hostNs, same, `--cgroupns ${mode}`);
      assert.equal(await inspectField(d, id, '{{.HostConfig.CgroupnsMode}}'), mode);
      // what the container sees: its own cgroup as "/" only in a private namespace
      const self = (await ok(d, ['exec', id, 'cat', '/proc/self/cgroup'])).stdout;
      assert.equal(/:memory:\/$/m.test(self), !same, self);
      await ok(d, ['rm', '-f', id]);
    }
    const r = await d.isula(['create', '--cgroupns', 'none', 'busybox', 'true']);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /Invalid value "none" for flag --cgroupns/);
  });

  test('--no-pivot: handed to the runtime\'s create through conmon; refused on lcr', async () => {
    if (rt.name === 'lcr') {
      const r = await d.isula(['create', '--no-pivot', 'busybox', 'true']);
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, /--no-pivot is only supported by OCI runtimes/);
      return;
    }
    // The mount tables of both look the same from any root (setns follows the moved rootfs stacked
    // on the old root); what the kernel shows is the monitor's command line: conmon, the init's
    // parent, hands --no-pivot to the runtime's create.
    const monitorArgs = async (args: string[]) => {
      const id = (await ok(d, ['run', '-d', ...args, 'busybox', 'sleep', '1000'])).stdout.trim();
      const pid = await inspectField(d, id, '{{.State.Pid}}');
      const ppid = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ')[1];
      const cmd = readFileSync(`/proc/${ppid}/cmdline`, 'utf8').split('\0');
      await ok(d, ['rm', '-f', id]);
      return cmd;
    };
    assert.ok(!(await monitorArgs([])).includes('--no-pivot'));
    assert.ok((await monitorArgs(['--no-pivot'])).includes('--no-pivot'));
    assert.equal(await inspectField(d, (await ok(d, ['create', '--no-pivot', 'busybox', 'true'])).stdout.trim(), '{{.HostConfig.NoPivotRoot}}'), 'true');
  });
});
