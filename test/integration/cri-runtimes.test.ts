// CRI runtime handlers, container events and pod stats, through a real gRPC client with real
// pods: a handler mapped by daemon.json `cri-runtimes` (and "runc" itself) runs the pod on runc
// under conmon, the default on lcr; an unknown handler is refused. GetContainerEvents streams the
// lifecycle of real containers; PodSandboxStats sums the pod's real cgroup figures.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, renameSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { WebSocket } from 'ws';
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

const ppidOf = (pid: number) => Number(/^PPid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
const commOf = (pid: number) => readFileSync(`/proc/${pid}/comm`, 'utf8').trim();

describe('CRI runtime handlers, events and pod stats', () => {
  let d: Daemon;
  let cri: CriClient;
  let dir: string;
  let n = 0;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cri-rt-'));
    mkdirSync(join(dir, 'net.d'));
    d = await startDaemon({ config: { 'cni-conf-dir': join(dir, 'net.d'), 'cri-runtimes': { fast: 'runc', broken: 'no-such-runtime' } } });
    cri = await criClient(d.sock);
  });

  after(async () => {
    if (cri) {
      const pods = await cri.runtime('ListPodSandbox', {}).catch(() => ({ items: [] }));
      for (const p of pods['items'] as Array<{ id: string }>) await cri.runtime('RemovePodSandbox', { pod_sandbox_id: p.id }).catch(() => undefined);
      cri.close();
    }
    await d?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const podConfig = () => {
    n++;
    return { metadata: { name: `rt${n}`, namespace: 'rt-ns', uid: `rt-uid-${n}`, attempt: 0 }, log_directory: join(dir, `pod${n}`), labels: { n: String(n) }, linux: {} };
  };

  const runPod = async (handler: string) => {
    const cfg = podConfig();
    const id = (await cri.runtime('RunPodSandbox', { config: cfg, runtime_handler: handler }))['pod_sandbox_id'] as string;
    return { id, cfg };
  };

  const runCtr = async (podId: string, cfg: Record<string, unknown>, name: string, cmd: string[]) => {
    const cid = (await cri.runtime('CreateContainer', {
      pod_sandbox_id: podId,
      sandbox_config: cfg,
      config: { metadata: { name }, image: { image: 'busybox' }, command: cmd, log_path: `${name}.log`, linux: {} },
    }))['container_id'] as string;
    await cri.runtime('StartContainer', { container_id: cid });
    return cid;
  };

  const status = async (cid: string) => (await cri.runtime('ContainerStatus', { container_id: cid }))['status'];
  const engineRuntime = async (id: string) => (await d.isulaOk(['inspect', '-f', '{{.HostConfig.Runtime}}', id])).trim();
  const pidOf = async (id: string) => Number((await d.isulaOk(['inspect', '-f', '{{.State.Pid}}', id])).trim());

  for (const handler of ['fast', 'runc']) {
    test(`runtime_handler "${handler}": the pod and its container run on runc under conmon`, async () => {
      const { id, cfg } = await runPod(handler);
      const st = (await cri.runtime('PodSandboxStatus', { pod_sandbox_id: id }))['status'];
      assert.equal(st['runtime_handler'], handler);
      assert.equal(await engineRuntime(id), 'runc');
      const cid = await runCtr(id, cfg, 'app', ['sh', '-c', 'echo from-runc; sleep 1000']);
      assert.equal(await engineRuntime(cid), 'runc');
      for (const x of [id, cid]) assert.equal(commOf(ppidOf(await pidOf(x))), 'conmon', `${x} is a child of conmon`);
      // one pod: the container is in the pause container's network namespace
      assert.equal(readlinkSync(`/proc/${await pidOf(cid)}/ns/net`), readlinkSync(`/proc/${await pidOf(id)}/ns/net`));
      const ex = await cri.runtime('ExecSync', { container_id: cid, cmd: ['sh', '-c', 'echo $((6*7))'], timeout: 10 });
      assert.equal(Buffer.from(ex['stdout']).toString(), '42\n');
      const log = join(cfg.log_directory, 'app.log');
      await until('the CRI log line', async () => (/ stdout F from-runc$/m.test(readFileSync(log, 'utf8')) ? true : undefined));
      await cri.runtime('StopPodSandbox', { pod_sandbox_id: id });
      await cri.runtime('RemovePodSandbox', { pod_sandbox_id: id });
      assert.equal((await cri.runtime('ListPodSandbox', { filter: { id } }))['items'].length, 0);
    });
  }

  test('on runc: exec keeps supplementary groups, a timed-out ExecSync leaves no process, ReopenContainerLog, host network', async () => {
    const { id, cfg } = await runPod('runc');
    const cid = (await cri.runtime('CreateContainer', {
      pod_sandbox_id: id,
      sandbox_config: cfg,
      config: {
        metadata: { name: 'grp' }, image: { image: 'busybox' }, command: ['sh', '-c', 'while true; do echo tick; sleep 0.2; done'], log_path: 'grp.log',
        linux: { security_context: { run_as_user: { value: 1000 }, supplemental_groups: [1234, 50000] } },
      },
    }))['container_id'] as string;
    await cri.runtime('StartContainer', { container_id: cid });
    const ids = await cri.runtime('ExecSync', { container_id: cid, cmd: ['id', '-G'], timeout: 10 });
    const groups = Buffer.from(ids['stdout']).toString().trim().split(/\s+/);
    for (const g of ['1234', '50000']) assert.ok(groups.includes(g), `exec has supplemental group ${g}: ${groups.join(' ')}`);
    const slow = await criFails(cri.runtime('ExecSync', { container_id: cid, cmd: ['sleep', '4321'], timeout: 1 }));
    assert.equal(slow.code, grpc.status.DEADLINE_EXCEEDED);
    await until('the timed-out exec process gone', async () => {
      const ps = await cri.runtime('ExecSync', { container_id: cid, cmd: ['sh', '-c', 'ps -o args | grep -c "^sleep 4321"'], timeout: 10 });
      return Buffer.from(ps['stdout']).toString().trim() === '0' ? true : undefined;
    });
    // the kubelet renames the log away, asks for a reopen, and new lines land in a new file
    const log = join(cfg.log_directory, 'grp.log');
    await until('a first line', async () => (readFileSync(log, 'utf8').includes('tick') ? true : undefined));
    renameSync(log, `${log}.1`);
    await cri.runtime('ReopenContainerLog', { container_id: cid });
    await until('lines in the reopened log', async () => (existsSync(log) && readFileSync(log, 'utf8').includes(' stdout F tick') ? true : undefined));
    await cri.runtime('RemovePodSandbox', { pod_sandbox_id: id });
    // a host-network pod on runc: no hostname of its own (runc refuses to set one in the host's UTS namespace)
    const hcfg = { ...podConfig(), linux: { security_context: { namespace_options: { network: 2 } } } };
    const hid = (await cri.runtime('RunPodSandbox', { config: hcfg, runtime_handler: 'runc' }))['pod_sandbox_id'] as string;
    const hc = await runCtr(hid, hcfg, 'h', ['sleep', '1000']);
    const hn = await cri.runtime('ExecSync', { container_id: hc, cmd: ['hostname'], timeout: 10 });
    assert.equal(Buffer.from(hn['stdout']).toString().trim(), hostname());
    await cri.runtime('RemovePodSandbox', { pod_sandbox_id: hid });
  });

  test('on lcr: exec keeps supplementary groups (through the lcr helper), not the helper\'s fd; 127 for a missing command', async () => {
    const { id, cfg } = await runPod('lcr');
    const cid = (await cri.runtime('CreateContainer', {
      pod_sandbox_id: id,
      sandbox_config: cfg,
      config: {
        metadata: { name: 'grp' }, image: { image: 'busybox' }, command: ['sleep', '1000'], log_path: 'grp.log',
        linux: { security_context: { run_as_user: { value: 1000 }, run_as_group: { value: 1000 }, supplemental_groups: [1234, 50000] } },
      },
    }))['container_id'] as string;
    await cri.runtime('StartContainer', { container_id: cid });
    const run = async (cmd: string[]) => Buffer.from((await cri.runtime('ExecSync', { container_id: cid, cmd, timeout: 10 }))['stdout']).toString().trim();
    const groups = (await run(['id', '-G'])).split(/\s+/);
    for (const g of ['1000', '1234', '50000']) assert.ok(groups.includes(g), `exec has group ${g}: ${groups.join(' ')}`);
    assert.equal(await run(['id', '-u']), '1000');
    // what the exec'd process holds open: its stdio only, not the helper it came through
    assert.equal(await run(['sh', '-c', 'readlink /proc/$$/fd/3 || echo none']), 'none');
    const missing = await cri.runtime('ExecSync', { container_id: cid, cmd: ['no-such-cmd'], timeout: 10 });
    assert.equal(missing['exit_code'], 127);
    // the container's own process has them too (LXC's lxc.init.groups), after its primary gid as
    // the spec lists it since exec -u got the image's groups (src/spec/opts-process.ts)
    const pid = await pidOf(cid);
    assert.match(readFileSync(`/proc/${pid}/status`, 'utf8'), /^Groups:\s*1000 1234 50000\s*$/m);
    await cri.runtime('RemovePodSandbox', { pod_sandbox_id: id });
  });

  for (const handler of ['runc', 'lcr']) test(`on ${handler}: a BIDIRECTIONAL mount propagates a mount made in the container back to the host`, async (t) => {
    const src = join(dir, `shared-src-${handler}`);
    mkdirSync(src);
    execFileSync('mount', ['--bind', src, src]);
    t.after(() => {
      spawnSync('umount', ['-R', '-l', src]);
      rmSync(src, { recursive: true, force: true });
    });
    execFileSync('mount', ['--make-rshared', src]);
    const cfg = { ...podConfig(), linux: { security_context: { privileged: true } } };
    const id = (await cri.runtime('RunPodSandbox', { config: cfg, runtime_handler: handler }))['pod_sandbox_id'] as string;
    const cid = (await cri.runtime('CreateContainer', {
      pod_sandbox_id: id,
      sandbox_config: cfg,
      config: {
        metadata: { name: 'prop' }, image: { image: 'busybox' }, command: ['sleep', '1000'],
        mounts: [{ container_path: src, host_path: src, propagation: 2 }], // PROPAGATION_BIDIRECTIONAL
        linux: { security_context: { privileged: true } },
      },
    }))['container_id'] as string;
    await cri.runtime('StartContainer', { container_id: cid });
    const r = await cri.runtime('ExecSync', { container_id: cid, cmd: ['sh', '-c', `mkdir -p ${src}/inner && mount --bind /etc ${src}/inner`], timeout: 10 });
    assert.equal(r['exit_code'], 0, Buffer.from(r['stderr']).toString());
    assert.ok(readdirSync(join(src, 'inner')).includes('passwd'), "the container's mount is seen on the host");
    await cri.runtime('RemovePodSandbox', { pod_sandbox_id: id });
  });

  /** A WebSocket remotecommand session: messages sent as given, output collected by channel until the server closes. */
  const wsSession = (url: string, protocol: string, send: (ws: WebSocket) => void) =>
    new Promise<{ out: Map<number, string>; code: number }>((resolve, reject) => {
      const ws = new WebSocket(url.replace(/^http/, 'ws'), [protocol]);
      const out = new Map<number, string>();
      const timer = setTimeout(() => { ws.terminate(); reject(new Error(`no close; so far ${JSON.stringify([...out])}`)); }, 30_000);
      ws.on('open', () => {
        assert.equal(ws.protocol, protocol);
        send(ws);
      });
      ws.on('message', (d: Buffer) => { if (d.length > 0) out.set(d[0]!, (out.get(d[0]!) ?? '') + d.subarray(1).toString()); });
      ws.on('error', reject);
      ws.on('close', (code) => { clearTimeout(timer); resolve({ out, code }); });
    });

  test('Exec and Attach over WebSocket (v5 with its stdin close signal, and v4)', async () => {
    const { id, cfg } = await runPod('');
    const cid = (await cri.runtime('CreateContainer', {
      pod_sandbox_id: id,
      sandbox_config: cfg,
      config: { metadata: { name: 'ws' }, image: { image: 'busybox' }, command: ['sh'], stdin: true, log_path: 'ws.log', linux: {} },
    }))['container_id'] as string;
    await cri.runtime('StartContainer', { container_id: cid });
    const STDIN = 0, STDOUT = 1, STDERR = 2, ERROR = 3;
    // v5: stdin then its close (255, 0): cat sees EOF, the command ends with code 3
    const exec = (await cri.runtime('Exec', { container_id: cid, cmd: ['sh', '-c', 'cat; echo oops >&2; exit 3'], stdin: true, stdout: true, stderr: true }))['url'] as string;
    const r = await wsSession(exec, 'v5.channel.k8s.io', (ws) => {
      ws.send(Buffer.concat([Buffer.from([STDIN]), Buffer.from('through ws\n')]));
      ws.send(Buffer.from([255, STDIN]));
    });
    assert.equal(r.out.get(STDOUT), 'through ws\n');
    assert.equal(r.out.get(STDERR), 'oops\n');
    const st = JSON.parse(r.out.get(ERROR) ?? '{}');
    assert.equal(st.status, 'Failure');
    assert.equal(st.details.causes[0].message, '3');
    // v4: no stdin, success
    const exec4 = (await cri.runtime('Exec', { container_id: cid, cmd: ['echo', 'v4'], stdout: true }))['url'] as string;
    const r4 = await wsSession(exec4, 'v4.channel.k8s.io', () => undefined);
    assert.equal(r4.out.get(STDOUT), 'v4\n');
    assert.equal(JSON.parse(r4.out.get(ERROR) ?? '{}').status, 'Success');
    // attach: input to the container's sh, its answer back; closing stdin detaches (the container runs on)
    const attach = (await cri.runtime('Attach', { container_id: cid, stdin: true, stdout: true, stderr: true }))['url'] as string;
    const ra = await wsSession(attach, 'v5.channel.k8s.io', (ws) => {
      ws.send(Buffer.concat([Buffer.from([STDIN]), Buffer.from('echo attached-$((40+2))\n')]));
      ws.on('message', (d: Buffer) => { if (d[0] === STDOUT && d.includes('attached-42')) ws.send(Buffer.from([255, STDIN])); });
    });
    assert.equal(ra.out.get(STDOUT), 'attached-42\n');
    // output without a trailing newline reaches the attach while the container runs on (the lcr
    // copier is line-based: the attach has it flush the partly written line)
    const attachP = (await cri.runtime('Attach', { container_id: cid, stdin: true, stdout: true, stderr: true }))['url'] as string;
    const rp = await wsSession(attachP, 'v5.channel.k8s.io', (ws) => {
      ws.send(Buffer.concat([Buffer.from([STDIN]), Buffer.from('echo -n no-newline-$((1+1))\n')]));
      ws.on('message', (d: Buffer) => { if (d[0] === STDOUT && d.includes('no-newline-2')) ws.send(Buffer.from([255, STDIN])); });
    });
    assert.equal(rp.out.get(STDOUT), 'no-newline-2');
    const criLog = readFileSync(join(cfg.log_directory, 'ws.log'), 'utf8');
    assert.match(criLog, / stdout P no-newline-2$/m, 'a partial record in the CRI log');
    assert.equal((await status(cid))['state'], 1, 'still running after the detach');
    // a wrong token, and port-forward over WebSocket, are refused
    const pf = (await cri.runtime('PortForward', { pod_sandbox_id: id, port: [80] }))['url'] as string;
    await assert.rejects(wsSession(pf, 'v4.channel.k8s.io', () => undefined), /400/);
    await assert.rejects(wsSession(exec4, 'v4.channel.k8s.io', () => undefined), /404/);
    await cri.runtime('RemovePodSandbox', { pod_sandbox_id: id });
  });

  // runc only: lxc-attach flushes its terminal's pending input when it sets it up, so on lcr input
  // sent before that is lost (docs/oci-runtimes.md, "What ends an exec")
  test('on runc: a tty Exec over WebSocket takes its input once the terminal is raw, and the stdin close ends it as ^D', async () => {
    const { id, cfg } = await runPod('runc');
    const cid = await runCtr(id, cfg, 'tty', ['sleep', '1000']);
    const STDIN = 0, STDOUT = 1, ERROR = 3;
    // input on open, then its close: the line reaches the command whole (not echoed before the
    // terminal is set up), and the end arrives as ^D, never as the NUL script(1) wrote ("^@")
    const url = (await cri.runtime('Exec', { container_id: cid, cmd: ['sh', '-c', 'read l; echo "got-$l"; cat; echo end'], tty: true, stdin: true, stdout: true }))['url'] as string;
    const r = await wsSession(url, 'v5.channel.k8s.io', (ws) => {
      ws.send(Buffer.concat([Buffer.from([STDIN]), Buffer.from('line\n')]));
      ws.send(Buffer.from([255, STDIN]));
    });
    const out = r.out.get(STDOUT) ?? '';
    assert.ok(!out.includes('\0') && !out.includes('^@'), JSON.stringify(out));
    assert.match(out, /got-line\r?\n/);
    assert.match(out, /end\r?\n$/, 'cat saw the end of the input');
    assert.equal(JSON.parse(r.out.get(ERROR) ?? '{}').status, 'Success');
    await cri.runtime('RemovePodSandbox', { pod_sandbox_id: id });
  });

  test('no runtime_handler: the default runtime (lcr); an unknown handler or runtime is refused', async () => {
    const { id } = await runPod('');
    assert.equal(await engineRuntime(id), 'lcr');
    await cri.runtime('RemovePodSandbox', { pod_sandbox_id: id });
    for (const h of ['nope', 'broken']) {
      const before = (await cri.runtime('ListPodSandbox', {}))['items'].length;
      const e = await criFails(runPod(h));
      assert.equal(e.code, grpc.status.INVALID_ARGUMENT, e.details);
      assert.match(e.details, new RegExp(`"${h}"`));
      assert.equal((await cri.runtime('ListPodSandbox', {}))['items'].length, before);
    }
  });

  test('GetContainerEvents: created, started, stopped, deleted of real containers, with their pod', async () => {
    const stream = cri.runtimeStream('GetContainerEvents', {});
    const events: Array<Record<string, any>> = []; // eslint-disable-line @typescript-eslint/no-explicit-any
    stream.on('data', (e: Record<string, unknown>) => events.push(e));
    stream.on('error', () => undefined);
    await sleep(300); // the subscription is live once the call reached the daemon
    try {
      const { id, cfg } = await runPod('');
      const cid = await runCtr(id, cfg, 'ev', ['sleep', '1000']);
      await cri.runtime('StopContainer', { container_id: cid, timeout: 0 });
      await cri.runtime('RemoveContainer', { container_id: cid });
      const types = (x: string) => events.filter((e) => e['container_id'] === x).map((e) => e['container_event_type']);
      const [CREATED, STARTED, STOPPED, DELETED] = [0, 1, 2, 3]; // ContainerEventType
      const want = [CREATED, STARTED, STOPPED, DELETED];
      await until('four events of the container', async () => (types(cid).length >= 4 ? true : undefined));
      assert.deepEqual(types(cid), want);
      const started = events.find((e) => e['container_id'] === cid && e['container_event_type'] === STARTED)!;
      assert.equal(started['pod_sandbox_status']['id'], id);
      const self = started['containers_statuses'].find((s: { id: string }) => s.id === cid);
      assert.equal(self['state'], 1, 'CONTAINER_RUNNING');
      assert.ok(BigInt(started['created_at']) > 0n);
      // the sandbox's own steps
      assert.deepEqual(types(id).slice(0, 2), want.slice(0, 2));
      await cri.runtime('RemovePodSandbox', { pod_sandbox_id: id });
      await until('the sandbox deleted event', async () => (types(id).includes(DELETED) ? true : undefined));
    } finally {
      stream.cancel();
    }
  });

  test('PodSandboxStats and ListPodSandboxStats: the pod cgroups summed, per-container figures inside', async () => {
    const { id, cfg } = await runPod('');
    const cid = await runCtr(id, cfg, 'busy', ['sh', '-c', 'i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done; sleep 1000']);
    const other = await runPod('');
    const stats = await until('CPU time of the busy container', async () => {
      const s = (await cri.runtime('PodSandboxStats', { pod_sandbox_id: id }))['stats'];
      return Number(s['linux']['containers'][0]?.['cpu']['usage_core_nano_seconds']['value'] ?? 0) > 50e6 ? s : undefined;
    });
    assert.equal(stats['attributes']['id'], id);
    assert.deepEqual(stats['attributes']['metadata'], cfg.metadata);
    const lx = stats['linux'];
    assert.equal(lx['containers'].length, 1);
    assert.equal(lx['containers'][0]['attributes']['id'], cid);
    const ctrCpu = Number(lx['containers'][0]['cpu']['usage_core_nano_seconds']['value']);
    assert.ok(Number(lx['cpu']['usage_core_nano_seconds']['value']) >= ctrCpu, 'pod CPU includes the container');
    assert.ok(Number(lx['memory']['working_set_bytes']['value']) > 0);
    assert.ok(Number(lx['memory']['usage_bytes']['value']) >= Number(lx['memory']['working_set_bytes']['value']));
    // pause + sh + sleep (or sh still looping)
    assert.ok(Number(lx['process']['process_count']['value']) >= 2);
    assert.equal(lx['network']['default_interface']['name'], 'eth0');
    // the list: a label filter picks one pod, no filter both, an unknown id none
    const byLabel = (await cri.runtime('ListPodSandboxStats', { filter: { label_selector: { n: cfg.labels.n } } }))['stats'];
    assert.deepEqual(byLabel.map((s: { attributes: { id: string } }) => s.attributes.id), [id]);
    const all = (await cri.runtime('ListPodSandboxStats', {}))['stats'].map((s: { attributes: { id: string } }) => s.attributes.id);
    assert.ok(all.includes(id) && all.includes(other.id));
    assert.deepEqual((await cri.runtime('ListPodSandboxStats', { filter: { id: 'f'.repeat(64) } }))['stats'], []);
    const e = await criFails(cri.runtime('PodSandboxStats', { pod_sandbox_id: 'f'.repeat(64) }));
    assert.equal(e.code, grpc.status.NOT_FOUND);
    // a stopped pod still answers, with zero CPU
    await cri.runtime('StopPodSandbox', { pod_sandbox_id: other.id });
    const stopped = (await cri.runtime('PodSandboxStats', { pod_sandbox_id: other.id }))['stats'];
    assert.equal(stopped['linux']['cpu']['usage_core_nano_seconds']['value'], '0');
  });
});
