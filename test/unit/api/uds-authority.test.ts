// Clients that send the unix socket path as `:authority` (grpc-go < 1.53: kubelet/crictl/critest
// of Kubernetes 1.26). Node's HTTP/2 server resets such a stream with PROTOCOL_ERROR; with the
// screen of api/uds-authority.ts in front, the daemon's server serves it. Its real server on a real
// unix socket; the clients are Node's own and a bare grpc-go-like one (test/helpers/raw-h2.ts).
import '../../helpers/proto-text-hooks.ts';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http2 from 'node:http2';
import { connect, createServer, type Socket } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import * as grpc from '@grpc/grpc-js';
import { rawGrpcCalls } from '../../helpers/raw-h2.ts';
import { authorityAccepted, screenConnection } from '../../../src/api/uds-authority.ts';

const { createGrpcServer, bindHosts, shutdownServer } = await import('../../../src/api/server.ts');

const PATH = '/test.Echo/Echo';
const echoService: grpc.ServiceDefinition = {
  Echo: {
    path: PATH,
    requestStream: false,
    responseStream: false,
    requestSerialize: (b: Buffer) => b,
    requestDeserialize: (b: Buffer) => b,
    responseSerialize: (b: Buffer) => b,
    responseDeserialize: (b: Buffer) => b,
  },
};

async function echoServer(t: { after(fn: () => unknown): void }, screened: boolean): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'uds-auth-'));
  const sock = join(dir, 'x.sock');
  const server = createGrpcServer(undefined, { screenUnix: screened, idleConnectionMs: 5_000 });
  server.addService(echoService, { Echo: (call: grpc.ServerUnaryCall<Buffer, Buffer>, cb: grpc.sendUnaryData<Buffer>) => cb(null, Buffer.concat([Buffer.from('echo:'), call.request])) });
  await bindHosts(server, [`unix://${sock}`], {});
  t.after(async () => {
    await shutdownServer(server, 100);
    await rm(dir, { recursive: true, force: true });
  });
  return sock;
}

/** Node's client, which sends its request without waiting for the server's SETTINGS */
function nodeCall(sock: string, authority: string): Promise<{ grpcStatus?: string; data: string; rst?: number }> {
  return new Promise((resolve) => {
    const session = http2.connect('http://localhost', { createConnection: () => connect(sock) });
    session.on('error', () => undefined);
    const req = session.request({ ':method': 'POST', ':path': PATH, ':authority': authority, 'content-type': 'application/grpc', te: 'trailers' });
    const out: Buffer[] = [];
    let grpcStatus: string | undefined;
    req.on('data', (d: Buffer) => out.push(d));
    req.on('trailers', (h) => (grpcStatus = String(h['grpc-status'])));
    req.on('error', () => undefined);
    req.on('close', () => {
      session.destroy();
      resolve({ grpcStatus, data: Buffer.concat(out).subarray(5).toString(), rst: req.rstCode || undefined });
    });
    req.end(Buffer.from([0, 0, 0, 0, 2, 0x68, 0x69]));
  });
}

test('authority characters: what nghttp2 accepts', { timeout: 60_000 }, () => {
  for (const ok of ['localhost', '127.0.0.1:80', '%2Frun%2Fisulad.sock', '[::1]:1', '']) assert.ok(authorityAccepted(ok), ok);
  for (const bad of ['/run/isulad.sock', 'a b', 'x/y', 'a"b']) assert.ok(!authorityAccepted(bad), bad);
});

test('without the screen, Node resets a request whose :authority is the socket path (the bug)', { timeout: 60_000 }, async (t) => {
  const sock = await echoServer(t, false);
  const r = await rawGrpcCalls(sock, { path: PATH, authority: sock, message: Buffer.from('hi') });
  assert.equal(r[0]!.rst, http2.constants.NGHTTP2_PROTOCOL_ERROR);
});

test('a grpc-go-like client with the socket path as :authority is served, twice on one connection', { timeout: 60_000 }, async (t) => {
  const sock = await echoServer(t, true);
  const r = await rawGrpcCalls(sock, { path: PATH, authority: sock, message: Buffer.from('hi'), calls: 2 });
  for (const x of r) {
    assert.equal(x.rst, undefined);
    assert.equal(x.status, '200');
    assert.equal(x.grpcStatus, '0');
    assert.equal(x.data.toString(), 'echo:hi');
  }
});

test("Node's client (no wait for SETTINGS): path authority served, localhost too", { timeout: 60_000 }, async (t) => {
  const sock = await echoServer(t, true);
  for (const authority of [sock, 'localhost']) {
    const r = await nodeCall(sock, authority);
    assert.deepEqual(r, { grpcStatus: '0', data: 'echo:hi', rst: undefined }, authority);
  }
});

test('grpc-js clients still work through the screen', { timeout: 60_000 }, async (t) => {
  const sock = await echoServer(t, true);
  const Client = grpc.makeGenericClientConstructor(echoService, 'Echo');
  const c = new Client(`unix://${sock}`, grpc.credentials.createInsecure()) as unknown as grpc.Client & { Echo: (req: Buffer, cb: (e: Error | null, r: Buffer) => void) => void };
  t.after(() => c.close());
  for (let i = 0; i < 3; i++) {
    const res = await new Promise<Buffer>((resolve, reject) => c.Echo(Buffer.from(`n${i}`), (e, r) => (e ? reject(e) : resolve(r))));
    assert.equal(res.toString(), `echo:n${i}`);
  }
});

test('an acceptable authority gets the socket itself; a path gets the filter', { timeout: 60_000 }, async (t) => {
  const h2 = http2.createServer();
  h2.on('stream', (s) => { s.respond({ ':status': 200 }); s.end('ok'); });
  const delivered: Array<'socket' | 'filter'> = [];
  const dir = await mkdtemp(join(tmpdir(), 'uds-auth-'));
  const sock = join(dir, 'h.sock');
  const conns: Socket[] = [];
  const net = createServer((s) => {
    conns.push(s);
    screenConnection(s, (c: Duplex) => { delivered.push(c === s ? 'socket' : 'filter'); h2.emit('connection', c); }, 5_000);
  });
  await new Promise<void>((r) => net.listen(sock, r));
  t.after(async () => {
    for (const c of conns) c.destroy();
    net.close();
    await rm(dir, { recursive: true, force: true });
  });
  for (const authority of ['localhost', sock]) {
    const r = await rawGrpcCalls(sock, { path: '/x', authority });
    assert.equal(r[0]!.status, '200', authority);
  }
  assert.deepEqual(delivered, ['socket', 'filter']);
});

test('a connection that never sends a request is closed after the idle time', { timeout: 60_000 }, async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'uds-auth-'));
  const sock = join(dir, 'i.sock');
  let delivered = false;
  const net = createServer((s) => screenConnection(s, () => (delivered = true), 200));
  await new Promise<void>((r) => net.listen(sock, r));
  t.after(async () => {
    net.close();
    await rm(dir, { recursive: true, force: true });
  });
  const c = connect(sock);
  const got: Buffer[] = [];
  c.on('data', (d: Buffer) => got.push(d));
  await new Promise((r) => c.on('close', r));
  assert.equal(delivered, false);
  assert.deepEqual(Buffer.concat(got), Buffer.from([0, 0, 0, 4, 0, 0, 0, 0, 0])); // our SETTINGS, nothing else
});
