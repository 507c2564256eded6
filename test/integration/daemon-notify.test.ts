// isulad under a Type=notify unit: READY=1 arrives on $NOTIFY_SOCKET only once the API socket
// serves, STOPPING=1 when SIGTERM starts the shutdown, and the tools the daemon spawns do not see
// NOTIFY_SOCKET. The socket is one the test owns (test/helpers/notify-socket.ts).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDaemon } from '../helpers/daemon.ts';
import { listenNotify } from '../helpers/notify-socket.ts';

const dir = mkdtempSync(join(tmpdir(), 'isulad-notify-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('READY=1 once the socket serves, STOPPING=1 on SIGTERM', async () => {
  const l = await listenNotify(join(dir, 'notify.sock'));
  const d = await startDaemon({ env: { NOTIFY_SOCKET: l.address }, waitReady: false });
  try {
    const ready = await l.next(120_000);
    assert.match(ready, /^READY=1\nMAINPID=\d+$/);
    assert.equal(Number(ready.split('=').pop()), d.pid, 'MAINPID is the daemon itself');
    // No retry: the daemon said it is ready, so the first call must be served.
    const r = await d.isula(['version']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Server:/);
    // The daemon drops NOTIFY_SOCKET from its environment after reading it: no container sees it.
    const run = await d.isula(['run', '--rm', 'busybox', 'env']);
    assert.equal(run.code, 0, run.stderr);
    assert.doesNotMatch(run.stdout, /NOTIFY_SOCKET/);
    await d.terminate();
    assert.equal(await l.next(), 'STOPPING=1');
  } finally {
    await d.stop();
    l.close();
  }
});
