// iSulad CI, container_cases: seccomp.sh, against our CLI on one real daemon, on each runtime of
// RUNTIME_LIST (lcr, runc): the default profile, a customized profile without an arch map, and two
// profiles given at once (the last wins, as in iSulad). The filter is read from the kernel
// (/proc/<pid>/status) and its effect from a denied syscall inside.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Daemon } from '../helpers/daemon.ts';
import { RUNTIMES } from '../integration/container-fixture.ts';
import { inspectField, ok, skipReason, suiteDaemon } from './compat-fixture.ts';

const runc = RUNTIMES.find((r) => r.name === 'runc');

/** A profile without archMap/architectures that allows everything but the named syscalls. */
const denying = (...names: string[]) => JSON.stringify({ defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ names, action: 'SCMP_ACT_ERRNO', args: null }] }, null, 8);

async function seccompMode(d: Daemon, id: string): Promise<string | undefined> {
  const status = readFileSync(`/proc/${await inspectField(d, id, '{{.State.Pid}}')}/status`, 'utf8');
  return /^Seccomp:\s+(\d+)$/m.exec(status)?.[1];
}

describe('iSulad CI container_cases: seccomp', { skip: skipReason }, () => {
  let d: Daemon;
  suiteDaemon((started) => (d = started), { runtime: 'lcr' });

  for (const rt of ['lcr', 'runc'] as const) {
    test(`seccomp.sh on ${rt}: default profile, a customized profile, two profiles (the last wins)`, { skip: rt === 'runc' ? runc?.skip ?? 'no runc' : false }, async () => {
      const noMkdir = join(d.dir, `no-mkdir-${rt}.json`);
      const noGetcwd = join(d.dir, `no-getcwd-${rt}.json`);
      writeFileSync(noMkdir, denying('mkdir', 'mkdirat'));
      writeFileSync(noGetcwd, denying('getcwd'));
      // the engine's default profile (iSulad's script names its file /etc/isulad/seccomp_default.json)
      const cid1 = (await ok(d, ['run', '--runtime', rt, '-tid', 'busybox', 'sh'])).stdout.trim();
      assert.equal(await seccompMode(d, cid1), '2', 'a filter is loaded');
      await ok(d, ['exec', cid1, 'mkdir', '/made']);
      // a customized profile
      const cid2 = (await ok(d, ['run', '--runtime', rt, '-tid', '--security-opt', `seccomp=${noMkdir}`, 'busybox', 'sh'])).stdout.trim();
      assert.equal(await seccompMode(d, cid2), '2');
      const denied = await d.isula(['exec', cid2, 'mkdir', '/made']);
      assert.notEqual(denied.code, 0);
      assert.match(denied.stderr + denied.stdout, /Operation not permitted/);
      // iSulad's own customized profile denies getcwd; runc itself calls getcwd after loading the
      // filter (its working-directory check), so that profile is run on lcr only
      if (rt === 'lcr') {
        const cid = (await ok(d, ['run', '--runtime', rt, '-tid', '--security-opt', `seccomp=${noGetcwd}`, 'busybox', 'sh'])).stdout.trim();
        assert.match((await d.isula(['exec', cid, '/bin/pwd'])).stderr, /getcwd: Operation not permitted/);
        await ok(d, ['rm', '-f', cid]);
      }
      // two profiles: the last one is loaded
      const cid3 = (await ok(d, ['run', '--runtime', rt, '-tid', '--security-opt', `seccomp=${noGetcwd}`, '--security-opt', `seccomp=${noMkdir}`, 'busybox', 'sh'])).stdout.trim();
      assert.equal(await seccompMode(d, cid3), '2');
      assert.match((await d.isula(['exec', cid3, 'mkdir', '/made'])).stderr, /Operation not permitted/);
      assert.equal((await ok(d, ['exec', '-w', '/tmp', cid3, '/bin/pwd'])).stdout.trim(), '/tmp');
      await ok(d, ['stop', '-t', '0', cid1, cid2, cid3]);
      await ok(d, ['rm', '-f', cid1, cid2, cid3]);
    });
  }
});
