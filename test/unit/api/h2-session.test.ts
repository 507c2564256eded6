// The CLI's own HTTP/2 client (src/api/h2-session.ts, HPACK from src/util/hpack.ts) against a
// real peer, node:http2's server (nghttp2: Huffman strings, a dynamic table, its own flow
// control): headers with every allowed byte, trailers, flow control both ways with a paused
// consumer, resets and GOAWAY.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as http2 from 'node:http2';
import { connect } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { H2Session, type H2Stream } from '../../../src/api/h2-session.ts';

async function withServer(onStream: (s: http2.ServerHttp2Stream, h: http2.IncomingHttpHeaders) => void, body: (session: H2Session) => Promise<void>) {
  const dir = await mkdtemp(join(tmpdir(), 'h2-session-'));
  const path = join(dir, 's.sock');
  const server = http2.createServer();
  server.on('stream', (s, h) => {
    s.on('error', () => {}); // a reset stream errors on the server side too
    onStream(s, h);
  });
  await new Promise<void>((r) => server.listen(path, r));
  const session = new H2Session({ window: 1 << 20 });
  session.on('error', () => {});
  session.attach(connect(path), 'connect');
  try {
    await body(session);
  } finally {
    session.close();
    await new Promise((r) => server.close(r));
    await rm(dir, { recursive: true, force: true });
  }
}

function collect(st: H2Stream): Promise<{ headers: Record<string, unknown>; trailers?: Record<string, unknown>; body: Buffer; rst: number | undefined }> {
  return new Promise((resolve) => {
    let headers: Record<string, unknown> = {};
    let trailers: Record<string, unknown> | undefined;
    const parts: Buffer[] = [];
    st.on('response', (h) => (headers = h));
    st.on('trailers', (h) => (trailers = h));
    st.on('data', (c: Buffer) => parts.push(c));
    st.on('error', () => {});
    st.on('close', () => resolve({ headers, trailers, body: Buffer.concat(parts), rst: st.rstCode }));
  });
}

const req = (path: string): Array<[string, string]> => [[':method', 'POST'], [':scheme', 'http'], [':authority', 'localhost'], [':path', path]];

test('against node:http2: every printable byte in values, Huffman and indexed fields, many streams, trailers', async () => {
  const bytes: number[] = [];
  for (let b = 0x20; b < 0x7f; b++) bytes.push(b);
  for (let b = 0x80; b <= 0xff; b++) bytes.push(b);
  const all = Buffer.from(bytes).toString('latin1');
  await withServer(
    (s, h) => {
      s.respond({ ':status': 200, 'content-type': 'application/grpc', 'x-all': all, 'x-path': String(h[':path']), 'x-same': 'repeated value' }, { waitForTrailers: true });
      s.on('wantTrailers', () => s.sendTrailers({ 'grpc-status': '0', 'grpc-message': 'ok%20done', 'x-t': h['x-in'] as string }));
      s.end(Buffer.from(`body of ${String(h[':path'])}`));
      s.resume();
    },
    async (session) => {
      for (let i = 0; i < 20; i++) {
        const st = session.request([...req(`/svc/M${i}`), ['x-in', `in-${i}`]]);
        st.end();
        const got = await collect(st);
        assert.equal(got.headers[':status'], '200');
        assert.equal(got.headers['x-all'], all, 'every byte survives Huffman coding');
        assert.equal(got.headers['x-path'], `/svc/M${i}`, 'the request headers arrived');
        assert.equal(got.headers['x-same'], 'repeated value');
        assert.equal(got.body.toString(), `body of /svc/M${i}`);
        assert.deepEqual(got.trailers, { 'grpc-status': '0', 'grpc-message': 'ok%20done', 'x-t': `in-${i}` });
        assert.equal(got.rst, 0);
      }
    },
  );
});

test('flow control: 8 MiB each way; a paused reader holds the server back, resume brings the rest', async () => {
  const size = 8 << 20;
  let serverGot = 0;
  let serverSent = 0;
  await withServer(
    (s, h) => {
      if (h[':path'] === '/up') {
        s.on('data', (c: Buffer) => (serverGot += c.length));
        s.on('end', () => {
          s.respond({ ':status': 200 });
          s.end(String(serverGot));
        });
        return;
      }
      s.respond({ ':status': 200 });
      const chunk = Buffer.alloc(64 * 1024, 9);
      const pump = () => {
        while (serverSent < size) {
          serverSent += chunk.length;
          if (!s.write(chunk)) return void s.once('drain', pump);
        }
        s.end();
      };
      pump();
      s.resume();
    },
    async (session) => {
      const up = session.request(req('/up'));
      const payload = Buffer.alloc(size, 3);
      for (let off = 0; off < size; off += 1 << 20) await new Promise<void>((r) => up.write(payload.subarray(off, off + (1 << 20)), r));
      up.end();
      const u = await collect(up);
      assert.equal(u.body.toString(), String(size));

      const down = session.request(req('/down'));
      down.end();
      let received = 0;
      down.on('data', (c: Buffer) => (received += c.length));
      down.pause();
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(received, 0, 'nothing reaches a paused reader');
      assert.ok(serverSent < 4 << 20, `the server is held back by our window (sent ${serverSent})`);
      const done = collect(down);
      down.resume();
      await done;
      assert.equal(received, size);
    },
  );
});

test('a reset from the server, our own cancel, and GOAWAY refusing newer streams', async () => {
  await withServer(
    (s, h) => {
      if (h[':path'] === '/reset') return void s.close(http2.constants.NGHTTP2_ENHANCE_YOUR_CALM);
      if (h[':path'] === '/hang') return void s.respond({ ':status': 200 });
      if (h[':path'] === '/goaway') {
        s.respond({ ':status': 200 });
        s.end('bye');
        s.session?.goaway(http2.constants.NGHTTP2_NO_ERROR, s.id);
      }
    },
    async (session) => {
      const r = session.request(req('/reset'));
      r.end();
      assert.equal((await collect(r)).rst, http2.constants.NGHTTP2_ENHANCE_YOUR_CALM);

      const hang = session.request(req('/hang'));
      hang.end();
      await new Promise((res) => hang.once('response', res));
      const closed = collect(hang);
      hang.close();
      assert.equal((await closed).rst, http2.constants.NGHTTP2_CANCEL);

      const goaway = new Promise<number>((res) => session.once('goaway', (_code: number, last: number) => res(last)));
      const g = session.request(req('/goaway'));
      g.end();
      const gone = await collect(g);
      assert.equal(gone.body.toString(), 'bye', 'the stream GOAWAY names still completes');
      assert.equal(await goaway, g.id);
      assert.throws(() => session.request(req('/late')), /GOAWAY/);
    },
  );
});

test('no listener on the socket path: the stream errors and closes, the session reports the error', async () => {
  const session = new H2Session();
  const errors: string[] = [];
  session.on('error', (e: NodeJS.ErrnoException) => errors.push(String(e.code)));
  session.attach(connect(join(tmpdir(), 'no-such-h2-session.sock')), 'connect');
  const st = session.request(req('/x'));
  let streamErr: unknown;
  st.on('error', (e) => (streamErr = e));
  await new Promise((r) => st.on('close', r));
  assert.match(String((streamErr as Error)?.message), /ENOENT/);
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(errors, ['ENOENT']);
  assert.equal(session.destroyed, true);
});
