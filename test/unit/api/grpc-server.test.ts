// The daemon's gRPC server (src/api/grpc-server.ts) with grpc-js as an independent client: the
// statuses it owes a client (unknown method, undecodable or oversized message), grpc-timeout
// (the handler sees the call cancelled), a bad message on a bidi call (cancelled too), a client
// compressing with gzip,
// and the grpc-message / grpc-timeout encodings.
import '../../helpers/proto-text-hooks.ts';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';

const { createGrpcServer, bindHosts, shutdownServer } = await import('../../../src/api/server.ts');
const { encodeGrpcMessage, parseTimeout } = await import('../../../src/api/grpc-server.ts');
const { isulaGrpc } = await import('../../helpers/grpc-clients.ts');

type Any = Record<string, unknown>;

async function withServer(
  handlers: grpc.UntypedServiceImplementation,
  body: (sock: string) => Promise<void>,
  opts: Parameters<typeof createGrpcServer>[1] = {},
): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'grpc-server-'));
  const sock = `unix://${join(dir, 'd.sock')}`;
  const server = createGrpcServer(undefined, opts);
  server.addService(isulaGrpc().containers.ContainerService.service, handlers);
  await bindHosts(server, [sock], {});
  try {
    await body(sock);
  } finally {
    await shutdownServer(server, 100);
    await rm(dir, { recursive: true, force: true });
  }
}

function rawUnary(client: grpc.Client, path: string, body: Buffer, opts: grpc.CallOptions = {}): Promise<{ err: grpc.ServiceError | null; res?: Buffer }> {
  return new Promise((resolve) =>
    client.makeUnaryRequest(path, (b: Buffer) => b, (b: Buffer) => b, body, new grpc.Metadata(), opts, (err, res) => resolve({ err, res: res as Buffer | undefined })),
  );
}

test('grpc-message encoding and grpc-timeout parsing', () => {
  assert.equal(encodeGrpcMessage('plain text: ok'), 'plain text: ok');
  assert.equal(encodeGrpcMessage('100% ü\n'), '100%25 %C3%BC%0A');
  assert.equal(decodeURIComponent(encodeGrpcMessage('No such container: ünïcode %')), 'No such container: ünïcode %');
  // HTTP/2 drops a header value with a space at an edge: the client would see no message
  assert.equal(encodeGrpcMessage('No such volume: '), 'No such volume:%20');
  assert.equal(encodeGrpcMessage(' x y'), '%20x y');
  assert.equal(decodeURIComponent(encodeGrpcMessage(' ')), ' ');
  assert.equal(parseTimeout('5S'), 5000);
  assert.equal(parseTimeout('250m'), 250);
  assert.equal(parseTimeout('2M'), 120_000);
  assert.equal(parseTimeout('1000u'), 1);
  assert.equal(parseTimeout('5s'), undefined);
  assert.equal(parseTimeout('123456789S'), undefined, 'at most 8 digits');
});

test('unknown method and unregistered handler: UNIMPLEMENTED; an undecodable body: INTERNAL; the server goes on', { timeout: 30_000 }, async () => {
  await withServer({ Version: (_c: unknown, cb: grpc.sendUnaryData<Any>) => cb(null, { version: 'v' }) }, async (sock) => {
    const client = new grpc.Client(sock, grpc.credentials.createInsecure());
    try {
      const none = await rawUnary(client, '/containers.ContainerService/NoSuchRpc', Buffer.alloc(0));
      assert.equal(none.err?.code, grpc.status.UNIMPLEMENTED);
      const unset = await rawUnary(client, '/containers.ContainerService/Info', Buffer.alloc(0));
      assert.equal(unset.err?.code, grpc.status.UNIMPLEMENTED);
      const bad = await rawUnary(client, '/containers.ContainerService/Version', Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f]));
      assert.equal(bad.err?.code, grpc.status.INTERNAL);
      const ok = await rawUnary(client, '/containers.ContainerService/Version', Buffer.alloc(0));
      assert.equal(ok.err, null);
      assert.ok(ok.res && ok.res.length > 0);
    } finally {
      client.close();
    }
  });
});

test('an error message with a space at its end reaches the client whole', { timeout: 30_000 }, async () => {
  const fail = (message: string) => Object.assign(new Error(message), { code: grpc.status.NOT_FOUND, details: message });
  await withServer({ Version: (_c: unknown, cb: grpc.sendUnaryData<Any>) => cb(fail('No such volume: ')) }, async (sock) => {
    const client = new grpc.Client(sock, grpc.credentials.createInsecure());
    try {
      const r = await rawUnary(client, '/containers.ContainerService/Version', Buffer.alloc(0));
      assert.equal(r.err?.code, grpc.status.NOT_FOUND);
      assert.equal(r.err?.details, 'No such volume: ');
    } finally {
      client.close();
    }
  });
});

