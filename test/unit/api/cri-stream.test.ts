import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { PassThrough, Writable } from 'node:stream';
import zlib from 'node:zlib';
import { SPDY3_DICTIONARY } from '../../../src/api/cri/stream/spdy-dictionary.ts';
import { decodeHeaderBlock, encodeHeaderBlock, SpdyConnection } from '../../../src/api/cri/stream/spdy.ts';
import { exitStatus, negotiate, StreamServer } from '../../../src/api/cri/stream/server.ts';
import type { PodService } from '../../../src/services/pods/service.ts';
import { parseCriLogLine, type OutputChunk } from '../../../src/services/pods/streams.ts';
import { WebSocket } from 'ws';

test('the SPDY/3 dictionary is the spec one (1423 bytes, known digest)', () => {
  assert.equal(SPDY3_DICTIONARY.length, 1423);
  assert.equal(createHash('sha256').update(SPDY3_DICTIONARY).digest('hex'), '51d27341373f923f3cd88e1eb7162aeaa3723d7585ff2399201dc06498407f02');
});

test('header blocks round-trip, names lower-cased', () => {
  const b = encodeHeaderBlock({ StreamType: 'stdout', port: '80' });
  assert.deepEqual(decodeHeaderBlock(b), { streamtype: 'stdout', port: '80' });
});

test('protocol negotiation prefers ours in order', () => {
  assert.equal(negotiate(['channel.k8s.io', 'v4.channel.k8s.io'], ['v4.channel.k8s.io', 'channel.k8s.io']), 'v4.channel.k8s.io');
  assert.equal(negotiate('v2.channel.k8s.io, channel.k8s.io', ['v4.channel.k8s.io', 'v2.channel.k8s.io']), 'v2.channel.k8s.io');
  assert.equal(negotiate(undefined, ['portforward.k8s.io']), '');
});

test('v4 exit status', () => {
  assert.deepEqual(JSON.parse(exitStatus(0, ['x'])), { metadata: {}, status: 'Success' });
  const f = JSON.parse(exitStatus(3, ['sh']));
  assert.equal(f.reason, 'NonZeroExitCode');
  assert.equal(f.details.causes[0].message, '3');
});

test('CRI log lines', () => {
  assert.deepEqual(parseCriLogLine('2026-01-01T00:00:00.1Z stdout F hi there'), { stream: 'stdout', data: Buffer.from('hi there\n') });
  assert.deepEqual(parseCriLogLine('2026-01-01T00:00:00.1Z stderr P part'), { stream: 'stderr', data: Buffer.from('part') });
  assert.equal(parseCriLogLine('garbage'), undefined);
});

test('SYN_STREAM with spdystream-style headers (no :method/:path) opens a stream; SYN_REPLY and DATA go back', async () => {
  const wire = new PassThrough();
  const back: Buffer[] = [];
  const socket = Object.assign(new PassThrough(), {});
  socket.on('data', () => undefined);
  const fakeSocket = new (class extends PassThrough {
    override _write(c: Buffer, _e: BufferEncoding, cb: () => void) { back.push(c); cb(); }
  })();
  const conn = new SpdyConnection(fakeSocket);
  const got = new Promise<{ headers: Record<string, string>; data: string }>((resolve) => {
    conn.on('stream', (s) => {
      let data = '';
      s.on('data', (c: Buffer) => (data += c.toString()));
      s.on('end', () => resolve({ headers: s.headers, data }));
      void s.reply();
      s.end('pong');
    });
  });
  // client side: one SYN_STREAM (id 1) then a DATA frame with FIN
  const deflate = zlib.createDeflate({ dictionary: SPDY3_DICTIONARY });
  const block = await new Promise<Buffer>((resolve) => {
    const out: Buffer[] = [];
    deflate.on('data', (c: Buffer) => out.push(c));
    deflate.write(encodeHeaderBlock({ streamtype: 'stdin', requestid: '0' }));
    deflate.flush(zlib.constants.Z_SYNC_FLUSH, () => resolve(Buffer.concat(out)));
  });
  const body = Buffer.concat([Buffer.from([0, 0, 0, 1, 0, 0, 0, 0, 0, 0]), block]);
  const syn = Buffer.alloc(8);
  syn.writeUInt16BE(0x8003, 0);
  syn.writeUInt16BE(1, 2);
  syn.writeUInt32BE(body.length, 4);
  const data = Buffer.alloc(8);
  data.writeUInt32BE(1, 0);
  data.writeUInt32BE((0x01 << 24) | 4, 4);
  fakeSocket.emit('data', Buffer.concat([syn, body, data, Buffer.from('ping')]));
  const r = await got;
  assert.equal(r.headers['streamtype'], 'stdin');
  assert.equal(r.data, 'ping');
  // the reply's header block is compressed asynchronously: wait (bounded) for the DATA frame, not a fixed time
  for (let i = 0; i < 500 && !Buffer.concat(back).includes(Buffer.from('pong')); i++) await new Promise((res) => setTimeout(res, 20));
  const out = Buffer.concat(back);
  // first frame we send is a WINDOW_UPDATE pair or the SYN_REPLY; somewhere there is SYN_REPLY (type 2) and DATA "pong" with FIN
  assert.ok(out.includes(Buffer.from('pong')));
  let o = 0;
  const types: string[] = [];
  while (o + 8 <= out.length) {
    const len = out.readUInt32BE(o + 4) & 0xffffff;
    types.push(out[o]! & 0x80 ? `c${out.readUInt16BE(o + 2)}` : `d${out[o + 4]}`);
    o += 8 + len;
  }
  assert.ok(types.includes('c2'), types.join(','));
  assert.ok(types.indexOf('c2') < types.lastIndexOf('d1'), types.join(','));
  conn.close();
  wire.destroy();
  socket.destroy();
});

