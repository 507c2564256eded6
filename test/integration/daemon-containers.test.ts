// The daemon's promise to containers: SIGTERM shuts isulad down cleanly and leaves every
// container running; the next boot finds them again. Real daemon, real LXC.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { startDaemon, type Daemon } from '../helpers/daemon.ts';
import { skipReason } from './container-fixture.ts';

describe('SIGTERM never stops containers', { skip: skipReason }, () => {
  let d: Daemon | undefined;
  after(async () => {
    if (!d) return;
    if (d.pid === undefined) await d.restart();
    await d.isula(['rm', '-f', 'survivor']);
    await d.stop();
  });

  test('a running container outlives a clean daemon shutdown and is adopted at the next boot', async () => {
    d = await startDaemon();
    await d.isulaOk(['run', '-d', '--name', 'survivor', 'busybox', 'sleep', '1000']);
    const pid = Number((await d.isulaOk(['inspect', '-f', '{{.State.Pid}}', 'survivor'])).trim());
    assert.ok(pid > 0 && existsSync(`/proc/${pid}`));

    const exit = await d.terminate();
    assert.deepEqual(exit, { code: 0, signal: null }, d.log());
    assert.ok(existsSync(`/proc/${pid}`), 'the container process is still alive with the daemon gone');
    assert.equal(existsSync(d.pidfile), false);

    await d.restart();
    assert.equal((await d.isulaOk(['inspect', '-f', '{{.State.Status}} {{.State.Pid}}', 'survivor'])).trim(), `running ${pid}`);
    const info = await d.isulaOk(['info']);
    assert.match(info, /\n Running: 1\n/);
  });
});
