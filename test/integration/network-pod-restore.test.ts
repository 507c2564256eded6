// A CRI pod's network survives a daemon kill -9: the restore's garbage collection of network
// attachments (containers that are not running) must keep the pod's, which are keyed by the
// pod's own key, not a container id. Real daemon, real pause container, real CNI bridge.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startDaemon, type Daemon } from '../helpers/daemon.ts';
import { criClient, type CriClient } from '../helpers/cri-client.ts';
import { deleteLink, iptablesSave, removeSharedChainsCreatedSince } from '../helpers/net.ts';
import { skipReason } from './container-fixture.ts';

const skip = skipReason || (existsSync('/usr/lib/cni/bridge') ? false : 'needs containernetworking-plugins');

describe('a pod network across a daemon kill -9', { skip }, () => {
  let d: Daemon;
  let cri: CriClient;
  let dir: string;
  let saved = '';
  const bridge = `isp${process.pid % 100000}`;
  const subnet = `10.${150 + (process.pid % 40)}.${process.pid % 250}.0/24`;
  let podId = '';

  before(async () => {
    saved = iptablesSave();
    dir = mkdtempSync(join(tmpdir(), 'net-pod-'));
    mkdirSync(join(dir, 'net.d'));
    writeFileSync(join(dir, 'net.d', '10-pod.conflist'), JSON.stringify({
      cniVersion: '1.0.0',
      name: 'podnet',
      plugins: [{ type: 'bridge', bridge, isGateway: true, ipMasq: false, ipam: { type: 'host-local', ranges: [[{ subnet }]], dataDir: join(dir, 'ipam') } }],
    }));
    d = await startDaemon({ config: { 'cni-conf-dir': join(dir, 'net.d') } });
    cri = await criClient(d.sock);
  });

  after(async () => {
    if (cri) {
      if (podId) await cri.runtime('RemovePodSandbox', { pod_sandbox_id: podId }).catch(() => undefined);
      cri.close();
    }
    await d?.stop();
    deleteLink(bridge);
    removeSharedChainsCreatedSince(saved);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('after kill -9 and restart the pod keeps its netns, address and lease; removal frees them', async () => {
    const cfg = { metadata: { name: 'rpod', namespace: 'ns', uid: 'u-rpod', attempt: 0 }, hostname: 'rpod', log_directory: join(dir, 'logs'), linux: {} };
    podId = (await cri.runtime('RunPodSandbox', { config: cfg }))['pod_sandbox_id'];
    const ip = (await cri.runtime('PodSandboxStatus', { pod_sandbox_id: podId }))['status']['network']['ip'] as string;
    assert.ok(ip.startsWith(subnet.split('.').slice(0, 3).join('.')), ip);
    const netnsDir = join(d.state, 'netns');
    const before = readdirSync(netnsDir);
    assert.equal(before.length, 1);
    cri.close();
    await d.kill9();
    await d.restart();
    cri = await criClient(d.sock);
    assert.deepEqual(readdirSync(netnsDir), before, 'the pod netns must survive the restore');
    assert.deepEqual(readdirSync(join(dir, 'ipam', 'podnet')).filter((f) => f === ip), [ip], 'the lease must survive the restore');
    assert.equal((await cri.runtime('PodSandboxStatus', { pod_sandbox_id: podId }))['status']['network']['ip'], ip);
    // the restore CHECKs the pod's attachment (bridge + host-local: a real check, passed)
    const key = before[0] as string;
    const until = Date.now() + 60_000;
    while (!d.log().split('\n').some((l) => l.includes(`pod="${key}"`) && /pod network check/.test(l)) && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    assert.match(d.log().split('\n').filter((l) => l.includes(`pod="${key}"`)).join('\n'), /INFO\s+pod network check passed pod="[0-9a-f]+" network="podnet"/);
    await cri.runtime('StopPodSandbox', { pod_sandbox_id: podId });
    await cri.runtime('RemovePodSandbox', { pod_sandbox_id: podId });
    podId = '';
    assert.deepEqual(readdirSync(netnsDir), []);
    assert.deepEqual(readdirSync(join(dir, 'ipam', 'podnet')).filter((f) => f === ip), []);
  });
});