test('attach over WebSocket: the container output reader is placed before the client input goes in (v5 input and close sent on open)', async () => {
  // A fake container whose answer to input is written at once, and whose output reader is slow
  // to place itself when input already flows (as the CRI log's size was read late under load):
  // an attach that passed the input on before the reader was placed lost the answer.
  const log: Buffer[] = [];
  const listeners = new Set<() => void>();
  let piped = false;
  let firstWrite: () => void = () => undefined;
  const wrote = new Promise<void>((r) => (firstWrite = r));
  const stdin = new Writable({
    write(chunk: Buffer, _enc, cb) {
      log.push(Buffer.concat([Buffer.from('answer to '), chunk]));
      for (const l of listeners) l();
      firstWrite();
      cb();
    },
  });
  stdin.on('pipe', () => (piped = true));
  const target = {
    id: 'c'.repeat(64),
    tty: false,
    stdin,
    async follow(emit: (c: OutputChunk) => void, signal: AbortSignal) {
      await new Promise((r) => setImmediate(r));
      if (piped) await wrote;
      let pos = log.length;
      const flush = () => { while (pos < log.length) emit({ stream: 'stdout', data: log[pos++]! }); };
      listeners.add(flush);
      const done = new Promise<void>((r) => signal.addEventListener('abort', () => { listeners.delete(flush); r(); }, { once: true }));
      return { done };
    },
    wait: (signal: AbortSignal) => new Promise<number>((_res, rej) => signal.addEventListener('abort', () => rej(new Error('aborted')), { once: true })),
  };
  const pods = { attachTarget: () => target } as unknown as PodService;
  const server = new StreamServer(pods);
  await server.start('127.0.0.1', 0);
  try {
    const url = server.url({ kind: 'attach', containerId: target.id, tty: false, stdin: true, stdout: true, stderr: true });
    const ws = new WebSocket(url.replace(/^http/, 'ws'), ['v5.channel.k8s.io']);
    const out = new Map<number, string>();
    ws.on('message', (d: Buffer) => { if (d.length > 0) out.set(d[0]!, (out.get(d[0]!) ?? '') + d.subarray(1).toString()); });
    ws.on('open', () => {
      ws.send(Buffer.from([0, ...Buffer.from('hello\n')]));
      ws.send(Buffer.from([255, 0]));
    });
    await new Promise<void>((resolve, reject) => {
      ws.on('close', () => resolve());
      ws.on('error', reject);
    });
    assert.equal(out.get(1), 'answer to hello\n');
    assert.equal(JSON.parse(out.get(3) ?? '{}').status, 'Success');
    assert.ok(stdin.writableEnded, "the session's stdin writer is closed");
  } finally {
    await server.close();
  }
});