test('a message over the receive limit: RESOURCE_EXHAUSTED before the handler runs', { timeout: 30_000 }, async () => {
  let ran = false;
  await withServer({ Version: (_c: unknown, cb: grpc.sendUnaryData<Any>) => ((ran = true), cb(null, {})) }, async (sock) => {
    const client = new grpc.Client(sock, grpc.credentials.createInsecure());
    try {
      const r = await rawUnary(client, '/containers.ContainerService/Version', Buffer.alloc(4096, 1));
      assert.equal(r.err?.code, grpc.status.RESOURCE_EXHAUSTED);
      assert.match(r.err?.details ?? '', /larger than max/);
      assert.equal(ran, false);
    } finally {
      client.close();
    }
  }, { maxReceiveBytes: 1024 });
});

test('a call past its deadline: DEADLINE_EXCEEDED, the handler sees it cancelled and has its deadline', { timeout: 30_000 }, async () => {
  let cancelled!: () => void;
  const seen = new Promise<void>((r) => (cancelled = r));
  let deadline = 0;
  await withServer({
    Wait: (call: grpc.ServerUnaryCall<Any, Any>) => {
      deadline = Number(call.getDeadline());
      call.on('cancelled', () => cancelled());
    },
  }, async (sock) => {
    const client = new (isulaGrpc().containers.ContainerService)(sock, grpc.credentials.createInsecure());
    try {
      const err = await new Promise<grpc.ServiceError | null>((resolve) =>
        client.Wait({ id: 'x' }, new grpc.Metadata(), { deadline: Date.now() + 300 }, (e) => resolve(e)),
      );
      assert.equal(err?.code, grpc.status.DEADLINE_EXCEEDED);
      await seen;
      assert.ok(deadline > Date.now() - 60_000 && deadline < Date.now() + 60_000, 'getDeadline() is the absolute time');
    } finally {
      client.close();
    }
  });
});

test('a bidi call whose client sends an undecodable message: INTERNAL to the client, the handler sees it cancelled', { timeout: 30_000 }, async () => {
  let cancelled!: () => void;
  const seen = new Promise<void>((r) => (cancelled = r));
  await withServer({
    // a handler that waits for the end of its input (as RemoteExec's stdin does) and never ends on its own
    Attach: (call: grpc.ServerDuplexStream<Any, Any>) => {
      call.on('cancelled', () => cancelled());
      call.on('data', () => undefined);
      call.on('error', () => undefined);
    },
  }, async (sock) => {
    const client = new grpc.Client(sock, grpc.credentials.createInsecure());
    try {
      const stream = client.makeBidiStreamRequest('/containers.ContainerService/Attach', (b: Buffer) => b, (b: Buffer) => b, new grpc.Metadata());
      const ended = new Promise<grpc.StatusObject>((r) => stream.on('status', r));
      stream.on('error', () => undefined);
      stream.on('data', () => undefined);
      stream.write(Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f])); // and no half-close
      assert.equal((await ended).code, grpc.status.INTERNAL);
      await seen;
    } finally {
      client.close();
    }
  });
});

test('a client with gzip compression on (grpc-encoding: gzip) is served', { timeout: 30_000 }, async () => {
  await withServer({
    Version: (call: grpc.ServerUnaryCall<Any, Any>, cb: grpc.sendUnaryData<Any>) => cb(null, { version: `got ${String(call.metadata.get('x-n')[0])}` }),
    CopyToContainer: (call: grpc.ServerReadableStream<Any, Any>, cb: grpc.sendUnaryData<Any>) => {
      let n = 0;
      call.on('data', (m: Any) => (n += (m['data'] as Buffer).length));
      call.on('end', () => cb(null, { finish: n === 3 * 100_000 }));
    },
  }, async (sock) => {
    const client = new (isulaGrpc().containers.ContainerService)(sock, grpc.credentials.createInsecure(), {
      'grpc.default_compression_algorithm': 2, // gzip
    });
    try {
      const md = new grpc.Metadata();
      md.set('x-n', '7');
      const v = await new Promise<Any>((resolve, reject) => client.Version({}, md, (e, r) => (e ? reject(e) : resolve(r as unknown as Any))));
      assert.equal(v['version'], 'got 7');
      const res = await new Promise<Any>((resolve, reject) => {
        const up = client.CopyToContainer((e, r) => (e ? reject(e) : resolve(r as unknown as Any)));
        for (let i = 0; i < 3; i++) up.write({ data: Buffer.alloc(100_000, i) });
        up.end();
      });
      assert.equal(res['finish'], true);
    } finally {
      client.close();
    }
  });
});
