// Runtime choice per container (issue 11): lcr and runc side by side in one daemon, a daemon.json
// "runtimes" entry with its runtime-args, `isula info` listing the runtimes, and crun refused at
// daemon start with its reason on a host whose cgroup2 still owns a controller beside v1.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDaemon, type Daemon } from '../helpers/daemon.ts';
import { assertCleanAfterRemovingAll, canRun, inspectField, ok, RUNTIMES, skipReason } from './container-fixture.ts';

const runcSkip = RUNTIMES.find((r) => r.name === 'runc')?.skip ?? 'no runc row';

/** The comm of a process's parent, read from /proc. */
function parentComm(pid: number): string {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  return readFileSync(`/proc/${ppid}/comm`, 'utf8').trim();
}

/** The host's layout that crun 1.8 refuses: v1 hierarchies plus a cgroup2 mount owning controllers. */
function hybridWithV2Controllers(): boolean {
  try {
    return existsSync('/sys/fs/cgroup/memory') && readFileSync('/sys/fs/cgroup/unified/cgroup.controllers', 'utf8').trim() !== '';
  } catch {
    return false;
  }
}

describe('runtimes chosen per container', { skip: skipReason || runcSkip }, () => {
  let d: Daemon;
  let runcLog: string;
  before(async () => {
    if (!canRun || runcSkip) return;
    runcLog = join(tmpdir(), `isulad-myrunc-${process.pid}.log`);
    d = await startDaemon({ config: { runtimes: { myrunc: { path: 'runc', 'runtime-args': ['--log', runcLog] } } } });
  });
  after(async () => {
    if (!d) return;
    try {
      await assertCleanAfterRemovingAll(d);
    } finally {
      await d.stop();
      rmSync(runcLog, { force: true });
    }
  });

  test('isula info lists the runtimes; crun is listed unusable with its reason on a hybrid host', async () => {
    const info = (await ok(d, ['info'])).stdout;
    const runtimes = /^Runtimes: (.*)$/m.exec(info)?.[1]?.split(' ') ?? [];
    assert.ok(runtimes.includes('lcr') && runtimes.includes('runc') && runtimes.includes('myrunc'), info);
    assert.match(info, /^Default Runtime: lcr$/m);
    if (existsSync('/usr/bin/crun') && hybridWithV2Controllers()) {
      assert.ok(!runtimes.includes('crun'), info);
      assert.match(info, /^ Unusable: crun: .*hybrid.*\(cgroup2 holds hugetlb/m);
      const r = await d.isula(['run', '--rm', '--runtime', 'crun', 'busybox', 'true']);
      assert.equal(r.code, 125, r.stderr);
      assert.match(r.stderr, /runtime crun cannot run containers on this host: .*hybrid/);
      assert.match(d.log(), /runtime crun is unusable on this host/, 'said at daemon start, not at first run');
    }
  });

  test('lcr and runc containers side by side: each under its own monitor', async () => {
    await ok(d, ['run', '-d', '--name', 'on-lcr', 'busybox', 'sleep', '1000']);
    await ok(d, ['run', '-d', '--runtime', 'runc', '--name', 'on-runc', 'busybox', 'sleep', '1000']);
    assert.equal(await inspectField(d, 'on-lcr', '{{.HostConfig.Runtime}}'), 'lcr');
    assert.equal(await inspectField(d, 'on-runc', '{{.HostConfig.Runtime}}'), 'runc');
    assert.equal(parentComm(Number(await inspectField(d, 'on-lcr', '{{.State.Pid}}'))), 'lxc-start');
    assert.equal(parentComm(Number(await inspectField(d, 'on-runc', '{{.State.Pid}}'))), 'conmon');
    const bad = await d.isula(['run', '--rm', '--runtime', 'nope', 'busybox', 'true']);
    assert.equal(bad.code, 125);
    assert.match(bad.stderr, /Invalid runtime name: nope/);
    await ok(d, ['rm', '-f', 'on-lcr', 'on-runc']);
  });

  test('a daemon.json runtimes entry runs with its runtime-args', async () => {
    const r = await ok(d, ['run', '--rm', '--runtime', 'myrunc', 'busybox', 'echo', 'hi']);
    assert.equal(r.stdout, 'hi\n');
    assert.ok(existsSync(runcLog), 'runtime-args reached runc (--log FILE)');
  });

  test('conmon killed -9: the container keeps running, and still stops and is removed (exit -1)', async () => {
    await ok(d, ['run', '-d', '--runtime', 'runc', '--name', 'orphan', 'busybox', 'sleep', '1000']);
    const pid = Number(await inspectField(d, 'orphan', '{{.State.Pid}}'));
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const conmon = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    assert.equal(readFileSync(`/proc/${conmon}/comm`, 'utf8').trim(), 'conmon');
    process.kill(conmon, 'SIGKILL'); // a pid this test's daemon started, found through its container
    await new Promise((r) => setTimeout(r, 300));
    assert.ok(existsSync(`/proc/${pid}`), 'the container outlives its monitor');
    assert.equal(await inspectField(d, 'orphan', '{{.State.Running}}'), 'true');
    await ok(d, ['stop', '-t', '1', 'orphan']);
    assert.equal(await inspectField(d, 'orphan', '{{.State.Status}} {{.State.ExitCode}}'), 'exited -1', 'no monitor saw the exit code');
    await ok(d, ['rm', 'orphan']);
  });
});
