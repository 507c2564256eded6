// iSulad CI, container_cases: run.sh (the namespace modes and --external-rootfs parts; the rest is
// container-basics.test.ts "run.sh") and share_ns_test.sh's --cgroupns row, against our CLI on one
// real daemon, on each runtime of RUNTIME_LIST (lcr, runc). Namespaces are read from the kernel
// (/proc/<pid>/ns/*), not only from inspect.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Daemon } from '../helpers/daemon.ts';
import { RUNTIMES } from '../integration/container-fixture.ts';
import { fails, inspectField, ok, skipReason, state, suiteDaemon } from './compat-fixture.ts';

const runc = RUNTIMES.find((r) => r.name === 'runc');
const ARCH = process.arch === 'arm64' ? 'arm64' : 'amd64';
const ROOTFS_TAR = join(import.meta.dirname, `../../rootfs-fixtures/out/busybox-${ARCH}.rootfs.tar`);

async function ns(d: Daemon, ref: string, kind: string): Promise<string> {
  return readlinkSync(`/proc/${await inspectField(d, ref, '{{.State.Pid}}')}/ns/${kind}`);
}
const hostNs = (kind: string) => readlinkSync(`/proc/self/ns/${kind}`);

describe('iSulad CI container_cases: namespaces and external rootfs', { skip: skipReason }, () => {
  let d: Daemon;
  suiteDaemon((started) => (d = started), { runtime: 'lcr' });

  for (const rt of ['lcr', 'runc'] as const) {
    test(`run.sh on ${rt}: --net/--pid/--ipc/--uts none, host and container:X; --external-rootfs DIR --read-only none; / refused`, { skip: rt === 'runc' ? runc?.skip ?? 'no runc' : false }, async () => {
      const name = `test_basic_run_${rt}`;
      // none: the container's own namespaces (iSulad keeps the word in HostConfig)
      await ok(d, ['run', '--runtime', rt, '--name', name, '-itd', '--net=none', '--pid=none', '--ipc=none', '--uts=none', 'busybox']);
      assert.equal(await state(d, name), 'running');
      assert.equal(await inspectField(d, name, '{{.HostConfig.PidMode}} {{.HostConfig.IpcMode}} {{.HostConfig.UTSMode}}'), 'none none none');
      for (const k of ['net', 'pid', 'ipc', 'uts']) assert.notEqual(await ns(d, name, k), hostNs(k), `${k} none is a namespace of its own`);
      assert.match((await ok(d, ['exec', name, 'ps'])).stdout, /^\s*1 root\s+sh$/m, 'pid none: sh is pid 1');
      await ok(d, ['stop', '-t', '0', name]);
      assert.equal(await state(d, name), 'exited');
      await ok(d, ['rm', name]);
      // host
      await ok(d, ['run', '--runtime', rt, '--name', name, '-itd', '--net=host', '--pid=host', '--ipc=host', '--uts=host', 'busybox']);
      for (const k of ['net', 'pid', 'ipc', 'uts']) assert.equal(await ns(d, name, k), hostNs(k), `${k} host`);
      await ok(d, ['rm', '-f', name]);
      // container:X
      const join2 = `container_to_join_${rt}`;
      await ok(d, ['run', '--runtime', rt, '--name', join2, '-itd', 'busybox']);
      await ok(d, ['run', '--runtime', rt, '--name', name, '-itd', `--net=container:${join2}`, `--pid=container:${join2}`, `--ipc=container:${join2}`, `--uts=container:${join2}`, 'busybox']);
      for (const k of ['net', 'pid', 'ipc', 'uts']) assert.equal(await ns(d, name, k), await ns(d, join2, k), `${k} container:X`);
      await ok(d, ['stop', '-t', '0', name]);
      assert.equal(await state(d, name), 'exited');
      await ok(d, ['rm', name]);
      await ok(d, ['rm', '-f', join2]);
      // --external-rootfs: iSulad's script runs the host's / read-only on lcr; this engine refuses /
      // (mount points would be made in the host's root) and runs a directory instead
      assert.match((await fails(d, ['run', '--runtime', rt, '--name', name, '-itd', '--external-rootfs', '/', '--read-only', 'none', 'sh'])).stderr, /external rootfs \/ \(the host's own root\) is not supported/);
      const dir = join(d.dir, `external-${rt}`);
      mkdirSync(dir);
      const x = spawnSync('tar', ['-xf', ROOTFS_TAR, '-C', dir]);
      assert.equal(x.status, 0, String(x.stderr));
      await ok(d, ['run', '--runtime', rt, '--name', name, '-itd', '--external-rootfs', dir, '--read-only', 'none', 'sh']);
      assert.equal(await state(d, name), 'running');
      writeFileSync(join(dir, 'marker'), `${rt}\n`);
      assert.equal((await ok(d, ['exec', name, 'cat', '/marker'])).stdout, `${rt}\n`, 'the directory is the container\'s root');
      assert.match((await d.isula(['exec', name, 'touch', '/x'])).stderr, /Read-only file system/);
      await ok(d, ['stop', '-t', '0', name]);
      assert.equal(await state(d, name), 'exited');
      await ok(d, ['rm', name]);
    });
  }

  test('share_ns_test.sh --cgroupns on runc: a created container cannot be joined; the joined one shares its cgroup namespace across restarts; lcr refuses it', { skip: runc?.skip ?? false }, async () => {
    const created = (await ok(d, ['create', '--runtime', 'runc', '-ti', 'busybox', '/bin/sh'])).stdout.trim();
    assert.match((await fails(d, ['run', '--runtime', 'runc', '--name', 'test1', '-tid', `--cgroupns=container:${created}`, 'busybox', '/bin/sh'])).stderr, /Can not join namespace of a non running container/);
    await d.isula(['rm', '-f', 'test1']);
    await ok(d, ['rm', '-f', created]);
    // runc on cgroup v1 stays in the host's cgroup namespace unless asked: X gets a private one
    const id = (await ok(d, ['run', '--runtime', 'runc', '-tid', '--cgroupns', 'private', 'busybox', '/bin/sh'])).stdout.trim();
    const joined = (await ok(d, ['run', '--runtime', 'runc', '-tid', `--cgroupns=container:${id}`, 'busybox', '/bin/sh'])).stdout.trim();
    assert.notEqual(await ns(d, id, 'cgroup'), hostNs('cgroup'));
    assert.equal(await ns(d, joined, 'cgroup'), await ns(d, id, 'cgroup'));
    await ok(d, ['restart', '--time=0', id]);
    assert.equal(await state(d, id), 'running');
    await ok(d, ['restart', '--time=0', joined]);
    assert.equal(await state(d, joined), 'running');
    assert.equal(await ns(d, joined, 'cgroup'), await ns(d, id, 'cgroup'), 'joined again after X restarted (a new namespace)');
    assert.match((await fails(d, ['run', '--runtime', 'lcr', '-tid', `--cgroupns=container:${id}`, 'busybox', '/bin/sh'])).stderr, /is not supported by lcr: LXC always gives the container its own cgroup namespace/);
    await ok(d, ['rm', '-f', joined, id]);
  });
});
