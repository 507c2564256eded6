// Issue 13 item 5 for the CRI: random and mutated valid requests for every unary RPC of
// runtime.v1.RuntimeService and ImageService on the daemon socket, as a hostile or buggy kubelet
// would send them. Bounded in count (ISULA_WIRE_FUZZ_CRI, default 300) and time (90 s); the seed is
// fixed (ISULA_WIRE_FUZZ_SEED to change it), so a run asserts the same calls every time. Each call
// must be answered with a status and a message, malformed input never as INTERNAL or UNKNOWN (a
// throw the services did not expect), and the daemon must stay up. Host paths (log dirs, bind
// sources) stay fixed under a scratch dir: the fuzz must not write the host anywhere else.
import '../helpers/proto-text-hooks.ts';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { startDaemon, type Daemon } from '../helpers/daemon.ts';
import { assertCleanAfterRemovingAll, canRun, skipReason } from './container-fixture.ts';
import { prng } from '../helpers/prng.ts';

const { criGrpc } = await import('../helpers/grpc-clients.ts');

const CASES = Number(process.env.ISULA_WIRE_FUZZ_CRI ?? 300);
// PullImage would go to the network; the streams have their own servers and tests
const SKIP = new Set(['PullImage', 'GetContainerEvents']);
const STRINGS = ['', 'busybox', 'no-such', '../../etc', 'a'.repeat(300), '\u0000', 'busybox:latest', '-1', 'sha256:' + '0'.repeat(64), '/', '/proc', '/dev', '/proc/self/root', 'k=v', '*'];
const PATH_KEYS = new Set(['log_directory', 'log_path', 'host_path']);

type Msg = Record<string, unknown>;

