// A SIGTERM to the daemon drains open streams: an attached `isula run`/`attach` (RemoteStart,
// Attach) must end with UNAVAILABLE at once instead of holding the shutdown for its grace period.
// Its own file: draining is once per process.
import '../../../helpers/proto-text-hooks.ts';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { setLogSink } from '../../../../src/util/log.ts';
import type { OutputEvent } from '../../../../src/services/containers/output.ts';

const { isulaGrpc } = await import('../../../helpers/grpc-clients.ts');
const { drainStreams } = await import('../../../../src/api/handler.ts');
const { containerHandlers } = await import('../../../../src/api/isula/containers.ts');
const { createGrpcServer, bindHosts, shutdownServer } = await import('../../../../src/api/server.ts');

test('Attach ends with UNAVAILABLE when the daemon drains its streams', { timeout: 20_000 }, async (t) => {
  setLogSink(() => undefined);
  const dir = await mkdtemp(join(tmpdir(), 'attach-drain-'));
  const server = createGrpcServer();
  let attachEnded = false;
  // a container that keeps running: output ends only when the attach signal aborts
  const containers = {
    async *attach(_ref: string, opts: { signal?: AbortSignal }): AsyncGenerator<OutputEvent> {
      try {
        yield { kind: 'log', entry: { stream: 'stdout', time: '', log: 'hello\n' } };
        await new Promise<void>((r) => opts.signal?.addEventListener('abort', () => r(), { once: true }));
      } finally {
        attachEnded = true;
      }
    },
  };
  const handlers = containerHandlers({ containers, events: {} } as unknown as Parameters<typeof containerHandlers>[0]);
  server.addService(isulaGrpc().containers.ContainerService.service, { Attach: handlers.Attach } as grpc.UntypedServiceImplementation);
  const sock = `unix://${join(dir, 'd.sock')}`;
  await bindHosts(server, [sock], {});
  const client = new (isulaGrpc().containers.ContainerService)(sock, grpc.credentials.createInsecure());
  t.after(async () => {
    client.close();
    await shutdownServer(server, 100);
    await rm(dir, { recursive: true, force: true });
  });

  const md = new grpc.Metadata();
  md.set('container-id', 'c1');
  const call = client.Attach(md);
  const out: string[] = [];
  const firstLine = new Promise<void>((resolve) => call.on('data', (m: { stdout?: Buffer }) => {
    if (m.stdout?.length) out.push(m.stdout.toString());
    resolve();
  }));
  const ended = new Promise<grpc.ServiceError>((resolve) => call.on('error', resolve));
  await firstLine;
  assert.deepEqual(out, ['hello\n']);

  drainStreams();
  const err = await ended;
  assert.equal(err.code, grpc.status.UNAVAILABLE);
  assert.match(err.details, /shutting down/);
  assert.equal(attachEnded, true, 'the service-side attach was ended too');
});
