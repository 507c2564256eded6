// iSulad CI, container_cases: attach.sh, against our CLI on one real daemon, on lcr and runc: a session
// piped into `isula attach` of a -t container (`ls`, `exit`), the logs holding it, the refused
// attach to the stopped container; then the daemon must still stop on SIGTERM (it logged "iSulad
// stopped" and did not exit: the refused attach's stdin open of a FIFO nobody read blocked a libuv
// worker; runtime/fifo-writer.ts). On runc the piped input reaches the shell through a socat
// relay into conmon's attach socket; the relay was killed as soon as the client's input ended,
// often before socat had passed it on, and the attach did not return (runtime/oci/attach-relay.ts).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Daemon } from '../helpers/daemon.ts';
import { RUNTIMES } from '../integration/container-fixture.ts';
import { fails, ok, skipReason, state, suiteDaemon, until } from './compat-fixture.ts';

const runc = RUNTIMES.find((r) => r.name === 'runc');
const skipOf = (rt: string) => (rt === 'runc' ? runc?.skip ?? 'no runc' : false);

describe('iSulad CI container_cases: attach', { skip: skipReason }, () => {
  let d: Daemon;
  suiteDaemon((started) => (d = started), { runtime: 'lcr' });

  for (const rt of ['lcr', 'runc'] as const) {
    test(`attach.sh on ${rt}: a piped session, its logs, the refused attach to a stopped container, then SIGTERM stops the daemon`, { skip: skipOf(rt) }, async () => {
      const name = `attach_${rt}`;
      await ok(d, ['run', '-tid', '--name', name, '--runtime', rt, 'busybox', 'sh']);
      const r = await d.isula(['attach', name], { input: '\nls \nexit \n', timeoutMs: 60_000 });
      assert.notEqual(r.signal, 'SIGKILL', `attach returned: ${JSON.stringify(r)}`);
      await until('the container exited', async () => (await state(d, name)) === 'exited');
      const logs = (await ok(d, ['logs', name])).stdout;
      assert.equal(logs.split('\n').filter((l) => l.includes('ls')).length, 1, logs);
      assert.match((await fails(d, ['attach', name])).stderr, /You cannot attach to a stopped container, start it first/);
      await ok(d, ['rm', '-f', name]);
      // the daemon stops on SIGTERM (bounded: a hang fails the test instead of holding it)
      const stopped = await Promise.race([d.terminate(), new Promise<'hung'>((res) => setTimeout(() => res('hung'), 60_000).unref())]);
      if (stopped === 'hung') {
        const tail = d.log().split('\n').slice(-20).join('\n');
        await d.kill9();
        await d.restart();
        assert.fail(`the daemon did not exit after SIGTERM:\n${tail}`);
      }
      await d.restart();
    });
  }
});
