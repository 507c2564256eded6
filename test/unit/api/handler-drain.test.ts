// drainStreams() at shutdown: open streams end with UNAVAILABLE "isulad is shutting down",
// while a unary call in flight still completes. Its own file: draining is once per process.
import '../../helpers/proto-text-hooks.ts';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { setLogSink } from '../../../src/util/log.ts';

const { isulaGrpc } = await import('../../helpers/grpc-clients.ts');
const { unary, serverStream, drainStreams } = await import('../../../src/api/handler.ts');
const { createGrpcServer, bindHosts, shutdownServer } = await import('../../../src/api/server.ts');

test('streams end with UNAVAILABLE on drain; unary calls in flight finish', { timeout: 60_000 }, async (t) => {
  setLogSink(() => undefined);
  const dir = await mkdtemp(join(tmpdir(), 'drain-'));
  const server = createGrpcServer();
  let releaseUnary: () => void = () => undefined;
  let streamOpen: () => void = () => undefined;
  let unaryStarted: () => void = () => undefined;
  const opened = new Promise<void>((r) => (streamOpen = r));
  const started = new Promise<void>((r) => (unaryStarted = r));
  server.addService(isulaGrpc().containers.ContainerService.service, {
    Version: unary('Version', async () => {
      unaryStarted();
      await new Promise<void>((r) => (releaseUnary = r));
      return { version: 'finished' };
    }),
    Events: serverStream('Events', async (_req: unknown, out, ctx) => {
      await out.write({ opt: 'first' });
      streamOpen();
      await new Promise<void>((r) => ctx.signal.addEventListener('abort', () => r(), { once: true }));
    }),
  } as grpc.UntypedServiceImplementation);
  await bindHosts(server, [`unix://${dir}/d.sock`], {});
  const Ctor = isulaGrpc().containers.ContainerService;
  const client = new Ctor(`unix://${dir}/d.sock`, grpc.credentials.createInsecure());
  t.after(async () => {
    client.close();
    await shutdownServer(server, 100);
    await rm(dir, { recursive: true, force: true });
  });

  const stream = client.Events({});
  const got: string[] = [];
  const streamEnd = new Promise<grpc.ServiceError>((resolve) => {
    stream.on('data', (m: { opt: string }) => got.push(m.opt));
    stream.on('error', resolve);
  });
  const unaryDone = new Promise<{ err: grpc.ServiceError | null; version?: string }>((resolve) =>
    client.Version({}, (err, res) => resolve({ err, version: res?.version })),
  );
  await opened;
  await started;

  const stopped = shutdownServer(server, 30_000);
  drainStreams();
  const end = await streamEnd;
  assert.deepEqual(got, ['first']);
  assert.equal(end.code, grpc.status.UNAVAILABLE);
  assert.equal(end.details, 'isulad is shutting down');

  releaseUnary();
  const u = await unaryDone;
  assert.equal(u.err, null);
  assert.equal(u.version, 'finished');
  await stopped;
});
