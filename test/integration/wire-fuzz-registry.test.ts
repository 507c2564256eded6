// Issue 13 item 5, the RPCs the other wire fuzzes leave out because they reach registries or read
// the host: PullImage, PushImage, Login, Logout, Search, CopyFromContainer, Export and
// ExportStream. Random and mutated requests through a gRPC client, against loopback endpoints only
// (no internet): a real docker-registry, a closed port, a server that answers junk and hangs up,
// and one that accepts and never answers; streams are cut by deadline or cancel at random points.
// Bounded in count (ISULA_REGISTRY_FUZZ, default 200) and time (120 s). Afterwards the daemon
// answers, the target container still runs, and nothing is left: fds and children back to the
// warm-up's, no new mount, no staging dir or partial blob, no temp file next to auths.json, no
// file written outside the dir exports were meant for.
import '../helpers/proto-text-hooks.ts';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import net from 'node:net';
import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDaemon, type Daemon } from '../helpers/daemon.ts';
import { freePort, skopeoCopy, startRegistry, type Registry } from '../helpers/registry.ts';
import { rootfsFixture, writeBigImage } from '../fixtures/images/make.ts';
import { canRun, fdDiff, fdsBackTo, inspectField, mountsUnder, ok, settledFds, until } from './container-fixture.ts';
import { prng } from '../helpers/prng.ts';

const { isulaGrpc } = await import('../helpers/grpc-clients.ts');

const CASES = Number(process.env.ISULA_REGISTRY_FUZZ ?? 200);
const ARCH = process.arch === 'arm64' ? 'arm64' : 'amd64';
const skip = skipWhy();
function skipWhy(): string | false {
  if (!canRun) return 'needs root and LXC (lxc-start)';
  if (!existsSync('/usr/bin/docker-registry')) return 'needs docker-registry';
  if (!existsSync('/usr/bin/skopeo')) return 'needs skopeo';
  return false;
}

type Client = grpc.Client & Record<string, (...a: unknown[]) => grpc.ClientReadableStream<unknown> & grpc.ClientUnaryCall>;

/** Daemon children: pid + command. */
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

const ls = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir).sort() : []);

