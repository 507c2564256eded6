// The sd_notify relay against a datagram socket the test owns (path and abstract names).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openNotifier } from '../../../src/daemon/notify.ts';
import { listenNotify } from '../../helpers/notify-socket.ts';

test('no NOTIFY_SOCKET, or not a unix one: no notifier', () => {
  assert.equal(openNotifier(undefined), undefined);
  assert.equal(openNotifier(''), undefined);
  assert.equal(openNotifier('vsock:2:1234'), undefined);
});

for (const kind of ['path', 'abstract'] as const) {
  test(`messages reach a ${kind} socket as one datagram each, in order`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'notify-'));
    const address = kind === 'path' ? join(dir, 'notify.sock') : `@isulad-test-notify-${process.pid}`;
    const l = await listenNotify(address);
    try {
      const n = openNotifier(address);
      assert.ok(n);
      n.send('READY=1\nMAINPID=42');
      n.send('STOPPING=1');
      assert.equal(await l.next(), 'READY=1\nMAINPID=42');
      assert.equal(await l.next(), 'STOPPING=1');
      await n.close();
    } finally {
      l.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

test('a relay that cannot start does not throw', async () => {
  const n = openNotifier('/nonexistent/notify.sock', '/nonexistent/perl');
  assert.ok(n);
  n.send('READY=1');
  await n.close();
});
