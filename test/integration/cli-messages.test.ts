// Issue 13 item 6: messages in iSulad's wording where ours leaked internals.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { runIsula, startDaemon, type Daemon } from '../helpers/daemon.ts';
import { canRun, RUNTIMES, skipReason, until } from './container-fixture.ts';

test('load -i of a missing file: iSulad\'s "File <path> is not exist", exit 1, before any connection', async () => {
  const r = await runIsula(['-H', 'unix:///nonexistent/isulad.sock', 'load', '-i', 'missing-image.tar']);
  assert.equal(r.code, 1, r.stderr);
  assert.equal(r.stderr, `File ${resolve('missing-image.tar')} is not exist\n`);
});

describe('daemon-side failures', { skip: skipReason }, () => {
  let d: Daemon;
  before(async () => {
    if (canRun) d = await startDaemon();
  });
  after(async () => {
    if (canRun) await d.stop();
  });

  test('login to an unreachable registry is the daemon\'s answer (iSulad\'s "Error response from daemon", exit 1), not the client\'s connect failure', async () => {
    const r = await d.isula(['login', '-u', 'a', '--password-stdin', '127.0.0.1:1'], { input: 'b\n' });
    assert.equal(r.code, 1, r.stderr);
    assert.doesNotMatch(r.stderr, /Can not connect with server|Cannot connect/);
    assert.match(r.stderr, /Error response from daemon: .*127\.0\.0\.1:1/);
  });

  test('a daemon that dies mid-request is reported in iSulad\'s words ("Can not connect with server..."), not "No status received" or ECONNRESET', async () => {
    const p = d.isula(['run', '--name', 'mid', 'busybox', 'sleep', '100']);
    await until('mid running', async () => (await d.isula(['inspect', '-f', '{{.State.Status}}', 'mid'])).stdout.trim() === 'running');
    await d.kill9();
    const r = await p;
    assert.notEqual(r.code, 0);
    assert.doesNotMatch(r.stderr, /No status received|ECONNRESET/);
    assert.match(r.stderr, /^Can not connect with server\.Is the iSulad daemon running on the host\? \(unix:\/\/.*\)$/m);
    await d.restart();
    await d.isula(['rm', '-f', 'mid']);
  });

  for (const rt of RUNTIMES) {
    test(`a failed start on ${rt.name} names "start container" once, not twice`, { skip: rt.skip }, async () => {
      const r = await d.isula(['run', '--rm', '--runtime', rt.name, 'busybox', '/no-such-binary']);
      assert.notEqual(r.code, 0);
      assert.equal((r.stderr.match(/start container "/g) ?? []).length, 1, r.stderr);
    });
  }
});
