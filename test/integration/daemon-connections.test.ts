// Issue 13 item 7: idle client connections are closed after the idle timeout, and connections
// past the cap are refused at accept, so idle clients cannot pin the daemon's fds. The figures
// are lowered through the environment (ISULAD_IDLE_CONNECTION_MS, ISULAD_MAX_CONNECTIONS).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as http2 from 'node:http2';
import { connect } from 'node:net';
import { readdirSync } from 'node:fs';
import { startDaemon, type Daemon } from '../helpers/daemon.ts';
import { until } from './container-fixture.ts';

const canRun = process.getuid?.() === 0;

describe('daemon connection limits', { skip: canRun ? false : 'needs root' }, () => {
  let d: Daemon;
  before(async () => {
    if (canRun) d = await startDaemon({ env: { ISULAD_IDLE_CONNECTION_MS: '1000', ISULAD_MAX_CONNECTIONS: '8' } });
  });
  after(async () => {
    if (canRun) await d.stop();
  });

  const fds = () => readdirSync(`/proc/${d.pid}/fd`).length;

  test('idle HTTP/2 clients are closed by the daemon after the idle timeout', async () => {
    const base = fds();
    const sessions = Array.from({ length: 5 }, () => http2.connect('http://localhost', { createConnection: () => connect(d.sock) }));
    const closed = sessions.map((s) => new Promise<void>((r) => s.once('close', () => r())));
    for (const s of sessions) s.on('error', () => undefined);
    await until('sessions connected', async () => sessions.every((s) => s.socket !== undefined && !s.connecting), 10_000);
    await Promise.race([Promise.all(closed), new Promise((_, rej) => setTimeout(() => rej(new Error('idle sessions were not closed')), 30_000))]);
    await until('daemon fds back', async () => fds() <= base, 10_000);
    assert.equal((await d.isula(['version'])).code, 0);
  });

  test('connections past the cap are closed at accept; the daemon keeps serving', async () => {
    const socks = Array.from({ length: 20 }, () => connect(d.sock));
    const ended = socks.map((s) => new Promise<boolean>((r) => {
      s.on('error', () => r(true));
      s.once('close', () => r(true));
      setTimeout(() => r(false), 3000);
    }));
    const results = await Promise.all(ended);
    const refused = results.filter(Boolean).length;
    assert.ok(refused >= 12, `${refused} of 20 connections closed (cap 8)`);
    for (const s of socks) s.destroy();
    await until('version answers', async () => (await d.isula(['version'])).code === 0, 30_000);
  });
});
