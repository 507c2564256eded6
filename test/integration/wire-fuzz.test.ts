// Issue 13 item 5, fuzzed on the wire: random and mutated requests for every unary RPC of the
// isula services (ContainerService, ImagesService, VolumeService, NetworkService), bounded in
// count (ISULA_WIRE_FUZZ, default 400) and time (60 s). Each call must end with a status and a
// message (any code but UNKNOWN/INTERNAL for malformed input), and the daemon must stay up.
// The streams (Attach, RemoteExec, Logs, Events) get raw garbage in wire-fuzz-streams.test.ts.
import '../helpers/proto-text-hooks.ts';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import { startDaemon, type Daemon } from '../helpers/daemon.ts';
import { canRun, skipReason } from './container-fixture.ts';
import { prng } from '../helpers/prng.ts';

const { isulaGrpc } = await import('../helpers/grpc-clients.ts');

const CASES = Number(process.env.ISULA_WIRE_FUZZ ?? 400);
// requests that would change the host for real whatever their other fields say
const SKIP = new Set(['Load', 'Import', 'Login', 'Logout', 'Pull', 'Push', 'Export', 'CopyToContainer', 'CopyFromContainer', 'Attach', 'RemoteStart', 'RemoteExec', 'Events', 'Logs', 'Stats', 'Wait', 'Search']);

const JSONISH = ['', '{', '[]', 'null', '"x"', '{"Binds":"x"}', '{"Memory":"4m"}', '{"Memory":1}', '{"NanoCpus":1e15}', '{"Cmd":"sh"}', '{"SecurityOpt":[1]}', '{"RestartPolicy":7}', '{"Mounts":[{"Type":"bind","Source":"/proc","Target":"/proc"}]}', '{"Tmpfs":{"/proc":""}}'];
const STRINGS = ['', 'busybox', 'no-such', '../../etc', 'a'.repeat(300), '\u0000', 'busybox:latest', '-1', 'sha256:' + '0'.repeat(64), ...JSONISH];

describe('wire fuzz of the isula services', { skip: skipReason }, () => {
  let d: Daemon;
  const clients: Array<{ svc: string; client: grpc.Client & Record<string, (...a: unknown[]) => unknown>; methods: string[] }> = [];
  before(async () => {
    if (!canRun) return;
    d = await startDaemon({ config: { 'log-level': 'WARN' } });
    const g = isulaGrpc() as unknown as Record<string, Record<string, grpc.ServiceClientConstructor>>;
    for (const [pkg, name] of [['containers', 'ContainerService'], ['images', 'ImagesService'], ['volume', 'VolumeService'], ['network', 'NetworkService']] as const) {
      const Ctor = g[pkg]?.[name];
      if (!Ctor) continue;
      const methods = Object.entries(Ctor.service).filter(([m, def]) => !def.requestStream && !def.responseStream && !SKIP.has(m)).map(([m]) => m);
      clients.push({ svc: name, client: new Ctor(`unix://${d.sock}`, grpc.credentials.createInsecure()) as never, methods });
    }
  });
  after(async () => {
    if (!canRun) return;
    for (const c of clients) c.client.close();
    await d.stop();
  });

  test(`${CASES} random and mutated unary requests: every call answered, the daemon stays up`, { timeout: 5 * 60_000 }, async () => {
    const r = prng(Number(process.env.ISULA_WIRE_FUZZ_SEED ?? 13));
    const pick = <T>(a: readonly T[]): T => a[Math.floor(r() * a.length)] as T;
    const value = (): unknown => {
      const k = r();
      if (k < 0.5) return pick(STRINGS);
      if (k < 0.7) return Math.floor(r() * 2 ** 31) * (r() < 0.2 ? -1 : 1);
      if (k < 0.8) return r() < 0.5;
      if (k < 0.9) return [pick(STRINGS), pick(STRINGS)];
      return { [pick(['a', 'Binds', 'key'])]: pick(STRINGS) };
    };
    const fields = ['id', 'name', 'image', 'hostconfig', 'customconfig', 'runtime', 'all', 'force', 'filters', 'signal', 'timeout', 't', 'volumes', 'ref', 'src_name', 'dest_name', 'tag', 'file', 'type', 'subnet', 'driver', 'names', 'stop_signal', 'cpu_shares', 'memory', 'path', 'user', 'cmd', 'env'];
    const end = Date.now() + 60_000;
    let ran = 0;
    const codes: Record<string, number> = {};
    for (let i = 0; i < CASES && Date.now() < end; i++) {
      const c = pick(clients);
      const method = pick(c.methods);
      const req: Record<string, unknown> = {};
      const n = Math.floor(r() * 5);
      for (let j = 0; j < n; j++) req[pick(fields)] = value();
      if (method === 'Create' && r() < 0.7) Object.assign(req, { image: 'busybox', hostconfig: pick(JSONISH), customconfig: pick(JSONISH) });
      const res = await new Promise<{ code: number; details: string }>((resolve) => {
        try {
          c.client[method]!(req, new grpc.Metadata(), { deadline: Date.now() + 20_000 }, (err: grpc.ServiceError | null) => resolve(err ? { code: err.code, details: err.details } : { code: 0, details: '' }));
        } catch (err) {
          // a request the client cannot even encode (wrong JSON type for a field) never leaves
          resolve({ code: -1, details: String(err) });
        }
      });
      ran++;
      const key = `${c.svc}.${method}:${res.code}`;
      codes[key] = (codes[key] ?? 0) + 1;
      assert.notEqual(res.code, grpc.status.UNAVAILABLE, `${c.svc}.${method} ${JSON.stringify(req)}: daemon unreachable: ${res.details}`);
      if (res.code > 0) assert.ok(res.details.length > 0, `${c.svc}.${method}: an error without a message`);
      assert.notEqual(res.code, grpc.status.UNKNOWN, `${c.svc}.${method} ${JSON.stringify(req)}: ${res.details}`);
    }
    console.log(`# wire fuzz: ${ran} calls over ${clients.reduce((n, c) => n + c.methods.length, 0)} RPCs`);
    assert.ok(d.pid !== undefined, 'the daemon is still running');
    assert.equal((await d.isula(['version'])).code, 0);
    const ids = (await d.isula(['ps', '-aq'])).stdout.split('\n').filter(Boolean);
    if (ids.length > 0) await d.isula(['rm', '-f', ...ids]);
  });
});
