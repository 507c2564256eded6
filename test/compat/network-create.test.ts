// iSulad CI, network_cases: network_create.sh, against our CLI on one real daemon: iSulad's
// refusals (their words), a 200-character name, a network without a name (named after its bridge,
// isula-brN), --internal, an IPv6 subnet; the CNI list read back through network inspect and the
// bridge read from the kernel (ip addr).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import type { Daemon } from '../helpers/daemon.ts';
import { deleteLink, linkExists } from '../helpers/net.ts';
import { ok, skipReason, suiteDaemon } from './compat-fixture.ts';

const ipv6 = existsSync('/proc/sys/net/ipv6/conf/all/disable_ipv6') && readFileSync('/proc/sys/net/ipv6/conf/all/disable_ipv6', 'utf8').trim() === '0';

describe('iSulad CI network_cases: network create', { skip: skipReason }, () => {
  let d: Daemon;
  const bridges: string[] = [];
  suiteDaemon((started) => (d = started), { runtime: 'lcr', afterStop: () => bridges.forEach((b) => linkExists(b) && deleteLink(b)) });

  async function refused(args: string[], msg: RegExp): Promise<void> {
    const r = await d.isula(['network', 'create', ...args]);
    assert.notEqual(r.code, 0, `network create ${args.join(' ')}: ${r.stdout}`);
    assert.match(r.stderr, msg, args.join(' '));
  }
  async function inspect(name: string): Promise<{ Bridge: string; plugins: Array<Record<string, unknown>> }> {
    const [n] = JSON.parse((await ok(d, ['network', 'inspect', name])).stdout) as Array<{ Bridge: string; plugins: Array<Record<string, unknown>> }>;
    assert.ok(n);
    bridges.push(n.Bridge);
    return n;
  }

  test('network_create.sh: refusals in iSulad\'s words, names up to 200 characters, no name, --internal, IPv6', async () => {
    await refused(['cni1', 'cni2'], /"isula network create" requires at most 1 network name/);
    const name200 = 'a'.repeat(200);
    assert.equal((await ok(d, ['network', 'create', name200])).stdout, `${name200}\n`);
    await inspect(name200);
    await ok(d, ['network', 'rm', name200]);
    await refused([`${name200}b`], /too long/);
    await refused(['.xx'], /Invalid network name/);
    await refused(['-d', 'macvlan'], /Cannot support driver/);
    await refused(['--gateway', '192.172.58.1'], /Cannot specify gateway without subnet/);
    await refused(['--subnet', '192.172.58.0/33'], /Invalid subnet/);
    await refused(['--subnet', '192.172.58.0/24', '--gateway', '192.0.1'], /Invalid gateway/);
    await refused(['--subnet', '192.172.58.0/24', '--gateway', '192.0.0.1'], /not match/);
    // iSulad takes 192.172.58.156/24 as 192.172.58.0/24; this engine asks for the network address
    await refused(['--subnet', '192.172.58.156/24', 'cni1'], /host bits are set \(did you mean 192\.172\.58\.0\/24\?\)/);
    await ok(d, ['network', 'create', '--subnet', '192.172.58.0/24', 'cni1']);
    await refused(['cni1'], /has been used/);
    await refused(['--subnet', '192.172.58.0/24'], /conflict with CNI config or host network/);
    const cni1 = await inspect('cni1');
    const bridge = cni1.plugins[0] as { type: string; isGateway: boolean; ipMasq: boolean; ipam: { ranges: Array<Array<{ subnet: string; gateway: string }>> } };
    assert.deepEqual([bridge.type, bridge.isGateway, bridge.ipMasq], ['bridge', true, true]);
    assert.deepEqual(bridge.ipam.ranges[0]?.[0], { subnet: '192.172.58.0/24', gateway: '192.172.58.1' });
    assert.match(spawnSync('ip', ['-4', 'addr', 'show', 'dev', cni1.Bridge], { encoding: 'utf8' }).stdout, /inet 192\.172\.58\.1\/24/);
    await ok(d, ['network', 'rm', 'cni1']);
    // no name: named after its bridge
    const internal = (await ok(d, ['network', 'create', '-d', 'bridge', '--internal'])).stdout.trim();
    assert.match(internal, /^isula-br\d+$/);
    const n = await inspect(internal);
    assert.equal(n.Bridge, internal);
    assert.equal(linkExists(internal), true);
    assert.equal((n.plugins[0] as { isGateway: boolean }).isGateway, true);
    await ok(d, ['network', 'rm', internal]);
    assert.equal(linkExists(internal), false);
    if (ipv6) {
      // iSulad's script gives fff0:0003::0003/64: host bits set (refused here as for IPv4) and a
      // multicast prefix (ff00::/8), which the kernel refuses on the bridge this engine makes
      const v6 = (await ok(d, ['network', 'create', '--subnet', 'fd03:0003::/64'])).stdout.trim();
      assert.match(v6, /^isula-br\d+$/);
      await inspect(v6);
      assert.equal((await ok(d, ['network', 'inspect', '-f', '{{.IPv6Subnet}} {{.IPv6Gateway}}', v6])).stdout, 'fd03:3::/64 fd03:3::1\n');
      await ok(d, ['network', 'rm', v6]);
    }
  });
});
