// The CLI's unix-socket connection without node:net (src/api/pipe-socket.ts) against a real
// net server: bytes both ways in order (writes queued before the connection included), 'drain'
// after a write libuv had to queue, end() as a half-close after the data, the peer's close, and
// connect errors with net's codes and messages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Socket } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { PipeSocket, pipeConnect } from '../../../src/api/pipe-socket.ts';

async function withServer(onConn: (s: Socket) => void, fn: (path: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'pipe-socket-'));
  const path = join(dir, 's.sock');
  const server = createServer(onConn);
  server.listen(path);
  await once(server, 'listening');
  try {
    await fn(path);
  } finally {
    server.close();
    await rm(dir, { recursive: true, force: true });
  }
}

test('pipeConnect uses the pipe handle on this Node', () => {
  const s = pipeConnect(join(tmpdir(), 'no-such-pipe-socket.sock'));
  s.on('error', () => undefined);
  assert.ok(s instanceof PipeSocket);
  s.destroy();
});

test('bytes both ways in order; a queued write drains; end() half-closes after the data', async () => {
  const big = Buffer.alloc(8 << 20);
  for (let i = 0; i < big.length; i++) big[i] = (i * 7 + (i >> 13)) & 0xff;
  let serverGot: Buffer | undefined;
  await withServer(
    (conn) => {
      const parts: Buffer[] = [];
      conn.write('hello from the server');
      conn.pause(); // the client's big write has to wait in libuv's queue
      setTimeout(() => conn.resume(), 50);
      conn.on('data', (d: Buffer) => parts.push(d));
      conn.on('end', () => {
        serverGot = Buffer.concat(parts);
        conn.end();
      });
    },
    async (path) => {
      const s = pipeConnect(path);
      const got: Buffer[] = [];
      s.on('data', (d: Buffer) => got.push(d));
      const closed = once(s, 'close');
      assert.equal(s.write(Buffer.from('early|')), true); // before the connection: kept
      await once(s, 'connect');
      // 8 MiB cannot fit a unix socket's buffer: libuv queues the rest, 'drain' follows
      assert.equal(s.write(big), false);
      await once(s, 'drain');
      s.write(Buffer.from('|last'));
      s.end();
      await closed;
      assert.equal(Buffer.concat(got).toString(), 'hello from the server');
      assert.ok(serverGot);
      assert.equal(serverGot.length, 6 + big.length + 5);
      assert.equal(serverGot.subarray(0, 6).toString(), 'early|');
      assert.ok(serverGot.subarray(6, 6 + big.length).equals(big));
      assert.equal(serverGot.subarray(6 + big.length).toString(), '|last');
    },
  );
});

test('the peer closing ends the socket with close and no error', async () => {
  await withServer(
    (conn) => conn.end('bye'),
    async (path) => {
      const s = pipeConnect(path);
      let err: Error | undefined;
      s.on('error', (e: Error) => (err = e));
      const data: Buffer[] = [];
      s.on('data', (d: Buffer) => data.push(d));
      await once(s, 'close');
      assert.equal(err, undefined);
      assert.equal(Buffer.concat(data).toString(), 'bye');
    },
  );
});

test('connect errors carry net.Socket codes and messages', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'pipe-socket-'));
  try {
    const missing = join(dir, 'missing.sock');
    const s = pipeConnect(missing);
    const events: string[] = [];
    let err: NodeJS.ErrnoException | undefined;
    s.on('error', (e: NodeJS.ErrnoException) => (events.push('error'), (err = e)));
    s.on('connect', () => events.push('connect'));
    await new Promise((resolve) => s.on('close', resolve)); // events.once would reject on 'error'
    events.push('close');
    assert.deepEqual(events, ['error', 'close']);
    assert.equal(err?.code, 'ENOENT');
    assert.equal(err?.syscall, 'connect');
    assert.equal(err?.message, `connect ENOENT ${missing}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
