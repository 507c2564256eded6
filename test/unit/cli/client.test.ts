import '../../helpers/proto-text-hooks.ts';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { EngineError } from '../../../src/util/errors.ts';

const { createGrpcServer, bindHosts, shutdownServer } = await import('../../../src/api/server.ts');
const { isulaGrpc } = await import('../../helpers/grpc-clients.ts');
const { connect, DaemonError } = await import('../../../src/cli/client.ts');

test('the CLI client has its own images client: unary calls through call() and the client, errors mapped', { timeout: 60_000 }, async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'cli-client-'));
  const server = createGrpcServer();
  const host = `unix://${join(dir, 'isulad.sock')}`;
  const cli = connect({ host, debug: false, tls: { enabled: false, verify: false, ca: '', cert: '', key: '', explicit: new Set() } });
  t.after(async () => {
    cli.close();
    await shutdownServer(server, 100);
    await rm(dir, { recursive: true, force: true });
  });
  const tags: string[] = [];
  server.addService(isulaGrpc().images.ImagesService.service, {
    List: (_call: unknown, cb: grpc.sendUnaryData<unknown>) => cb(null, { images: [{ id: 'sha256:abc' }], cc: 0, errmsg: '' }),
    Tag: (call: grpc.ServerUnaryCall<{ src_name: string; dest_name: string }, unknown>, cb: grpc.sendUnaryData<unknown>) => {
      if (call.request.src_name === 'missing') return cb({ code: grpc.status.NOT_FOUND, details: 'No such image: missing' });
      tags.push(`${call.request.src_name}->${call.request.dest_name}`);
      cb(null, { cc: 0, errmsg: '' });
    },
  });
  await bindHosts(server, [host], {});

  const listed = await cli.call('images', 'List', { filter_args: [] });
  assert.deepEqual(listed.images.map((i) => i.id), ['sha256:abc']);

  await new Promise<void>((resolve, reject) =>
    cli.images.Tag({ src_name: 'busybox', dest_name: 'bb:1' }, (err) => (err ? reject(err) : resolve())),
  );
  assert.deepEqual(tags, ['busybox->bb:1']);
  assert.equal(cli.images, cli.images, 'one client per connection');

  await assert.rejects(cli.call('images', 'Tag', { src_name: 'missing', dest_name: 'x' }), (e: unknown) => {
    assert.ok(e instanceof DaemonError);
    assert.equal((e as EngineError).kind, 'not-found');
    assert.match((e as Error).message, /No such image: missing/);
    return true;
  });
});
