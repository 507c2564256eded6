// iSulad CI, container_cases: bind_special_dir.sh, against our CLI on one real daemon, on each
// runtime of RUNTIME_LIST (lcr, runc).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Daemon } from '../helpers/daemon.ts';
import { RUNTIMES } from '../integration/container-fixture.ts';
import { fails, ok, skipReason, suiteDaemon } from './compat-fixture.ts';

const runc = RUNTIMES.find((r) => r.name === 'runc');

describe('iSulad CI container_cases: special mounts', { skip: skipReason }, () => {
  let d: Daemon;
  suiteDaemon((started) => (d = started), { runtime: 'lcr' });

  for (const rt of ['lcr', 'runc'] as const) {
    test(`bind_special_dir.sh on ${rt}: /sys/fs rw, /dev/pts rw${rt === 'lcr' ? ', /dev ro' : ''} bound in; /sys/fs/cgroup seen inside`, { skip: rt === 'runc' ? runc?.skip ?? 'no runc' : false }, async () => {
      // iSulad's script also binds /proc:/proc; this engine refuses a mount at or inside /proc for
      // every runtime (see docs/isulad-ci-cases.md), so that part checks the refusal
      const binds = ['-v', '/sys/fs:/sys/fs:rw', ...(rt === 'lcr' ? ['-v', '/dev:/dev:ro'] : []), '-v', '/dev/pts:/dev/pts:rw'];
      assert.match((await fails(d, ['run', '-itd', `--runtime=${rt}`, ...binds, '-v', '/proc:/proc', 'busybox', 'sh'])).stderr, /mount destination "\/proc" is not allowed/);
      const id = (await ok(d, ['run', '-itd', `--runtime=${rt}`, ...binds, 'busybox', 'sh'])).stdout.trim();
      assert.match((await ok(d, ['exec', '-it', id, 'sh', '-c', 'ls -al /sys/fs'])).stdout, /cgroup/);
      await ok(d, ['rm', '-f', id]);
    });
  }
});
