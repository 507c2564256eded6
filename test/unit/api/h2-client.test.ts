// The CLI's HTTP/2 gRPC client (src/api/h2-client.ts) against the daemon's real grpc-js server:
// every call kind, metadata both ways, trailers, error statuses, deadlines, cancel, big messages
// and a missing socket.
import '../../helpers/proto-text-hooks.ts';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';

const { createGrpcServer, bindHosts, shutdownServer } = await import('../../../src/api/server.ts');
const { isulaGrpc } = await import('../../helpers/grpc-clients.ts');
const { Channel, Metadata, SERVICES, serviceClient, status } = await import('../../../src/api/h2-client.ts');

type Any = Record<string, unknown>;
type Fn = (...a: unknown[]) => any; // eslint-disable-line @typescript-eslint/no-explicit-any

async function withServer(
  handlers: grpc.UntypedServiceImplementation,
  body: (client: Record<string, Fn>) => Promise<void>,
): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'h2-client-'));
  const host = `unix://${join(dir, 'isulad.sock')}`;
  const server = createGrpcServer();
  server.addService(isulaGrpc().containers.ContainerService.service, handlers);
  await bindHosts(server, [host], {});
  const channel = new Channel({ host });
  try {
    await body(serviceClient(channel, SERVICES.containers()) as Record<string, Fn>);
  } finally {
    channel.close();
    await shutdownServer(server, 100);
    await rm(dir, { recursive: true, force: true });
  }
}

const unary = (client: Record<string, Fn>, name: string, req: unknown, ...rest: unknown[]) =>
  new Promise<Any>((resolve, reject) => client[name]!(req, ...rest, (err: Error | null, res: Any) => (err ? reject(err) : resolve(res))));

test('unary: request fields arrive, defaults and int64 strings come back, metadata both ways', async () => {
  await withServer(
    {
      Version: (call: grpc.ServerUnaryCall<Any, Any>, cb: grpc.sendUnaryData<Any>) => {
        call.sendMetadata(new grpc.Metadata());
        cb(null, { version: `v-${String(call.metadata.get('x-who')[0])}`, git_commit: '', build_time: '', root_path: '' });
      },
      Logs: () => {},
      Wait: (call: grpc.ServerUnaryCall<Any, Any>, cb: grpc.sendUnaryData<Any>) => {
        const md = new grpc.Metadata();
        md.set('why', 'because');
        cb({ code: grpc.status.NOT_FOUND, details: 'No such container: ünïcode %', metadata: md });
      },
    },
    async (client) => {
      const md = new Metadata();
      md.set('x-who', 'me');
      const res = await unary(client, 'Version', {}, md);
      assert.equal(res['version'], 'v-me');
      assert.equal(res['git_commit'], '', 'defaults are filled in');
      await assert.rejects(unary(client, 'Wait', { id: 'x' }), (e: Any) => {
        assert.equal(e['code'], status.NOT_FOUND);
        assert.equal(e['details'], 'No such container: ünïcode %');
        assert.deepEqual((e['metadata'] as InstanceType<typeof Metadata>).get('why'), ['because']);
        return true;
      });
      await assert.rejects(unary(client, 'Pause', { id: 'x' }), (e: Any) => e['code'] === status.UNIMPLEMENTED);
    },
  );
});

test('server stream: messages in order, a 3 MiB message, initial metadata and the trailers', async () => {
  const big = Buffer.alloc(3 << 20, 7);
  await withServer(
    {
      Logs: (call: grpc.ServerWritableStream<Any, Any>) => {
        const md = new grpc.Metadata();
        md.set('first', 'yes');
        md.set('stat', '{"name":"a","mode":1, "size":2}');
        call.sendMetadata(md);
        for (let i = 0; i < 50; i++) call.write({ data: Buffer.from(`line ${i}\n`), stream: 'stdout', time: '', attrs: Buffer.alloc(0) });
        call.write({ data: big, stream: 'stderr', time: String(call.request['tail']), attrs: Buffer.alloc(0) });
        const trailer = new grpc.Metadata();
        trailer.set('exit_code', '3');
        call.end(trailer);
      },
    },
    async (client) => {
      const s = client['Logs']!({ id: 'c', tail: '-1' });
      const got: Any[] = [];
      let first: unknown;
      let st: { code: number; metadata: InstanceType<typeof Metadata> } | undefined;
      let stat: unknown;
      s.on('metadata', (m: InstanceType<typeof Metadata>) => ((first = m.get('first')[0]), (stat = m.get('stat'))));
      s.on('status', (x: typeof st) => (st = x));
      for await (const m of s) got.push(m as Any);
      assert.equal(got.length, 51);
      assert.equal(String(got[49]!['data']), 'line 49\n');
      assert.ok(Buffer.isBuffer(got[50]!['data']));
      assert.equal((got[50]!['data'] as Buffer).length, big.length);
      assert.equal(got[50]!['time'], '-1', 'int64 goes out as a string and comes back the same');
      assert.equal(first, 'yes');
      assert.deepEqual(stat, ['{"name":"a","mode":1, "size":2}'], 'a value with commas stays one value');
      await new Promise((r) => setImmediate(r));
      assert.equal(st?.code, 0);
      assert.deepEqual(st?.metadata.get('exit_code'), ['3']);
    },
  );
});

