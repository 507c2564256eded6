// CRI pods and containers through a real gRPC client on the daemon socket, with real LXC
// containers: the embedded pause image, DNS and hostname, CRI log files, ExecSync (output, exit
// code, timeout), exit codes and reasons, filters, stop/remove idempotence, and pods that survive
// a daemon kill -9.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { startDaemon, type Daemon } from '../helpers/daemon.ts';
import { criClient, criFails, type CriClient } from '../helpers/cri-client.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

describe('CRI pods and containers', () => {
  let d: Daemon;
  let cri: CriClient;
  let logDir: string;
  let n = 0;

  before(async () => {
    logDir = mkdtempSync(join(tmpdir(), 'cri-logs-'));
    // an empty CNI conf dir: pods get loopback only (cri-network.test.ts covers CNI)
    mkdirSync(join(logDir, 'net.d'));
    d = await startDaemon({ config: { 'cni-conf-dir': join(logDir, 'net.d') } });
    cri = await criClient(d.sock);
  });

  after(async () => {
    if (cri) {
      const pods = await cri.runtime('ListPodSandbox', {}).catch(() => ({ items: [] }));
      for (const p of pods['items'] as Array<{ id: string }>) await cri.runtime('RemovePodSandbox', { pod_sandbox_id: p.id }).catch(() => undefined);
      cri.close();
    }
    await d?.stop();
    if (logDir) rmSync(logDir, { recursive: true, force: true });
  });

  const podConfig = (extra: Record<string, unknown> = {}) => {
    n++;
    return {
      metadata: { name: `pod${n}`, namespace: 'test-ns', uid: `uid-${n}`, attempt: 1 },
      hostname: `host${n}`,
      log_directory: join(logDir, `pod${n}`),
      labels: { app: 'cri-test', n: String(n) },
      annotations: { note: 'yes' },
      linux: {},
      ...extra,
    };
  };

  const runPod = async (cfg = podConfig()) => ({ id: (await cri.runtime('RunPodSandbox', { config: cfg }))['pod_sandbox_id'] as string, cfg });

  const createCtr = async (podId: string, cfg: Record<string, unknown>, name: string, extra: Record<string, unknown> = {}) =>
    (await cri.runtime('CreateContainer', {
      pod_sandbox_id: podId,
      sandbox_config: cfg,
      config: { metadata: { name }, image: { image: 'busybox' }, log_path: `${name}.log`, linux: {}, ...extra },
    }))['container_id'] as string;

  const status = async (id: string) => (await cri.runtime('ContainerStatus', { container_id: id }))['status'];

  test('a pod from the embedded pause image: ready, labelled, listed with filters', async () => {
    const { id, cfg } = await runPod();
    assert.match(id, /^[a-f0-9]{64}$/);
    const st = (await cri.runtime('PodSandboxStatus', { pod_sandbox_id: id }))['status'];
    assert.equal(st['state'], 0);
    assert.deepEqual(st['metadata'], cfg.metadata);
    assert.equal(st['labels']['app'], 'cri-test');
    assert.equal(st['annotations']['note'], 'yes');
    assert.ok(BigInt(st['created_at']) > 0n);
    const ps = await d.isulaOk(['ps', '--format', '{{.Names}}']);
    assert.ok(ps.includes(`k8s_POD_pod${n}_test-ns_uid-${n}_1`), ps);
    const byLabel = await cri.runtime('ListPodSandbox', { filter: { label_selector: { n: String(n) } } });
    assert.deepEqual(byLabel['items'].map((p: { id: string }) => p.id), [id]);
    const byPrefix = await cri.runtime('ListPodSandbox', { filter: { id: id.slice(0, 12) } });
    assert.equal(byPrefix['items'].length, 1);
    const notReady = await cri.runtime('ListPodSandbox', { filter: { state: { state: 1 } } });
    assert.ok(!notReady['items'].some((p: { id: string }) => p.id === id));
  });

  test('a container: CRI log file, hostname and DNS from the pod, ExecSync, exit code', async () => {
    const cfg = podConfig({ dns_config: { servers: ['10.9.8.7'], searches: ['svc.test'], options: ['ndots:3'] } });
    const { id: podId } = await runPod(cfg);
    const cid = await createCtr(podId, cfg, 'main', {
      command: ['sh', '-c', 'echo out-line; echo err-line >&2; sleep 1000'],
      envs: [{ key: 'FOO', value: 'bar' }],
      labels: { role: 'main' },
    });
    assert.equal((await status(cid))['state'], 0);
    await cri.runtime('StartContainer', { container_id: cid });
    const st = await status(cid);
    assert.equal(st['state'], 1);
    assert.equal(st['log_path'], join(logDir, `pod${n}`, 'main.log'));
    const log = await until('the CRI log', async () => {
      const t = existsSync(st['log_path']) ? readFileSync(st['log_path'], 'utf8') : '';
      return t.includes('stderr F err-line') && t.includes('stdout F out-line') ? t : undefined;
    });
    assert.match(log, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z stdout F out-line$/m);
    assert.match(log, / stderr F err-line$/m);

    const ex = await cri.runtime('ExecSync', { container_id: cid, cmd: ['sh', '-c', 'hostname; cat /etc/resolv.conf; echo $FOO; echo oops >&2; exit 3'], timeout: 0 });
    const out = Buffer.from(ex['stdout']).toString();
    assert.equal(ex['exit_code'], 3);
    assert.ok(out.startsWith(`host${n}\n`), out);
    assert.match(out, /^nameserver 10\.9\.8\.7$/m);
    assert.match(out, /^search svc\.test$/m);
    assert.match(out, /^options ndots:3$/m);
    assert.match(out, /^bar$/m);
    assert.equal(Buffer.from(ex['stderr']).toString(), 'oops\n');

    const slow = await criFails(cri.runtime('ExecSync', { container_id: cid, cmd: ['sleep', '30'], timeout: 1 }));
    assert.equal(slow.code, grpc.status.DEADLINE_EXCEEDED);

    const byLabel = await cri.runtime('ListContainers', { filter: { label_selector: { role: 'main' }, pod_sandbox_id: podId } });
    assert.deepEqual(byLabel['containers'].map((c: { id: string }) => c.id), [cid]);
    const running = await cri.runtime('ListContainers', { filter: { state: { state: 1 } } });
    assert.ok(running['containers'].some((c: { id: string }) => c.id === cid));

    const stats = await cri.runtime('ContainerStats', { container_id: cid });
    assert.ok(Number(stats['stats']['memory']['usage_bytes']['value']) > 0);
    assert.ok(Number(stats['stats']['cpu']['usage_core_nano_seconds']['value']) >= 0);

    await cri.runtime('StopContainer', { container_id: cid, timeout: 1 });
    const stopped = await status(cid);
    assert.equal(stopped['state'], 2);
    assert.equal(stopped['exit_code'], 137, 'sh ignores TERM as pid 1: killed after the grace period');
    assert.equal(stopped['reason'], 'Error');
    assert.ok(BigInt(stopped['finished_at']) >= BigInt(stopped['started_at']));
    await cri.runtime('StopContainer', { container_id: cid, timeout: 1 });
  });

  test('exit codes and reasons; a container shares the pod network namespace', async () => {
    const cfg = podConfig();
    const { id: podId } = await runPod(cfg);
    const ok = await createCtr(podId, cfg, 'ok', { command: ['true'] });
    const bad = await createCtr(podId, cfg, 'bad', { command: ['sh', '-c', 'exit 42'] });
    await cri.runtime('StartContainer', { container_id: ok });
    await cri.runtime('StartContainer', { container_id: bad });
    const okSt = await until('ok to exit', async () => { const s = await status(ok); return s['state'] === 2 ? s : undefined; });
    const badSt = await until('bad to exit', async () => { const s = await status(bad); return s['state'] === 2 ? s : undefined; });
    assert.equal(okSt['exit_code'], 0);
    assert.equal(okSt['reason'], 'Completed');
    assert.equal(badSt['exit_code'], 42);
    assert.equal(badSt['reason'], 'Error');
    const started = await criFails(cri.runtime('StartContainer', { container_id: ok }));
    assert.notEqual(started.code, grpc.status.OK);

    const a = await createCtr(podId, cfg, 'a', { command: ['sleep', '1000'] });
    await cri.runtime('StartContainer', { container_id: a });
    const pause = await d.isulaOk(['inspect', '-f', '{{.State.Pid}}', podId]);
    const ctr = await d.isulaOk(['inspect', '-f', '{{.State.Pid}}', a]);
    const nsOf = (pid: string, kind: string) => readlinkSync(`/proc/${pid.trim()}/ns/${kind}`);
    assert.equal(nsOf(ctr, 'net'), nsOf(pause, 'net'));
    assert.equal(nsOf(ctr, 'ipc'), nsOf(pause, 'ipc'));
    assert.equal(nsOf(ctr, 'uts'), nsOf(pause, 'uts'));
    assert.notEqual(nsOf(ctr, 'pid'), nsOf(pause, 'pid'), 'pid namespace CONTAINER by default');
  });

  test('ReopenContainerLog: a log renamed away is written anew', async () => {
    const cfg = podConfig();
    const { id: podId } = await runPod(cfg);
    const cid = await createCtr(podId, cfg, 'ticker', { command: ['sh', '-c', 'i=0; while true; do echo tick$i; i=$((i+1)); sleep 0.2; done'] });
    await cri.runtime('StartContainer', { container_id: cid });
    const path = (await status(cid))['log_path'] as string;
    await until('first ticks', async () => (existsSync(path) && readFileSync(path, 'utf8').includes('tick1') ? true : undefined));
    renameSync(path, `${path}.1`);
    await cri.runtime('ReopenContainerLog', { container_id: cid });
    await until('ticks in the new file', async () => (existsSync(path) && / stdout F tick\d+$/m.test(readFileSync(path, 'utf8')) ? true : undefined));
  });

  test('StopPodSandbox stops its containers; stop and remove are idempotent; removal takes the containers', async () => {
    const cfg = podConfig();
    const { id: podId } = await runPod(cfg);
    const cid = await createCtr(podId, cfg, 'long', { command: ['sleep', '1000'] });
    await cri.runtime('StartContainer', { container_id: cid });
    await cri.runtime('StopPodSandbox', { pod_sandbox_id: podId });
    assert.equal((await status(cid))['state'], 2);
    const st = (await cri.runtime('PodSandboxStatus', { pod_sandbox_id: podId }))['status'];
    assert.equal(st['state'], 1);
    await cri.runtime('StopPodSandbox', { pod_sandbox_id: podId });
    await cri.runtime('RemovePodSandbox', { pod_sandbox_id: podId });
    await cri.runtime('RemovePodSandbox', { pod_sandbox_id: podId });
    const gone = await criFails(cri.runtime('ContainerStatus', { container_id: cid }));
    assert.equal(gone.code, grpc.status.NOT_FOUND);
    const noPod = await criFails(cri.runtime('PodSandboxStatus', { pod_sandbox_id: podId }));
    assert.equal(noPod.code, grpc.status.NOT_FOUND);
    await cri.runtime('RemoveContainer', { container_id: cid });
  });

  test('pods and containers survive a daemon kill -9', async () => {
    const cfg = podConfig();
    const { id: podId } = await runPod(cfg);
    const cid = await createCtr(podId, cfg, 'survivor', { command: ['sleep', '1000'] });
    await cri.runtime('StartContainer', { container_id: cid });
    const pid = (await d.isulaOk(['inspect', '-f', '{{.State.Pid}}', cid])).trim();
    cri.close();
    await d.kill9();
    await d.restart();
    cri = await criClient(d.sock);
    const st = (await cri.runtime('PodSandboxStatus', { pod_sandbox_id: podId }))['status'];
    assert.equal(st['state'], 0);
    const cs = await status(cid);
    assert.equal(cs['state'], 1);
    assert.equal((await d.isulaOk(['inspect', '-f', '{{.State.Pid}}', cid])).trim(), pid);
    const ex = await cri.runtime('ExecSync', { container_id: cid, cmd: ['hostname'], timeout: 10 });
    assert.equal(Buffer.from(ex['stdout']).toString(), `host${n}\n`);
  });
});
