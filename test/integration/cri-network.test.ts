// CRI pods on a real CNI bridge (Debian's containernetworking-plugins: bridge, host-local,
// portmap) and the streaming server spoken to as client-go does (SPDY/3.1): the pod IP serves
// HTTP to the host, Exec streams output and the exit status, stdin reaches the process, and
// PortForward reaches a port inside the pod's netns.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startDaemon, type Daemon } from '../helpers/daemon.ts';
import { criClient, type CriClient } from '../helpers/cri-client.ts';
import { spdyDial } from '../helpers/spdy-client.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function httpGet(url: string, tries = 50): Promise<string> {
  for (let i = 0; ; i++) {
    try {
      const r = await fetch(url, { signal: AbortSignal.timeout(2000) });
      return await r.text();
    } catch (err) {
      if (i >= tries) throw err;
      await sleep(200);
    }
  }
}

describe('CRI pods on CNI, and streaming', () => {
  let d: Daemon;
  let cri: CriClient;
  let dir: string;
  const bridge = `cri${process.pid % 100000}`;
  const subnet = `10.${200 + (process.pid % 50)}.${process.pid % 250}.0/24`;
  let podId = '';
  let podIp = '';
  let web = '';
  let shell = '';

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cri-net-'));
    mkdirSync(join(dir, 'net.d'));
    writeFileSync(join(dir, 'net.d', '10-test.conflist'), JSON.stringify({
      cniVersion: '1.0.0',
      name: 'critest',
      plugins: [
        { type: 'bridge', bridge, isGateway: true, ipMasq: false, ipam: { type: 'host-local', ranges: [[{ subnet }]], dataDir: join(dir, 'ipam') } },
        { type: 'portmap', capabilities: { portMappings: true } },
      ],
    }));
    d = await startDaemon({ config: { 'cni-conf-dir': join(dir, 'net.d'), 'cni-bin-dir': join(dir, 'bin') } });
    cri = await criClient(d.sock);
    const cfg = { metadata: { name: 'netpod', namespace: 'ns', uid: 'u-net', attempt: 0 }, hostname: 'netpod', log_directory: join(dir, 'logs'), linux: {} };
    podId = (await cri.runtime('RunPodSandbox', { config: cfg }))['pod_sandbox_id'];
    const create = async (name: string, command: string[], stdin = false) => {
      const id = (await cri.runtime('CreateContainer', {
        pod_sandbox_id: podId, sandbox_config: cfg,
        config: { metadata: { name }, image: { image: 'busybox' }, command, stdin, log_path: `${name}.log`, linux: {} },
      }))['container_id'] as string;
      await cri.runtime('StartContainer', { container_id: id });
      return id;
    };
    web = await create('web', ['sh', '-c', 'mkdir -p /www && echo hello-from-pod > /www/index.html && exec httpd -f -p 80 -h /www']);
    shell = await create('shell', ['sleep', '100000']);
  });

  after(async () => {
    if (cri) {
      if (podId) await cri.runtime('RemovePodSandbox', { pod_sandbox_id: podId }).catch(() => undefined);
      cri.close();
    }
    await d?.stop();
    try {
      execFileSync('ip', ['link', 'del', bridge], { stdio: 'ignore' });
    } catch {
      // not created or already gone
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('the pod gets an IP on the bridge; NetworkReady; the pod serves HTTP to the host', async () => {
    const st = (await cri.runtime('PodSandboxStatus', { pod_sandbox_id: podId }))['status'];
    podIp = st['network']['ip'];
    assert.match(podIp, /^10\.\d+\.\d+\.\d+$/);
    const s = await cri.runtime('Status', {});
    assert.equal(s['status']['conditions'].find((c: { type: string }) => c.type === 'NetworkReady').status, true);
    assert.equal((await httpGet(`http://${podIp}/`)).trim(), 'hello-from-pod');
    assert.equal((await cri.runtime('ContainerStatus', { container_id: web }))['status']['state'], 1);
  });

  test('lo is up in the pod (127.0.0.1) without the CNI loopback plugin: the pod has only its bridge attachment', async () => {
    const st = (await cri.runtime('PodSandboxStatus', { pod_sandbox_id: podId, verbose: true }))['status'];
    const netns = join(d.state, 'netns', readdirSync(join(d.state, 'netns'))[0]!);
    const lo = execFileSync('nsenter', [`--net=${netns}`, 'ip', '-o', 'addr', 'show', 'dev', 'lo'], { encoding: 'utf8' });
    assert.match(lo, /inet 127\.0\.0\.1\/8/);
    assert.match(execFileSync('nsenter', [`--net=${netns}`, 'ip', 'link', 'show', 'lo'], { encoding: 'utf8' }), /<LOOPBACK,UP,LOWER_UP>/);
    // the containers reach each other over lo (busybox wget from the shell container to httpd)
    const r = await cri.runtime('ExecSync', { container_id: shell, cmd: ['wget', '-q', '-O', '-', 'http://127.0.0.1/'], timeout: 20 });
    assert.equal(Buffer.from(r['stdout']).toString().trim(), 'hello-from-pod');
    const cache = readdirSync(join(d.root, 'network', 'cni-cache', 'results'));
    assert.deepEqual(cache.filter((f) => !f.endsWith('.tmp')).map((f) => f.replace(/-[0-9a-f]{32}-/, '-KEY-')).sort(), ['critest-KEY-eth0']);
    assert.equal(st['state'], 0);
  });

  test('a CNI ADD failing while the pause container starts leaves nothing behind (no pod, pause container, netns or attachment)', async () => {
    // a plugin that fails after the pause container had time to be created and started
    const bin = join(dir, 'bin');
    mkdirSync(bin, { recursive: true });
    writeFileSync(join(bin, 'slowfail'), '#!/bin/sh\ncat >/dev/null\nsleep 1\necho \'{"cniVersion":"1.0.0","code":100,"msg":"slowfail says no"}\'\nexit 1\n');
    chmodSync(join(bin, 'slowfail'), 0o755);
    writeFileSync(join(dir, 'net.d', '00-fail.conflist'), JSON.stringify({ cniVersion: '1.0.0', name: 'failnet', plugins: [{ type: 'slowfail' }] }));
    try {
      const before = await d.isulaOk(['ps', '-a', '-q', '--no-trunc']);
      const netnsBefore = readdirSync(join(d.state, 'netns')).sort();
      const cfg = { metadata: { name: 'failpod', namespace: 'ns', uid: 'u-fail', attempt: 0 }, log_directory: join(dir, 'logs-fail'), linux: {} };
      await assert.rejects(cri.runtime('RunPodSandbox', { config: cfg }), /slowfail says no/);
      const pods = (await cri.runtime('ListPodSandbox', {}))['items'] as Array<{ metadata: { name: string } }>;
      assert.deepEqual(pods.map((p) => p.metadata.name), ['netpod']);
      assert.equal(await d.isulaOk(['ps', '-a', '-q', '--no-trunc']), before);
      assert.deepEqual(readdirSync(join(d.state, 'netns')).sort(), netnsBefore);
      assert.deepEqual(readdirSync(join(d.root, 'network', 'cni-cache', 'results')).filter((f) => f.startsWith('failnet')), []);
    } finally {
      rmSync(join(dir, 'net.d', '00-fail.conflist'), { force: true });
    }
  });

  test('Exec over SPDY: stdout, stderr, stdin and a non-zero exit on the error stream', async () => {
    const { url } = await cri.runtime('Exec', { container_id: shell, cmd: ['sh', '-c', 'read x; echo out:$x; echo err >&2; exit 7'], stdin: true, stdout: true, stderr: true });
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\//);
    const c = await spdyDial(url, ['v4.channel.k8s.io', 'v3.channel.k8s.io']);
    assert.equal(c.protocol, 'v4.channel.k8s.io');
    const err = c.open({ streamtype: 'error' });
    const stdin = c.open({ streamtype: 'stdin' });
    const stdout = c.open({ streamtype: 'stdout' });
    const stderr = c.open({ streamtype: 'stderr' });
    c.write(stdin, 'typed\n', true);
    assert.equal(await c.text(stdout), 'out:typed\n');
    assert.equal(await c.text(stderr), 'err\n');
    const status = JSON.parse(await c.text(err));
    assert.equal(status.status, 'Failure');
    assert.equal(status.reason, 'NonZeroExitCode');
    assert.equal(status.details.causes[0].message, '7');
    c.close();
  });

  test('a URL is single-use', async () => {
    const { url } = await cri.runtime('Exec', { container_id: shell, cmd: ['true'], stdout: true });
    const c = await spdyDial(url, ['v4.channel.k8s.io']);
    const err = c.open({ streamtype: 'error' });
    c.open({ streamtype: 'stdout' });
    assert.deepEqual(JSON.parse(await c.text(err)), { metadata: {}, status: 'Success' });
    c.close();
    await assert.rejects(spdyDial(url, ['v4.channel.k8s.io']), /no upgrade/);
  });

  test('PortForward reaches port 80 inside the pod', async () => {
    const { url } = await cri.runtime('PortForward', { pod_sandbox_id: podId, port: [80] });
    const c = await spdyDial(url, ['portforward.k8s.io']);
    assert.equal(c.protocol, 'portforward.k8s.io');
    c.open({ streamtype: 'error', port: '80', requestid: '0' });
    const data = c.open({ streamtype: 'data', port: '80', requestid: '0' });
    c.write(data, 'GET / HTTP/1.0\r\nHost: x\r\n\r\n');
    const reply = await c.text(data);
    assert.match(reply, /^HTTP\/1\.[01] 200/);
    assert.match(reply, /hello-from-pod/);
    c.close();
  });

  test('stopping the pod releases its address; removing it unpins the netns', async () => {
    await cri.runtime('StopPodSandbox', { pod_sandbox_id: podId });
    const st = (await cri.runtime('PodSandboxStatus', { pod_sandbox_id: podId }))['status'];
    assert.equal(st['state'], 1);
    await cri.runtime('RemovePodSandbox', { pod_sandbox_id: podId });
    const left = execFileSync('sh', ['-c', `ls ${join(d.state, 'netns')} 2>/dev/null || true`], { encoding: 'utf8' }).trim();
    assert.equal(left, '');
    podId = '';
  });
});
