// Issue 13 item 5, the streaming side: garbage on the four streams a client keeps open (Attach,
// RemoteExec, Logs, Events), sent as raw HTTP/2 so nothing is cleaned up by a gRPC client first:
// valid and random protobuf payloads, a compressed flag without an encoding, length prefixes
// longer than the data or than any allowed message, bare bytes that are no gRPC frame at all,
// then a half-close, a cancel (RST_STREAM) or the whole connection dropped. Bounded in count
// (ISULA_STREAM_FUZZ, default 150) and time (60 s). Afterwards the daemon still answers, the
// target container still runs, no exec'd process is left in it, and the daemon's fds and child
// processes are back to what they were after a warm-up.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect as h2connect, constants as h2 } from 'node:http2';
import { connect as netConnect } from 'node:net';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startDaemon, type Daemon } from '../helpers/daemon.ts';
import { canRun, fdDiff, fdsBackTo, inspectField, ok, settledFds, skipReason, until } from './container-fixture.ts';
import { prng } from '../helpers/prng.ts';

const CASES = Number(process.env.ISULA_STREAM_FUZZ ?? 150);
const UPLOADS = Number(process.env.ISULA_UPLOAD_FUZZ ?? 40);
const ARCH = process.arch === 'arm64' ? 'arm64' : 'amd64';
const FIXTURES = resolve(import.meta.dirname, '../../rootfs-fixtures/out');

// protobuf by hand: a length-delimited field, a varint field
const varint = (n: number): Buffer => {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    out.push(b);
  } while (n > 0);
  return Buffer.from(out);
};
const bytesField = (no: number, v: Buffer | string) => {
  const b = Buffer.from(v);
  return Buffer.concat([varint((no << 3) | 2), varint(b.length), b]);
};
const boolField = (no: number) => Buffer.from([(no << 3) | 0, 1]);
/** one gRPC message: compressed flag, 4-byte big-endian length (as given), payload */
const frame = (payload: Buffer, opts: { compressed?: boolean; length?: number } = {}) => {
  const h = Buffer.alloc(5);
  h[0] = opts.compressed ? 1 : 0;
  h.writeUInt32BE(opts.length ?? payload.length, 1);
  return Buffer.concat([h, payload]);
};

/** Daemon children (lxc-attach, socat relays, monitors' launchers): pid + command. */
function childrenOf(pid: number): string[] {
  const out: string[] = [];
  for (const p of readdirSync('/proc')) {
    if (!/^\d+$/.test(p)) continue;
    try {
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(`${p}: ${readFileSync(`/proc/${p}/cmdline`, 'utf8').replace(/\0/g, ' ').trim()}`);
    } catch {
      /* gone */
    }
  }
  return out.sort();
}