describe('wire fuzz of the CRI services', { skip: skipReason }, () => {
  let d: Daemon;
  let work: string;
  const clients: Array<{ svc: string; client: grpc.Client & Record<string, (...a: unknown[]) => unknown>; methods: string[] }> = [];
  const call = (c: (typeof clients)[number], method: string, req: Msg): Promise<{ code: number; details: string; res?: Msg }> =>
    new Promise((resolve) => {
      try {
        c.client[method]!(req, new grpc.Metadata(), { deadline: Date.now() + 30_000 }, (err: grpc.ServiceError | null, res: Msg) =>
          // grpc-js reports a request it cannot encode as INTERNAL without sending it
          resolve(err ? { code: /^Request message serialization failure/.test(err.details) ? -1 : err.code, details: err.details } : { code: 0, details: '', res }));
      } catch (err) {
        // a request the client cannot even encode (wrong type for a field) never leaves
        resolve({ code: -1, details: String(err) });
      }
    });

  before(async () => {
    if (!canRun) return;
    work = mkdtempSync(join(tmpdir(), 'isula-crifuzz-'));
    mkdirSync(join(work, 'net.d'));
    mkdirSync(join(work, 'bind'));
    d = await startDaemon({ config: { 'log-level': 'WARN', 'cni-conf-dir': join(work, 'net.d') } });
    const g = criGrpc() as unknown as { runtime: { v1: Record<string, grpc.ServiceClientConstructor> } };
    for (const name of ['RuntimeService', 'ImageService']) {
      const Ctor = g.runtime.v1[name]!;
      const methods = Object.entries(Ctor.service).filter(([m, def]) => !def.requestStream && !def.responseStream && !SKIP.has(m)).map(([m]) => m);
      clients.push({ svc: name, client: new Ctor(`unix://${d.sock}`, grpc.credentials.createInsecure()) as never, methods });
    }
  });
  after(async () => {
    if (!canRun) return;
    try {
      const rt = clients[0];
      if (rt) {
        const pods = await call(rt, 'ListPodSandbox', {});
        for (const p of (pods.res?.['items'] ?? []) as Array<{ id: string }>) await call(rt, 'RemovePodSandbox', { pod_sandbox_id: p.id });
      }
      for (const c of clients) c.client.close();
      await assertCleanAfterRemovingAll(d);
    } finally {
      await d.stop();
      rmSync(work, { recursive: true, force: true });
    }
  });

  test(`${CASES} random and mutated CRI requests: every call answered, none INTERNAL, the daemon stays up`, { timeout: 8 * 60_000 }, async () => {
    const r = prng(Number(process.env.ISULA_WIRE_FUZZ_SEED ?? 13));
    const pick = <T>(a: readonly T[]): T => a[Math.floor(r() * a.length)] as T;
    const [rt, im] = clients as [(typeof clients)[number], (typeof clients)[number]];

    // one real pod and container, so that mutated requests reach past "not found"
    let n = 0;
    const podCfg = (): Msg => ({
      metadata: { name: `fz${n}`, namespace: 'fuzz', uid: `u${n++}`, attempt: 0 },
      hostname: 'fz',
      log_directory: join(work, 'logs'),
      labels: { a: 'b' },
      linux: {},
    });
    const cfg = podCfg();
    const pod = await call(rt, 'RunPodSandbox', { config: cfg });
    assert.equal(pod.code, 0, pod.details);
    const podId = pod.res?.['pod_sandbox_id'] as string;
    const ctrCfg = (): Msg => ({
      metadata: { name: `c${n++}` },
      image: { image: 'busybox' },
      command: ['sleep', '1000'],
      log_path: 'c.log',
      mounts: [{ container_path: '/data', host_path: join(work, 'bind'), readonly: false }],
      linux: { resources: { cpu_shares: 512, memory_limit_in_bytes: 64 << 20 } },
    });
    const ctr = await call(rt, 'CreateContainer', { pod_sandbox_id: podId, config: ctrCfg(), sandbox_config: cfg });
    assert.equal(ctr.code, 0, ctr.details);
    const ctrId = ctr.res?.['container_id'] as string;

    const valid: Record<string, () => Msg> = {
      RunPodSandbox: () => ({ config: podCfg() }),
      CreateContainer: () => ({ pod_sandbox_id: podId, config: ctrCfg(), sandbox_config: cfg }),
      StartContainer: () => ({ container_id: ctrId }),
      StopContainer: () => ({ container_id: ctrId, timeout: 1 }),
      ContainerStatus: () => ({ container_id: ctrId, verbose: true }),
      PodSandboxStatus: () => ({ pod_sandbox_id: podId, verbose: true }),
      UpdateContainerResources: () => ({ container_id: ctrId, linux: { cpu_shares: 256, memory_limit_in_bytes: 32 << 20, cpu_period: 100000, cpu_quota: 50000 } }),
      ExecSync: () => ({ container_id: ctrId, cmd: ['true'], timeout: 5 }),
      Exec: () => ({ container_id: ctrId, cmd: ['sh'], stdout: true }),
      Attach: () => ({ container_id: ctrId, stdout: true }),
      PortForward: () => ({ pod_sandbox_id: podId, port: [80] }),
      ListContainers: () => ({ filter: { pod_sandbox_id: podId, label_selector: { a: 'b' } } }),
      ListPodSandbox: () => ({ filter: { label_selector: { a: 'b' } } }),
      ContainerStats: () => ({ container_id: ctrId }),
      ListContainerStats: () => ({ filter: { pod_sandbox_id: podId } }),
      PodSandboxStats: () => ({ pod_sandbox_id: podId }),
      ReopenContainerLog: () => ({ container_id: ctrId }),
      ImageStatus: () => ({ image: { image: 'busybox' }, verbose: true }),
      ListImages: () => ({ filter: { image: { image: 'busybox' } } }),
      UpdateRuntimeConfig: () => ({ runtime_config: { network_config: { pod_cidr: '10.88.0.0/16' } } }),
    };
    const scalar = (like: unknown): unknown => {
      const k = r();
      if (typeof like === 'number' || k < 0.15) return pick([0, -1, 1, 2 ** 31 - 1, -(2 ** 31), Math.floor(r() * 2 ** 40), 1e15]);
      if (typeof like === 'boolean' || k < 0.25) return r() < 0.5;
      return pick(STRINGS);
    };
    /** a copy of `m` with one field somewhere in it replaced, emptied or removed */
    const mutate = (m: unknown, depth = 0): unknown => {
      if (Array.isArray(m)) {
        if (m.length === 0 || r() < 0.2) return r() < 0.5 ? [] : [scalar(m[0]), scalar(m[0])];
        const i = Math.floor(r() * m.length);
        return m.map((x, j) => (j === i ? mutate(x, depth + 1) : x));
      }
      if (m !== null && typeof m === 'object') {
        const keys = Object.keys(m);
        if (keys.length === 0) return r() < 0.5 ? {} : { [pick(STRINGS)]: pick(STRINGS) };
        const key = pick(keys);
        const out: Msg = { ...(m as Msg) };
        if (PATH_KEYS.has(key)) return out; // host paths stay where the test put them
        const k = r();
        if (k < 0.15 && depth < 4) delete out[key];
        else if (k < 0.25) out[key] = typeof out[key] === 'object' ? {} : scalar(out[key]);
        else out[key] = typeof out[key] === 'object' ? mutate(out[key], depth + 1) : scalar(out[key]);
        return out;
      }
      return scalar(m);
    };

    const end = Date.now() + 90_000;
    let ran = 0;
    let sent = 0;
    const codes: Record<string, number> = {};
    for (let i = 0; i < CASES && Date.now() < end; i++) {
      const c = r() < 0.8 ? rt : im;
      const method = pick(c.methods);
      const base = valid[method];
      let req: Msg = base ? base() : {};
      const muts = base ? 1 + Math.floor(r() * 3) : 0;
      for (let j = 0; j < muts; j++) req = mutate(req) as Msg;
      if (!base && r() < 0.5) req = { [pick(['container_id', 'pod_sandbox_id', 'image', 'filter'])]: pick(STRINGS) };
      const res = await call(c, method, req);
      ran++;
      if (res.code >= 0) sent++;
      const key = `${method}:${res.code}`;
      codes[key] = (codes[key] ?? 0) + 1;
      const what = `${c.svc}.${method} ${JSON.stringify(req).slice(0, 400)}`;
      assert.notEqual(res.code, grpc.status.UNAVAILABLE, `${what}: daemon unreachable: ${res.details}`);
      if (res.code > 0) assert.ok(res.details.length > 0, `${what}: an error without a message`);
      assert.notEqual(res.code, grpc.status.UNKNOWN, `${what}: ${res.details}`);
      assert.notEqual(res.code, grpc.status.INTERNAL, `${what}: ${res.details}`);
    }
    console.log(`# CRI wire fuzz: ${ran} calls (${sent} sent) over ${clients.reduce((s, c) => s + c.methods.length, 0)} RPCs, codes ${JSON.stringify(codes)}`);
    assert.ok(sent > ran / 2, `only ${sent} of ${ran} requests could be encoded`);
    assert.equal((await d.isula(['version'])).code, 0, 'the daemon is still up');
  });
});
