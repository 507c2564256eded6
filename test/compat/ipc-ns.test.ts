// iSulad CI, container_cases: ipc_ns.sh, against our CLI on one real daemon, on each runtime of
// RUNTIME_LIST (lcr, runc): --ipc shareable mounts the container's /dev/shm on the host at
// <root>/containers/<id>/mounts/shm from create on (read in /proc/1/mountinfo) and it goes with rm;
// a container joining it (--ipc container:X) shares X's IPC namespace and X's /dev/shm.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { RUNTIMES } from '../integration/container-fixture.ts';
import type { Daemon } from '../helpers/daemon.ts';
import { inspectField, ok, skipReason, suiteDaemon } from './compat-fixture.ts';

const runc = RUNTIMES.find((r) => r.name === 'runc');
const mountinfo = () => readFileSync('/proc/1/mountinfo', 'utf8');

describe('iSulad CI container_cases: ipc namespace', { skip: skipReason }, () => {
  let d: Daemon;
  suiteDaemon((started) => (d = started), { runtime: 'lcr' });

  for (const rt of ['lcr', 'runc'] as const) {
    test(`ipc_ns.sh on ${rt}: --ipc=shareable has a host-side shm mount from create to rm; container:X shares it`, { skip: rt === 'runc' ? runc?.skip ?? 'no runc' : false }, async () => {
      const cid = (await ok(d, ['create', '--runtime', rt, '--name', 'test1', '-ti', '--ipc=shareable', 'busybox', '/bin/sh'])).stdout.trim();
      const shm = join(d.root, 'containers', cid, 'mounts', 'shm');
      assert.ok(mountinfo().includes(`${cid}/mounts/shm`), 'the shm mount exists after create');
      assert.equal(await inspectField(d, 'test1', '{{.HostConfig.IpcMode}}'), 'shareable');
      await ok(d, ['start', 'test1']);
      const joined = (await ok(d, ['run', '-tid', '--runtime', rt, '--ipc', 'container:test1', 'busybox', 'sh'])).stdout.trim();
      const ns = async (ref: string) => readlinkSync(`/proc/${await inspectField(d, ref, '{{.State.Pid}}')}/ns/ipc`);
      assert.equal(await ns(joined), await ns('test1'));
      await ok(d, ['exec', 'test1', 'sh', '-c', 'echo shared > /dev/shm/x']);
      assert.equal((await ok(d, ['exec', joined, 'cat', '/dev/shm/x'])).stdout, 'shared\n', 'the joiner sees X\'s /dev/shm');
      assert.equal(readFileSync(join(shm, 'x'), 'utf8'), 'shared\n', 'it is the host-side tmpfs');
      // a default container keeps its /dev/shm to itself
      const own = (await ok(d, ['run', '-tid', '--runtime', rt, 'busybox', 'sh'])).stdout.trim();
      assert.notEqual((await d.isula(['exec', own, 'cat', '/dev/shm/x'])).code, 0);
      await ok(d, ['rm', '-f', joined, own]);
      await ok(d, ['rm', '-f', 'test1']);
      assert.equal(mountinfo().includes(`${cid}/mounts/shm`), false, 'no shm mount left after rm');
    });
  }
});
