// iSulad CI, network_cases: restartpolicy_and_network.sh, against our CLI on one real daemon: a
// container on a CNI network with --restart on-failure:3 whose process is killed (SIGKILL) until the
// policy gives up, and a --rm one killed once; after each, the kernel holds nothing of its network:
// no netns mount (/proc/self/mountinfo), no iptables rule naming the container, its address freed.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import type { Daemon } from '../helpers/daemon.ts';
import { linkExists, rulesMentioning } from '../helpers/net.ts';
import { inspectField, networkCaseDaemon, ok, skipReason, state, until } from './compat-fixture.ts';

const skip = skipReason || (existsSync('/usr/lib/cni/bridge') ? false : 'needs containernetworking-plugins');
const mounted = (path: string) => readFileSync('/proc/self/mountinfo', 'utf8').includes(` ${path} `);

describe('iSulad CI network_cases: restart policy and network', { skip }, () => {
  let d: Daemon;
  const nets = networkCaseDaemon((started) => (d = started));

  test('restartpolicy_and_network.sh: on-failure:3 killed until it gives up, --rm killed once; no netns mount, rule or address left', async () => {
    const net = 'cnirestart';
    const bridge = await nets.makeNetwork(d, net);
    const name = 'cont_rp_net';

    const id = (await ok(d, ['run', '-tid', '--net', net, '--restart', 'on-failure:3', '-n', name, 'busybox', 'sh'])).stdout.trim();
    const netns = await inspectField(d, name, '{{.NetworkSettings.SandboxKey}}');
    assert.ok(mounted(netns), 'the netns is mounted while it runs');
    assert.ok(rulesMentioning([id]).length > 0, 'rules name the container while it runs');
    for (let kill = 1; kill <= 4; kill++) {
      const ip = async () => JSON.parse(await inspectField(d, name, `{{json .NetworkSettings.Networks.${net}.IPAddress}}`)) as string | null;
      await until(`run ${kill}: an address on ${net}`, async () => /^\d+\.\d+\.\d+\.\d+$/.test((await ip()) ?? ''));
      const pid = Number(await inspectField(d, name, '{{.State.Pid}}'));
      process.kill(pid, 'SIGKILL');
      await until(`kill ${kill}: restarted or given up`, async () => {
        const s = await state(d, name);
        return kill <= 3 ? s === 'running' && Number(await inspectField(d, name, '{{.State.Pid}}')) !== pid : s === 'exited';
      });
    }
    assert.equal(await inspectField(d, name, '{{.RestartCount}}'), '3');
    assert.equal(mounted(netns), false, 'no netns mount after the policy gave up');
    assert.deepEqual(rulesMentioning([id]), [], 'no iptables rule names it');
    await ok(d, ['rm', name]);

    const rm = (await ok(d, ['run', '-tid', '--net', net, '--rm', '-n', name, 'busybox', 'sh'])).stdout.trim();
    const netns2 = await inspectField(d, name, '{{.NetworkSettings.SandboxKey}}');
    process.kill(Number(await inspectField(d, name, '{{.State.Pid}}')), 'SIGKILL');
    await until('the --rm container removed', async () => (await d.isula(['inspect', name])).code !== 0);
    assert.equal(mounted(netns2), false);
    assert.deepEqual(rulesMentioning([rm]), []);
    // every address went back: the network can be removed (no container holds it)
    await ok(d, ['network', 'rm', net]);
    assert.equal(linkExists(bridge), false);
  });
});
