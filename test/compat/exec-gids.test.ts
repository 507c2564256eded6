// iSulad CI, container_cases: exec_additional_gids.sh, against our CLI on one real daemon, on each
// runtime of RUNTIME_LIST (lcr, runc). iSulad's script makes the user and groups in an ubuntu image
// with groupadd/useradd; the embedded busybox has a `user` (1000) already, so the extra group is
// written into its /etc/group. What the exec's process is, is read from its /proc/self/status.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Daemon } from '../helpers/daemon.ts';
import { RUNTIMES } from '../integration/container-fixture.ts';
import { ok, skipReason, suiteDaemon } from './compat-fixture.ts';

const runc = RUNTIMES.find((r) => r.name === 'runc');
const skipOf = (rt: string) => (rt === 'runc' ? runc?.skip ?? 'no runc' : false);
const SECRET = 'Keep it secret, keep it safe';

describe('iSulad CI container_cases: exec additional gids', { skip: skipReason }, () => {
  let d: Daemon;
  suiteDaemon((started) => (d = started), { runtime: 'lcr' });

  for (const rt of ['lcr', 'runc'] as const) {
    test(`exec_additional_gids.sh on ${rt}: a file of the user's group with no group permission stays unreadable to exec -u user`, { skip: skipOf(rt) }, async () => {
      const name = `add_gids_test_${rt}`;
      await ok(d, ['run', '-tid', '--runtime', rt, '-n', name, 'busybox', 'sh']);
      await ok(d, ['exec', name, 'sh', '-c', `echo additional:x:1001:user >> /etc/group && mkdir /app && chown user:user /app && echo '${SECRET}' > /app/sekrit.txt && chown 0:1000 /app/sekrit.txt && chmod 606 /app/sekrit.txt`]);
      const r = await d.isula(['exec', '-u', 'user', name, 'sh', '-c', 'grep -E "^(Uid|Gid):" /proc/self/status; cat /app/sekrit.txt'], { timeoutMs: 120_000 });
      // the user's own ids, from the container's /etc/passwd
      assert.match(r.stdout, /^Uid:\s+1000\s+1000\s+1000\s+1000$/m);
      assert.match(r.stdout, /^Gid:\s+1000\s+1000\s+1000\s+1000$/m);
      // group class applies (the file's group is the user's), and it grants nothing
      assert.notEqual(r.code, 0);
      assert.ok(!r.stdout.includes(SECRET), r.stdout);
      assert.match(r.stderr, /Permission denied/);
      await ok(d, ['rm', '-f', name]);
    });
  }
});
