// iSulad CI, container_cases: health_check.sh, against our CLI on one real daemon, on each runtime
// of RUNTIME_LIST (lcr, runc), with the script's flag values. The states are polled (bounded, no
// timing assertion); the kill -9 of the container's init is by the pid inspect gives.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Daemon } from '../helpers/daemon.ts';
import { RUNTIMES } from '../integration/container-fixture.ts';
import { fails, inspectField, ok, skipReason, suiteDaemon, until } from './compat-fixture.ts';

const runc = RUNTIMES.find((r) => r.name === 'runc');
const skipOf = (rt: string) => (rt === 'runc' ? runc?.skip ?? 'no runc' : false);

describe('iSulad CI container_cases: health checks', { skip: skipReason }, () => {
  let d: Daemon;
  suiteDaemon((started) => (d = started), { runtime: 'lcr' });

  const field = (name: string, tpl: string) => inspectField(d, name, tpl);
  const reaches = (name: string, tpl: string, want: string) => until(`${name} ${tpl} = ${want}`, async () => (await field(name, tpl)) === want, 90_000);

  test('health_check.sh: a runtime that does not exist is refused (the script\'s kata-runtime)', async () => {
    const r = await fails(d, ['run', '-itd', '--runtime', 'kata-runtime', '-n', 'health_check_invalid_runtime', '--health-cmd', 'date', '--health-interval', '5s', 'busybox', '/bin/sh']);
    assert.match(r.stderr, /kata-runtime/);
    assert.equal((await ok(d, ['ps', '-a', '-q', '--filter', 'name=health_check_invalid_runtime'])).stdout.trim(), '');
  });

  for (const rt of ['lcr', 'runc'] as const) {
    test(`health_check.sh on ${rt}: retries and start period, exit on unhealthy (137); a healthy one killed; a probe timeout; a long timeout accepted`, { skip: skipOf(rt) }, async () => {
      // test_health_check_invalid_paraments: an 11 min timeout is accepted
      const long = `health_check_invalid_para_${rt}`;
      await ok(d, ['run', '-itd', '--runtime', rt, '-n', long, '--health-cmd', 'echo "iSulad" ; exit 1', '--health-interval', '5s', '--health-timeout', '11m',
        '--health-start-period', '8s', '--health-exit-on-unhealthy', 'busybox', '/bin/sh']);
      assert.equal(await field(long, '{{.State.Health.Status}}'), 'starting');
      await ok(d, ['rm', '-f', long]);

      // test_health_check_paraments: failing probes within the start period do not count; then
      // two failures make it unhealthy and --health-exit-on-unhealthy kills it
      const para = `health_check_para_${rt}`;
      await ok(d, ['run', '-itd', '--runtime', rt, '-n', para, '--health-cmd', 'echo "iSulad" ; exit 1', '--health-interval', '5s', '--health-retries', '2',
        '--health-start-period', '8s', '--health-exit-on-unhealthy', 'busybox', '/bin/sh']);
      assert.equal(await field(para, '{{.State.Status}}'), 'running');
      assert.equal(await field(para, '{{.State.Health.Status}}'), 'starting');
      await reaches(para, '{{.State.Status}}', 'exited');
      assert.equal(await field(para, '{{.State.Health.Status}}'), 'unhealthy');
      assert.equal(await field(para, '{{.State.Health.FailingStreak}}'), '2');
      assert.equal(await field(para, '{{.State.ExitCode}}'), '137');
      assert.match(await field(para, '{{json .State.Health.Log}}'), /iSulad/);
      await ok(d, ['rm', '-f', para]);

      // test_health_check_normally: `date` passes; the init killed -9: unhealthy, 137
      const normal = `health_check_normally_${rt}`;
      await ok(d, ['run', '-itd', '--runtime', rt, '-n', normal, '--health-cmd', 'date', '--health-interval', '5s', 'busybox', '/bin/sh']);
      await reaches(normal, '{{.State.Health.Status}}', 'healthy');
      process.kill(Number(await field(normal, '{{.State.Pid}}')), 'SIGKILL');
      await reaches(normal, '{{.State.Status}}', 'exited');
      assert.equal(await field(normal, '{{.State.ExitCode}}'), '137');
      assert.equal(await field(normal, '{{.State.Health.Status}}'), 'unhealthy');
      await ok(d, ['rm', '-f', normal]);

      // test_health_check_timeout: a 5 s probe under a 1 s timeout fails; one retry; exit 137
      const slow = `health_check_timeout_${rt}`;
      await ok(d, ['run', '-itd', '--runtime', rt, '-n', slow, '--health-cmd', 'sleep 5', '--health-interval', '5s', '--health-timeout', '1s',
        '--health-retries', '1', '--health-exit-on-unhealthy', 'busybox', '/bin/sh']);
      await reaches(slow, '{{.State.Status}}', 'exited');
      assert.equal(await field(slow, '{{.State.Health.Status}}'), 'unhealthy');
      assert.equal(await field(slow, '{{.State.ExitCode}}'), '137');
      await ok(d, ['rm', '-f', slow]);
    });
  }
});