describe('wire fuzz of the isula streams', { skip: skipReason }, () => {
  let d: Daemon;
  let cid: string;
  before(async () => {
    if (!canRun) return;
    d = await startDaemon({ config: { 'log-level': 'WARN' } });
    cid = (await ok(d, ['run', '-d', '-i', '--name', 'target', 'busybox', 'sh', '-c', 'while true; do echo tick; sleep 1; done'])).stdout.trim();
  });
  after(async () => {
    if (!canRun) return;
    await d.isula(['rm', '-f', 'target']);
    await d.stop();
  });

  /** One call on its own connection; resolves with grpc-status (or how it ended) once it is over. */
  function call(path: string, headers: Record<string, string>, body: Buffer[], ending: 'end' | 'cancel' | 'drop' | 'open', waitMs: number): Promise<string> {
    return new Promise((resolve) => {
      const session = h2connect('http://localhost', { createConnection: () => netConnect(d.sock) });
      let status = 'none';
      let done = false;
      const finish = (why: string) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        if (!session.destroyed) session.destroy();
        resolve(status !== 'none' ? status : why);
      };
      session.on('error', () => finish('session-error'));
      const req = session.request({ ':method': 'POST', ':path': path, 'content-type': 'application/grpc', te: 'trailers', ...headers });
      req.on('response', (h) => {
        if (h['grpc-status'] !== undefined) status = `status ${h['grpc-status']}`;
      });
      req.on('trailers', (h) => {
        if (h['grpc-status'] !== undefined) status = `status ${h['grpc-status']}`;
      });
      req.on('data', () => undefined);
      req.on('error', () => finish('stream-error'));
      req.on('close', () => finish('closed'));
      for (const b of body) req.write(b);
      if (ending === 'end') req.end();
      // whatever the server does, the client gives up after waitMs (a follow stream never ends)
      const timer = setTimeout(() => {
        if (ending === 'drop') session.destroy();
        else req.close(h2.NGHTTP2_CANCEL);
        setTimeout(() => finish('timeout'), 200);
      }, ending === 'cancel' || ending === 'drop' ? Math.min(waitMs, 300) : waitMs);
    });
  }

  test(`${CASES} garbage calls on Attach, RemoteExec, Logs and Events: the daemon stays up and flat`, { timeout: 5 * 60_000 }, async () => {
    const r = prng(Number(process.env.ISULA_STREAM_FUZZ_SEED ?? 13));
    const pick = <T>(a: readonly T[]): T => a[Math.floor(r() * a.length)] as T;
    const junk = (n: number) => Buffer.from(Array.from({ length: n }, () => Math.floor(r() * 256)));
    const ids = () => pick([cid, cid.slice(0, 12), 'target', '', 'no-such', '../..', 'a'.repeat(300)]);
    const execJson = () =>
      pick([
        JSON.stringify({ container_id: pick([cid, 'no-such']), argv: ['cat'], attach_stdin: true, open_stdin: true }),
        JSON.stringify({ container_id: cid, argv: ['echo', 'x'] }),
        JSON.stringify({ container_id: cid, argv: 'cat' }),
        JSON.stringify({ container_id: cid, argv: [] }),
        '{', 'null', '[]', '"x"',
      ]);
    const rpcs = {
      Attach: () => ({
        path: '/containers.ContainerService/Attach',
        headers: { 'container-id': ids(), 'attach-stdin': pick(['true', 'false', '1', 'x']), 'attach-stdout': pick(['true', 'false']) } as Record<string, string>,
        valid: () => Buffer.concat([bytesField(1, junk(Math.floor(r() * 20))), ...(r() < 0.3 ? [boolField(2)] : [])]),
      }),
      RemoteExec: () => ({
        path: '/containers.ContainerService/RemoteExec',
        headers: { 'isulad-remote-exec': execJson(), 'tty-rows': pick(['0', '24', '-1', 'x']), 'tty-cols': pick(['0', '80', '99999999999']) } as Record<string, string>,
        valid: () => Buffer.concat([bytesField(1, junk(Math.floor(r() * 20))), ...(r() < 0.3 ? [boolField(2)] : [])]),
      }),
      Logs: () => ({
        path: '/containers.ContainerService/Logs',
        headers: {} as Record<string, string>,
        valid: () => Buffer.concat([bytesField(1, ids()), ...(r() < 0.7 ? [boolField(6)] : []), ...(r() < 0.3 ? [bytesField(3, pick(['1h', 'x', '-5', '']))] : [])]),
      }),
      Events: () => ({
        path: '/containers.ContainerService/Events',
        headers: {} as Record<string, string>,
        valid: () => Buffer.concat([...(r() < 0.5 ? [bytesField(4, ids())] : []), ...(r() < 0.3 ? [bytesField(1, junk(6))] : []), ...(r() < 0.3 ? [boolField(3)] : [])]),
      }),
    };
    const names = Object.keys(rpcs) as Array<keyof typeof rpcs>;

    // warm-up: one good call of each kind, so what the daemon opens once (watchers, loggers) is in the base
    for (const n of names) {
      const c = rpcs[n]();
      const body = n === 'RemoteExec' ? [frame(Buffer.alloc(0))] : [frame(c.valid())];
      await call(c.path, n === 'RemoteExec' ? { 'isulad-remote-exec': JSON.stringify({ container_id: cid, argv: ['echo', 'w'] }) } : n === 'Attach' ? { 'container-id': cid } : {}, body, 'cancel', 300);
    }
    const pid = d.pid as number;
    const baseFds = await settledFds(pid);
    const baseChildren = childrenOf(pid);

    const end = Date.now() + 60_000;
    let ran = 0;
    const outcomes: Record<string, number> = {};
    for (let i = 0; i < CASES && Date.now() < end; i++) {
      const n = pick(names);
      const c = rpcs[n]();
      const body: Buffer[] = [];
      const frames = Math.floor(r() * 4);
      for (let j = 0; j < frames; j++) {
        const k = r();
        if (k < 0.35) body.push(frame(c.valid()));
        else if (k < 0.55) body.push(frame(junk(1 + Math.floor(r() * 40)))); // not protobuf (or the wrong one)
        else if (k < 0.65) body.push(frame(c.valid(), { compressed: true })); // no grpc-encoding was sent
        else if (k < 0.75) body.push(frame(junk(8), { length: 1000 })); // the prefix promises more than comes
        else if (k < 0.82) body.push(frame(Buffer.alloc(0), { length: 0x7ffffff0 })); // beyond any message limit
        else if (k < 0.9) body.push(frame(Buffer.alloc(0)));
        else body.push(junk(1 + Math.floor(r() * 4))); // not even a frame header
      }
      const ending = pick(['end', 'end', 'cancel', 'drop', 'open'] as const);
      const outcome = await call(c.path, c.headers, body, ending, 800);
      ran++;
      const key = `${n}:${outcome}`;
      outcomes[key] = (outcomes[key] ?? 0) + 1;
      assert.ok(d.pid !== undefined, `the daemon died on ${n} (${ending}) after ${ran} calls:\n${d.log().slice(-3000)}`);
    }
    console.log(`# stream fuzz: ${ran} calls: ${JSON.stringify(outcomes)}`);

    assert.equal((await d.isula(['version'])).code, 0, 'the daemon answers');
    assert.equal(await inspectField(d, 'target', '{{.State.Running}}'), 'true', 'the target container still runs');
    // the exec'd cats got EOF when their calls went; nothing else was started in the container
    const execs = async () => (await ok(d, ['exec', 'target', 'ps', '-o', 'pid,args'])).stdout.split('\n').filter((l) => /^\s*\d+\s+(cat|echo)( |$)/.test(l));
    await until('exec\'d processes to end', async () => (await execs()).length === 0, 30_000).catch(() => undefined);
    assert.deepEqual(await execs(), [], 'processes exec\'d by the fuzz are left in the container');
    const endFds = await fdsBackTo(pid, baseFds);
    assert.ok(endFds.size <= baseFds.size, `daemon fds grew: ${baseFds.size} -> ${endFds.size}; new: ${fdDiff(endFds, baseFds).join(', ')}`);
    await until('daemon children to settle', async () => childrenOf(pid).length <= baseChildren.length, 30_000).catch(() => undefined);
    assert.deepEqual(childrenOf(pid), baseChildren, 'daemon child processes');
  });

  test(`${UPLOADS} garbage uploads on Load, Import and CopyToContainer: no image, no half layer, no temp file`, { timeout: 5 * 60_000 }, async () => {
    const r = prng(Number(process.env.ISULA_STREAM_FUZZ_SEED ?? 13) + 1);
    const pick = <T>(a: readonly T[]): T => a[Math.floor(r() * a.length)] as T;
    const junk = (n: number) => Buffer.from(Array.from({ length: n }, () => Math.floor(r() * 256)));
    const image = readFileSync(join(FIXTURES, `busybox-${ARCH}.docker.tar`));
    const rootfs = readFileSync(join(FIXTURES, `busybox-${ARCH}.rootfs.tar`));
    const ls = (dir: string) => (existsSync(dir) ? readdirSync(dir).sort() : []);
    const imageIds = async () => (await ok(d, ['images', '-q'])).stdout.split('\n').filter(Boolean).sort();
    const baseImages = await imageIds();
    const overlay = join(d.root, 'storage', 'overlay');
    const baseLayers = ls(overlay);
    /** archive bytes a client could send: junk, a cut valid archive, gzip magic and junk */
    const archive = (valid: Buffer): Buffer => {
      const k = r();
      if (k < 0.4) return valid.subarray(0, 1 + Math.floor(r() * (valid.length - 1024)));
      if (k < 0.6) return Buffer.concat([Buffer.from([0x1f, 0x8b, 0x08, 0x00]), junk(200)]);
      if (k < 0.8) return Buffer.concat([valid.subarray(0, 4096), junk(3000)]);
      return junk(1 + Math.floor(r() * 2000));
    };
    const chunks = (b: Buffer, field: number, first: Buffer[] = []) => {
      const out: Buffer[] = [];
      for (let off = 0, i = 0; off < b.length; i++) {
        const n = Math.min(b.length - off, 1 + Math.floor(r() * 65536));
        out.push(frame(Buffer.concat([...(i === 0 ? first : []), bytesField(field, b.subarray(off, off + n))])));
        off += n;
      }
      return out.length > 0 ? out : [frame(Buffer.concat(first))];
    };
    const rpcs = {
      // the first message always carries data: a Load/Import without data reads a daemon-side path
      Load: () => ({ path: '/images.ImagesService/Load', headers: {}, body: chunks(archive(image), 4, [bytesField(1, 'fuzz.tar'), ...(r() < 0.3 ? [bytesField(2, pick(['docker', 'oci', 'x']))] : [])]) }),
      Import: () => ({ path: '/images.ImagesService/Import', headers: {}, body: chunks(archive(rootfs), 3, [bytesField(1, 'fuzz.tar'), bytesField(2, 'fuzz:import')]) }),
      CopyToContainer: () => ({
        path: '/containers.ContainerService/CopyToContainer',
        headers: { 'isulad-copy-to-container': pick([JSON.stringify({ id: cid, srcPath: 'x', dstPath: '/tmp', srcIsDir: true }), JSON.stringify({ id: cid, srcPath: 'f', dstPath: '/tmp/f' }), '{', JSON.stringify({ id: 'no-such', srcPath: 'x', dstPath: '/' })]) },
        body: chunks(archive(rootfs), 1),
      }),
    };
    const names = Object.keys(rpcs) as Array<keyof typeof rpcs>;
    const pid = d.pid as number;
    const baseFds = await settledFds(pid);
    const end = Date.now() + 45_000;
    let ran = 0;
    const outcomes: Record<string, number> = {};
    for (let i = 0; i < UPLOADS && Date.now() < end; i++) {
      const n = pick(names);
      const c = rpcs[n]();
      const ending = pick(['end', 'end', 'end', 'cancel', 'drop'] as const);
      // cancel/drop: only part of the body goes before the call is cut
      const body = ending === 'end' ? c.body : c.body.slice(0, Math.max(1, Math.floor(r() * c.body.length)));
      const outcome = await call(c.path, c.headers, body, ending, 5000);
      ran++;
      outcomes[`${n}:${outcome}`] = (outcomes[`${n}:${outcome}`] ?? 0) + 1;
      assert.ok(d.pid !== undefined, `the daemon died on ${n} (${ending}) after ${ran} uploads:\n${d.log().slice(-3000)}`);
    }
    console.log(`# upload fuzz: ${ran} calls: ${JSON.stringify(outcomes)}`);
    assert.equal((await d.isula(['version'])).code, 0, 'the daemon answers');
    assert.equal(await inspectField(d, 'target', '{{.State.Running}}'), 'true', 'the target container still runs');
    // a cut archive may still hold a whole image or rootfs (tar has no length); those go again
    const extra = (await imageIds()).filter((id) => !baseImages.includes(id));
    if (extra.length > 0) await ok(d, ['rmi', '-f', ...extra]);
    await until('extractions to end', async () => ls(join(overlay, 'tmp')).length === 0, 30_000).catch(() => undefined);
    assert.deepEqual(ls(join(overlay, 'tmp')), [], 'half-extracted layers left');
    assert.deepEqual(ls(overlay), baseLayers, 'layer dirs left');
    assert.deepEqual(ls(join(d.root, 'tmp')).filter((f) => !['blobs'].includes(f)), [], 'upload temp files left');
    const endFds = await fdsBackTo(pid, baseFds);
    assert.ok(endFds.size <= baseFds.size, `daemon fds grew: ${baseFds.size} -> ${endFds.size}; new: ${fdDiff(endFds, baseFds).join(', ')}`);
  });
});
