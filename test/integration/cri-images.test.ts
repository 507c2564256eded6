// CRI runtime.v1 on the daemon socket, through a real gRPC client: Version/Status/RuntimeConfig,
// Unimplemented for what is not served, and the image service against a real registry that needs
// basic auth (PullImage's AuthConfig), served for a registry.k8s.io name through an endpoint override.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { startDaemon, type Daemon } from '../helpers/daemon.ts';
import { criClient, criFails, type CriClient } from '../helpers/cri-client.ts';
import { rawGrpcCalls } from '../helpers/raw-h2.ts';
import { REGISTRY_PASSWORD, REGISTRY_USER, creds, skopeoCopy, startRegistry, type Registry } from '../helpers/registry.ts';
import { rootfsFixture } from '../fixtures/images/make.ts';

describe('CRI runtime.v1: info and images', () => {
  let reg: Registry;
  let d: Daemon;
  let cri: CriClient;
  const NAME = 'registry.k8s.io/e2e-test-images/busybox:1.29-2';

  before(async () => {
    reg = await startRegistry({ auth: 'htpasswd' });
    await skopeoCopy(`oci-archive:${rootfsFixture('busybox-amd64.oci.tar')}`, `docker://${reg.host}/e2e-test-images/busybox:1.29-2`, { creds });
    d = await startDaemon({ config: { 'insecure-registries': [reg.host], 'registry-endpoints': { 'registry.k8s.io': [`http://${reg.host}`] } } });
    cri = await criClient(d.sock);
  });

  after(async () => {
    cri?.close();
    await d?.stop();
    await reg?.stop();
  });

  test('Version answers runtime API v1', async () => {
    const v = await cri.runtime('Version', { version: 'v1' });
    assert.equal(v['runtime_api_version'], 'v1');
    assert.equal(v['runtime_name'], 'iSulad');
    assert.match(v['runtime_version'], /^\d+\.\d+\.\d+/);
  });

  test('a client that sends the socket path as :authority (grpc-go < 1.53, kubelet 1.26) is served', async () => {
    // runtime.v1.VersionRequest { version: "v1" }; the answer holds runtime_name "iSulad"
    const r = await rawGrpcCalls(d.sock, { path: '/runtime.v1.RuntimeService/Version', authority: d.sock, message: Buffer.from([0x0a, 2, 0x76, 0x31]), calls: 2 });
    for (const x of r) {
      assert.equal(x.rst, undefined, 'stream reset');
      assert.equal(x.grpcStatus, '0');
      assert.ok(x.data.includes('iSulad'));
    }
  });

  test('Status reports RuntimeReady; RuntimeConfig the cgroup driver', async () => {
    const s = await cri.runtime('Status', { verbose: true });
    const conds = s['status']['conditions'] as Array<{ type: string; status: boolean }>;
    assert.deepEqual(conds.find((c) => c.type === 'RuntimeReady')?.status, true);
    assert.ok(conds.some((c) => c.type === 'NetworkReady'));
    assert.ok(JSON.parse(s['info']['config']).cgroupDriver);
    const rc = await cri.runtime('RuntimeConfig', {});
    assert.equal(rc['linux']['cgroup_driver'], 1, 'cgroupfs');
  });

  test('CheckpointContainer is Unimplemented, and the daemon keeps serving', async () => {
    const e = await criFails(cri.runtime('CheckpointContainer', { container_id: 'x', location: '/tmp/x' }));
    assert.equal(e.code, grpc.status.UNIMPLEMENTED);
    assert.equal((await cri.runtime('Version', {}))['runtime_api_version'], 'v1');
  });

  test('ImageFsInfo names the storage dir', async () => {
    const r = await cri.image('ImageFsInfo', {});
    assert.equal(r['image_filesystems'].length, 1);
    assert.ok(r['image_filesystems'][0]['fs_id']['mountpoint'].startsWith(d.root));
  });

  test('PullImage without credentials is refused, with AuthConfig it pulls', async () => {
    await criFails(cri.image('PullImage', { image: { image: NAME } }));
    const r = await cri.image('PullImage', { image: { image: NAME }, auth: { username: REGISTRY_USER, password: REGISTRY_PASSWORD } });
    assert.match(r['image_ref'], /^sha256:[a-f0-9]{64}$/);
    const st = await cri.image('ImageStatus', { image: { image: NAME }, verbose: true });
    assert.equal(st['image']['id'], r['image_ref']);
    assert.ok(st['image']['repo_tags'].includes(NAME), 'the pulled name is a tag (the embedded busybox is the same image)');
    assert.ok(Number(st['image']['size']) > 0);
    assert.ok(JSON.parse(st['info']['info']).imageSpec.rootfs);
    const byId = await cri.image('ImageStatus', { image: { image: r['image_ref'] } });
    assert.equal(byId['image']['id'], r['image_ref']);
    const list = await cri.image('ListImages', {});
    assert.ok(list['images'].some((i: { id: string }) => i.id === r['image_ref']));
    const filtered = await cri.image('ListImages', { filter: { image: { image: NAME } } });
    assert.equal(filtered['images'].length, 1);
  });

  test('pull with the base64 auth field; RemoveImage is idempotent', async () => {
    const auth = Buffer.from(`${REGISTRY_USER}:${REGISTRY_PASSWORD}`).toString('base64');
    const r = await cri.image('PullImage', { image: { image: NAME }, auth: { auth } });
    await cri.image('RemoveImage', { image: { image: r['image_ref'] } });
    const st = await cri.image('ImageStatus', { image: { image: NAME } });
    assert.equal(st['image'], null);
    await cri.image('RemoveImage', { image: { image: NAME } });
  });
});
