// The handler wrappers over a real in-process gRPC server on a unix socket: kinds become the
// right status, an unknown throw becomes INTERNAL with only its message, cc/errmsg ride in the
// trailers, a client cancel aborts the handler's signal, and streams respect backpressure.
import '../../helpers/proto-text-hooks.ts';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { EngineError, notFound } from '../../../src/util/errors.ts';
import { setLogSink } from '../../../src/util/log.ts';

const { isulaGrpc } = await import('../../helpers/grpc-clients.ts');
const { unary, serverStream } = await import('../../../src/api/handler.ts');
const { createGrpcServer, bindHosts, shutdownServer } = await import('../../../src/api/server.ts');

let dir: string;
let server: import('../../../src/api/grpc-server.ts').GrpcServer;
let client: grpc.Client & Record<string, (...a: unknown[]) => unknown>;
const logged: string[] = [];
let behaviour: () => Promise<unknown> = async () => ({});
let onHandlerAbort: (reason: unknown) => void = () => undefined;
let onHandlerStart: () => void = () => undefined;

before(async () => {
  setLogSink((l) => logged.push(l));
  dir = await mkdtemp(join(tmpdir(), 'handler-'));
  server = createGrpcServer();
  const g = isulaGrpc();
  server.addService(g.containers.ContainerService.service, {
    Version: unary('Version', async () => (await behaviour()) as object),
    Info: unary('Info', async (_req, ctx) => {
      ctx.signal.addEventListener('abort', () => onHandlerAbort(ctx.signal.reason), { once: true });
      onHandlerStart();
      await new Promise(() => undefined); // never answers
      return {};
    }),
    Events: serverStream('Events', async (_req: unknown, out, ctx) => {
      for (let i = 0; i < 200 && !ctx.signal.aborted; i++) {
        await out.write({ opt: `e${i}`, id: 'x'.repeat(10_000), annotations: {} });
      }
      throw notFound('after 200 events');
    }),
  } as grpc.UntypedServiceImplementation);
  await bindHosts(server, [`unix://${dir}/h.sock`], {});
  client = new g.containers.ContainerService(`unix://${dir}/h.sock`, grpc.credentials.createInsecure()) as never;
});
after(async () => {
  client?.close();
  await shutdownServer(server, 1000);
  await rm(dir, { recursive: true, force: true });
});

function callVersion(): Promise<{ err: grpc.ServiceError | null; res: unknown }> {
  return new Promise((resolve) => (client['Version'] as Function).call(client, {}, (err: grpc.ServiceError | null, res: unknown) => resolve({ err, res })));
}

test('success passes the response through', async () => {
  behaviour = async () => ({ version: '9.9', cc: 0 });
  const { err, res } = await callVersion();
  assert.equal(err, null);
  assert.equal((res as { version: string }).version, '9.9');
});

const kinds: Array<{ err: unknown; status: grpc.status }> = [
  { err: notFound('no such container "web"'), status: grpc.status.NOT_FOUND },
  { err: new EngineError('invalid-argument', 'bad'), status: grpc.status.INVALID_ARGUMENT },
  { err: new EngineError('conflict', 'busy'), status: grpc.status.ABORTED },
  { err: Object.assign(new Error('ENOENT: x'), { code: 'ENOENT' }), status: grpc.status.NOT_FOUND },
  { err: new TypeError('cannot read properties of undefined'), status: grpc.status.INTERNAL },
];
for (const k of kinds) {
  test(`${(k.err as Error).message} → status ${k.status}`, async () => {
    behaviour = async () => {
      throw k.err;
    };
    const { err } = await callVersion();
    assert.equal(err?.code, k.status);
    assert.equal(err?.details, (k.err as Error).message);
    assert.ok(err?.metadata.get('cc')[0]);
    assert.equal(decodeURIComponent(String(err?.metadata.get('errmsg')[0])), (k.err as Error).message);
  });
}

test('an unknown throw is logged with its stack in the daemon, message only to the client', async () => {
  logged.length = 0;
  behaviour = async () => {
    throw new RangeError('boom');
  };
  const { err } = await callVersion();
  assert.equal(err?.details, 'boom');
  assert.doesNotMatch(err?.details ?? '', /at /);
  assert.ok(logged.some((l) => l.includes('boom')));
});

test('a client cancel aborts the handler signal', { timeout: 20_000 }, async () => {
  const aborted = new Promise<unknown>((r) => (onHandlerAbort = r));
  const started = new Promise<void>((r) => (onHandlerStart = r));
  const call = (client['Info'] as Function).call(client, {}, () => undefined) as grpc.ClientUnaryCall;
  await started;
  call.cancel();
  const reason = await aborted;
  assert.ok(reason instanceof EngineError, 'the signal carries an engine error');
  assert.equal(reason.kind, 'canceled');
  assert.match(reason.message, /canceled by the client/);
});

test('server streams: all messages delivered under backpressure, then the error status', async () => {
  const stream = (client['Events'] as Function).call(client, {}) as grpc.ClientReadableStream<{ opt: string }>;
  const got: string[] = [];
  const status = await new Promise<grpc.ServiceError>((resolve) => {
    stream.on('data', (m) => got.push(m.opt));
    stream.on('error', (e: grpc.ServiceError) => resolve(e));
  });
  assert.equal(got.length, 200);
  assert.equal(got[199], 'e199');
  assert.equal(status.code, grpc.status.NOT_FOUND);
});
