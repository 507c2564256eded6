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
      const r = await d.isula(['exec', '-u', 'user', name, 'sh', '-c', 'grep -E "^(Uid|Gid|Groups):" /proc/self/status; id; cat /app/sekrit.txt'], { timeoutMs: 120_000 });
      // the user's own ids, from the container's /etc/passwd
      assert.match(r.stdout, /^Uid:\s+1000\s+1000\s+1000\s+1000$/m);
      assert.match(r.stdout, /^Gid:\s+1000\s+1000\s+1000\s+1000$/m);
      // its supplementary groups, from the container's /etc/group as it is now (the line the exec
      // above added), with the primary gid itself (iSulad: a newgrp cannot shed the user's group;
      // the script's `newgrp additional` step): the kernel's list and id(1)'s
      assert.match(r.stdout, /^Groups:\s+1000 1001\s*$/m);
      assert.match(r.stdout, /groups=1000\(user\),1001\(additional\)/);
      // group class applies (the file's group is the user's), and it grants nothing
      assert.notEqual(r.code, 0);
      assert.ok(!r.stdout.includes(SECRET), r.stdout);
      assert.match(r.stderr, /Permission denied/);
      // a second group by --group-add joins them; root keeps no groups of its own
      await ok(d, ['rm', '-f', name]);
      await ok(d, ['run', '-tid', '--runtime', rt, '--group-add', '2000', '-n', name, 'busybox', 'sh']);
      await ok(d, ['exec', name, 'sh', '-c', 'echo additional:x:1001:user >> /etc/group']);
      const g = (await ok(d, ['exec', '-u', 'user', name, 'grep', '^Groups:', '/proc/self/status'])).stdout;
      assert.match(g, /^Groups:\s+1000 1001 2000\s*$/m);
      const root = (await ok(d, ['exec', name, 'grep', '^Groups:', '/proc/self/status'])).stdout;
      assert.match(root, /^Groups:\s+2000\s*$/m);
      await ok(d, ['rm', '-f', name]);
    });

    test(`exec_additional_gids.sh on ${rt}: run -u user has the user's groups from the image's /etc/group`, { skip: skipOf(rt) }, async () => {
      // busybox's /etc/group lists nobody as a member of anything; a `user` member of a group is
      // made by commit: an image whose /etc/group has `additional:x:1001:user`
      const base = `add_gids_base_${rt}`;
      await ok(d, ['run', '-tid', '--runtime', rt, '-n', base, 'busybox', 'sh']);
      await ok(d, ['exec', base, 'sh', '-c', 'echo additional:x:1001:user >> /etc/group']);
      await ok(d, ['commit', base, `gids-${rt}:1`]);
      await ok(d, ['rm', '-f', base]);
      const out = (await ok(d, ['run', '--rm', '--runtime', rt, '-u', 'user', `gids-${rt}:1`, 'sh', '-c', 'grep -E "^(Gid|Groups):" /proc/self/status; id'])).stdout;
      assert.match(out, /^Gid:\s+1000\s+1000\s+1000\s+1000$/m);
      assert.match(out, /^Groups:\s+1000 1001\s*$/m);
      assert.match(out, /groups=1000\(user\),1001\(additional\)/);
      await ok(d, ['rmi', `gids-${rt}:1`]);
    });
  }
});