test('client stream: many chunks upload with back-pressure; the reply comes through the callback', async () => {
  let received = 0;
  let sawMd = '';
  await withServer(
    {
      CopyToContainer: (call: grpc.ServerReadableStream<Any, Any>, cb: grpc.sendUnaryData<Any>) => {
        sawMd = String(call.metadata.get('isulad-copy-to-container')[0] ?? '');
        call.on('data', (m: Any) => (received += (m['data'] as Buffer).length));
        call.on('end', () => cb(null, { finish: true }));
      },
    },
    async (client) => {
      const md = new Metadata();
      md.set('isulad-copy-to-container', '{"id":"c"}');
      let resolveDone!: (v: Any) => void;
      let rejectDone!: (e: unknown) => void;
      const done = new Promise<Any>((res, rej) => ((resolveDone = res), (rejectDone = rej)));
      const call = client['CopyToContainer']!(md, (err: Error | null, res: Any) => (err ? rejectDone(err) : resolveDone(res)));
      const chunk = Buffer.alloc(256 * 1024, 1);
      for (let i = 0; i < 40; i++) {
        if (!call.write({ data: chunk })) await new Promise((r) => call.once('drain', r));
      }
      call.end();
      const res = await done;
      assert.equal(res['finish'], true);
      assert.equal(received, 40 * chunk.length);
      assert.equal(sawMd, '{"id":"c"}');
    },
  );
});

test('bidi: stdin echoed back as stdout, the exit code in the trailers, then end and status', async () => {
  await withServer(
    {
      Attach: (call: grpc.ServerDuplexStream<Any, Any>) => {
        call.on('data', (m: Any) => {
          if (m['finish']) {
            const t = new grpc.Metadata();
            t.set('exit_code', '0');
            call.end(t);
          } else call.write({ stdout: m['stdin'], stderr: Buffer.alloc(0), finish: false });
        });
      },
    },
    async (client) => {
      const call = client['Attach']!(new Metadata());
      const out: string[] = [];
      const ended = new Promise<void>((r) => call.on('end', r));
      const st = new Promise<{ code: number; metadata: InstanceType<typeof Metadata> }>((r) => call.on('status', r));
      call.on('data', (m: Any) => out.push(String(m['stdout'])));
      call.write({ stdin: Buffer.from('a') });
      call.write({ stdin: Buffer.from('b') });
      call.write({ finish: true });
      call.end();
      await ended;
      const s = await st;
      assert.deepEqual(out, ['a', 'b']);
      assert.equal(s.code, 0);
      assert.deepEqual(s.metadata.get('exit_code'), ['0']);
    },
  );
});

test('deadline and cancel: DEADLINE_EXCEEDED and CANCELLED, the server sees the call go', async () => {
  let serverCancelled = 0;
  await withServer(
    {
      Wait: (call: grpc.ServerUnaryCall<Any, Any>) => call.on('cancelled', () => serverCancelled++),
      Events: (call: grpc.ServerWritableStream<Any, Any>) => call.on('cancelled', () => serverCancelled++),
    },
    async (client) => {
      await assert.rejects(unary(client, 'Wait', { id: 'x' }, { deadline: Date.now() + 100 }), (e: Any) => e['code'] === status.DEADLINE_EXCEEDED);
      const ev = client['Events']!({});
      const err = new Promise<Any>((r) => ev.on('error', r));
      setTimeout(() => ev.cancel(), 50);
      assert.equal((await err)['code'], status.CANCELLED);
      for (let i = 0; i < 50 && serverCancelled < 2; i++) await new Promise((r) => setTimeout(r, 20));
      assert.equal(serverCancelled, 2);
    },
  );
});

test('no daemon: UNAVAILABLE naming the socket error', async () => {
  const channel = new Channel({ host: `unix://${join(tmpdir(), 'no-such-isulad-h2.sock')}` });
  const client = serviceClient(channel, SERVICES.containers()) as Record<string, Fn>;
  await assert.rejects(unary(client, 'Version', {}), (e: Any) => {
    assert.equal(e['code'], status.UNAVAILABLE);
    assert.match(String(e['details']), /No connection established.*ENOENT/);
    return true;
  });
  channel.close();
});