describe('wire fuzz of the registry and host-reading RPCs', { skip }, () => {
  let d: Daemon;
  let reg: Registry;
  let work: string;
  let home: string;
  let cid: string;
  let closedHost: string;
  let junkHost: string;
  let silentHost: string;
  const servers: net.Server[] = [];
  const sockets = new Set<net.Socket>();
  const images: Client[] = [];
  let containers: Client;

  /** a loopback server: `onConn` decides what a connection gets */
  async function serve(onConn: (s: net.Socket) => void): Promise<string> {
    const srv = net.createServer((s) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => undefined);
      onConn(s);
    });
    await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
    servers.push(srv);
    return `127.0.0.1:${(srv.address() as net.AddressInfo).port}`;
  }

  before(async () => {
    if (skip) return;
    work = mkdtempSync(join(tmpdir(), 'isula-regfuzz-'));
    home = join(work, 'home');
    reg = await startRegistry();
    await skopeoCopy(`oci-archive:${rootfsFixture(`busybox-${ARCH}.oci.tar`)}`, `docker://${reg.host}/fz/busybox:latest`);
    // layers nothing local has: pulls that really download and extract, long enough to be cut
    const big = join(work, 'big.tar');
    writeBigImage(big, { seed: 31, totalBytes: 3 * (2 << 20), layerCount: 3 });
    await skopeoCopy(`docker-archive:${big}`, `docker://${reg.host}/fz/big:latest`);
    rmSync(big);
    closedHost = `127.0.0.1:${await freePort()}`;
    // junk: random bytes (sometimes an HTTP status line first), then the connection goes
    const jr = prng(7);
    junkHost = await serve((s) => {
      const n = 1 + Math.floor(jr() * 300);
      const head = jr() < 0.5 ? 'HTTP/1.1 200 OK\r\nContent-Length: 99999\r\n\r\n' : '';
      s.end(Buffer.concat([Buffer.from(head), Buffer.from(Array.from({ length: n }, () => Math.floor(jr() * 256)))]));
    });
    // silent: accepts, reads, never answers (the caller's deadline or cancel ends it)
    silentHost = await serve((s) => s.resume());
    d = await startDaemon({ config: { 'log-level': 'WARN', 'insecure-registries': [reg.host, closedHost, junkHost, silentHost] }, env: { HOME: home } });
    cid = (await ok(d, ['run', '-d', '--name', 'target', 'busybox', 'sleep', '100000'])).stdout.trim();
    // local names on every endpoint, so pushes get as far as the network
    for (const h of [reg.host, closedHost, junkHost, silentHost]) await ok(d, ['tag', 'busybox', `${h}/fz/pushed:1`]);
    const g = isulaGrpc() as unknown as Record<string, Record<string, grpc.ServiceClientConstructor>>;
    images.push(new g['images']!['ImagesService']!(`unix://${d.sock}`, grpc.credentials.createInsecure()) as never);
    containers = new g['containers']!['ContainerService']!(`unix://${d.sock}`, grpc.credentials.createInsecure()) as never;
  });

  after(async () => {
    if (skip) return;
    for (const c of [...images, containers]) c?.close();
    if (d) {
      await d.isula(['rm', '-f', 'target']).catch(() => undefined);
      await d.stop();
    }
    for (const s of sockets) s.destroy();
    for (const srv of servers) await new Promise<void>((resolve) => srv.close(() => resolve()));
    await reg?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  test(`${CASES} random and mutated calls on pull/push/login/logout/search/copy-from/export: answered, nothing left`, { timeout: 8 * 60_000 }, async () => {
    const r = prng(Number(process.env.ISULA_REGISTRY_FUZZ_SEED ?? 13));
    const pick = <T>(a: readonly T[]): T => a[Math.floor(r() * a.length)] as T;
    const junk = (n: number) => Array.from({ length: n }, () => String.fromCharCode(Math.floor(r() * 0x250))).join('');
    // unqualified names need registry-mirrors (none here): refused without leaving the host
    const STR = ['', '-1', '../../etc', 'a'.repeat(300), '\u0000', ':', '@', 'sha256:' + '0'.repeat(64), '%2e%2e', 'localhost:0/x'];
    // server names that never reach a resolver: refused as syntax, or loopback
    const SERVERS = ['', '\u0000', ':', '@', '..', '%2e%2e', 'localhost:1', '127.0.0.1:0', '[::1]:1', `${reg.host}/../x`, `https://${reg.host}`, `${reg.host}:99999`];
    const hosts = () => pick([reg.host, reg.host, closedHost, junkHost, silentHost]);
    const repo = () => pick(['fz/busybox', 'fz/busybox:latest', 'fz/nope:1', `fz/busybox@sha256:${'0'.repeat(64)}`, 'FZ/Upper', 'fz/' + 'x'.repeat(200), 'fz/../x', junk(6)]);
    // junk without a '/' has no host part: it can never name a registry somewhere out there
    const imageRef = () => (r() < 0.85 ? `${hosts()}/${repo()}` : pick([...STR, junk(12).replace(/\//g, '_'), 'busybox']));
    const exportFile = () => pick([join(work, 'exp', `e${Math.floor(r() * 5)}.tar`), join(work, 'no-such-dir', 'x.tar'), '', 'rel-export.tar', join(work, 'exp'), '/proc/self/x', junk(5)]);
    const ids = () => pick([cid, cid.slice(0, 12), 'target', '', 'no-such', '../..', 'a'.repeat(300)]);
    const srcPaths = () => pick(['/', '/etc/passwd', '/etc', '/no/such', 'rel', '/proc/self/..', '/../../..', '/dev/null', '\u0000', junk(4)]);
    // what the images and containers services get; a stream is cut by deadline or cancel
    type Kind = 'unary' | 'stream';
    const rpcs: Record<string, () => { svc: Client; kind: Kind; req: Record<string, unknown> }> = {
      // half the pulls are of the real image (removed first now and then, so it downloads again)
      PullImage: () => ({ svc: images[0]!, kind: 'stream', req: { image: r() < 0.5 ? `${reg.host}/fz/big:latest` : r() < 0.3 ? `${hosts()}/fz/big:latest` : imageRef(), platform: r() < 0.85 ? '' : pick(['linux/arm64', 'x/y/z/w', junk(3)]) } }),
      PushImage: () => ({ svc: images[0]!, kind: 'stream', req: { image: r() < 0.6 ? `${hosts()}/fz/pushed:1` : r() < 0.3 ? 'busybox' : imageRef() } }),
      Login: () => ({ svc: images[0]!, kind: 'unary', req: { server: r() < 0.85 ? hosts() : pick(SERVERS), username: pick(['u', '', junk(8), 'a'.repeat(300)]), password: pick(['p', '', junk(8)]) } }),
      Logout: () => ({ svc: images[0]!, kind: 'unary', req: { server: r() < 0.8 ? hosts() : pick(SERVERS) } }),
      Search: () => ({ svc: images[0]!, kind: 'unary', req: { search_name: r() < 0.8 ? `${hosts()}/${pick(['busybox', 'fz', '', junk(4)])}` : pick(STR), limit: pick([0, 1, 25, 100, 2 ** 31]), filters: r() < 0.3 ? [pick(['stars=3', 'is-official=x', 'x=y', '=', junk(4)])] : [] } }),
      CopyFromContainer: () => ({ svc: containers, kind: 'stream', req: { id: ids(), runtime: pick(['', 'lcr', 'x']), srcpath: srcPaths() } }),
      Export: () => ({ svc: containers, kind: 'unary', req: { id: ids(), file: exportFile() } }),
      ExportStream: () => ({ svc: containers, kind: 'stream', req: { id: ids(), file: '' } }),
    };
    const names = Object.keys(rpcs);
    // UNAVAILABLE is also the daemon's word for an unreachable registry; the client's own words
    // for a daemon that went away are what must never show up
    const transport = (err: grpc.ServiceError) => (err.code === grpc.status.UNAVAILABLE && /No connection established|Connection dropped|ECONNRESET|ECONNREFUSED.*\.sock/.test(err.details) ? ' (daemon unreachable)' : '');
    const run = (c: { svc: Client; kind: Kind; req: Record<string, unknown> }, method: string, deadlineMs: number, cancelMs: number | undefined): Promise<string> =>
      new Promise((resolve) => {
        let done = false;
        let timer: NodeJS.Timeout | undefined;
        const finish = (v: string) => {
          if (done) return;
          done = true;
          if (timer) clearTimeout(timer);
          resolve(v);
        };
        const opts = { deadline: Date.now() + deadlineMs };
        try {
          if (c.kind === 'unary') {
            const call = c.svc[method]!(c.req, new grpc.Metadata(), opts, (err: grpc.ServiceError | null, res?: { cc?: number; errmsg?: string }) => {
              if (err) finish(`status ${err.code}${err.details ? '' : ' (no message)'}${transport(err)}`);
              else finish(res?.cc ? `cc${res.errmsg ? '' : ' (no message)'}` : 'ok');
              if (process.env.ISULA_FUZZ_TRACE) console.log(`#   ${method}: ${err ? err.details : JSON.stringify(res)}`);
            });
            if (cancelMs !== undefined) timer = setTimeout(() => call.cancel(), cancelMs);
          } else {
            const call = c.svc[method]!(c.req, new grpc.Metadata(), opts);
            call.on('data', () => undefined);
            call.on('error', (err: grpc.ServiceError) => (process.env.ISULA_FUZZ_TRACE ? console.log(`#   ${method}: ${err.details}`) : undefined, finish(`status ${err.code}${err.details ? '' : ' (no message)'}${transport(err)}`)));
            call.on('end', () => finish('ok'));
            if (cancelMs !== undefined) timer = setTimeout(() => call.cancel(), cancelMs);
          }
        } catch (err) {
          finish(`not sent: ${String(err).slice(0, 40)}`); // the client could not encode it
        }
      });

    // warm-up: one good call of each, so what the daemon opens once is in the base
    await run(rpcs['PullImage']!(), 'PullImage', 60_000, undefined);
    await run({ svc: images[0]!, kind: 'stream', req: { image: `${reg.host}/fz/busybox:latest` } }, 'PullImage', 60_000, undefined);
    await run({ svc: images[0]!, kind: 'unary', req: { server: reg.host, username: 'u', password: 'p' } }, 'Login', 20_000, undefined);
    await run({ svc: images[0]!, kind: 'unary', req: { server: reg.host } }, 'Logout', 20_000, undefined);
    await run({ svc: images[0]!, kind: 'unary', req: { search_name: `${reg.host}/busybox`, limit: 25 } }, 'Search', 20_000, undefined);
    await run({ svc: containers, kind: 'stream', req: { id: cid, srcpath: '/etc/passwd' } }, 'CopyFromContainer', 20_000, undefined);
    await run({ svc: containers, kind: 'stream', req: { id: cid } }, 'ExportStream', 60_000, undefined);
    const pid = d.pid as number;
    const cwd = readlinkSync(`/proc/${pid}/cwd`);
    const cwdBefore = ls(cwd);
    const baseFds = await settledFds(pid);
    const baseChildren = childrenOf(pid);
    const baseMounts = mountsUnder(d.dir).sort();
    const authDir = join(home, '.isulad');
    const baseAuth = ls(authDir);

    const end = Date.now() + 120_000;
    let ran = 0;
    const outcomes: Record<string, number> = {};
    const perRpc: Record<string, number> = {};
    for (let i = 0; i < CASES && Date.now() < end; i++) {
      const method = pick(names);
      const c = rpcs[method]!();
      if (method === 'PullImage' && r() < 0.4) await d.isula(['rmi', '-f', `${reg.host}/fz/big:latest`]);
      const cancelMs = r() < 0.35 ? Math.floor(r() * 1500) : undefined;
      const outcome = await run(c, method, 1500 + Math.floor(r() * 2500), cancelMs);
      ran++;
      perRpc[method] = (perRpc[method] ?? 0) + 1;
      outcomes[`${method}:${outcome}`] = (outcomes[`${method}:${outcome}`] ?? 0) + 1;
      if (process.env.ISULA_FUZZ_TRACE) console.log(`# ${method} ${JSON.stringify(c.req).slice(0, 200)} -> ${outcome}`);
      assert.ok(d.pid !== undefined, `the daemon died on ${method} ${JSON.stringify(c.req).slice(0, 300)} after ${ran} calls:\n${d.log().slice(-3000)}`);
      assert.doesNotMatch(outcome, /no message/, `${method} ${JSON.stringify(c.req).slice(0, 300)}: an error without a message`);
      assert.doesNotMatch(outcome, /daemon unreachable/, `${method} ${JSON.stringify(c.req).slice(0, 300)}: the daemon went away`);
      assert.notEqual(outcome, `status ${grpc.status.UNKNOWN}`, `${method} ${JSON.stringify(c.req).slice(0, 300)}: UNKNOWN`);
    }
    console.log(`# registry fuzz: ${ran} calls ${JSON.stringify(perRpc)}: ${JSON.stringify(outcomes)}`);

    assert.equal((await d.isula(['version'])).code, 0, 'the daemon answers');
    assert.equal(await inspectField(d, 'target', '{{.State.Running}}'), 'true', 'the target container still runs');
    // a complete pull finishes what any cut one left, then no partial blob and no staging dir may stay
    await ok(d, ['pull', `${reg.host}/fz/big:latest`]);
    await until('extractions to end', async () => ls(join(d.root, 'storage', 'overlay', 'tmp')).length === 0, 30_000).catch(() => undefined);
    assert.deepEqual(ls(join(d.root, 'storage', 'overlay', 'tmp')), [], 'half-extracted layers left');
    assert.deepEqual(ls(join(d.root, 'isulad_tmpdir', 'blobs')).filter((f) => f.endsWith('.partial')), [], 'partial blobs left after a complete pull');
    assert.deepEqual(ls(join(d.root, 'tmp')).filter((f) => f !== 'blobs'), [], 'temp files left in the daemon root');
    assert.deepEqual(ls(authDir).filter((f) => !baseAuth.includes(f) && f !== 'auths.json' && f !== 'aeskey'), [], 'temp files next to auths.json');
    assert.deepEqual(ls(cwd), cwdBefore, `a relative export path wrote into the daemon's cwd ${cwd}`);
    assert.deepEqual(ls(work).filter((f) => !['home', 'exp'].includes(f)), [], 'files outside the export dir');
    assert.deepEqual(mountsUnder(d.dir).sort(), baseMounts, 'mounts left (a copy or export that never unmounted)');
    const endFds = await fdsBackTo(pid, baseFds);
    assert.ok(endFds.size <= baseFds.size, `daemon fds grew: ${baseFds.size} -> ${endFds.size}; new: ${fdDiff(endFds, baseFds).join(', ')}`);
    await until('daemon children to settle', async () => childrenOf(pid).length <= baseChildren.length, 30_000).catch(() => undefined);
    assert.deepEqual(childrenOf(pid), baseChildren, 'daemon child processes');
  });
});
