// CNI CHECK at daemon restore, through the real daemon, LXC and Debian's plugins: after a restart
// the networks of running containers are checked against the cached ADD result and the verdict is
// logged; portmap 1.1.1's IPv6 defect is named, not counted as a failure; a network broken while
// the daemon was away is reported and the container keeps running. Nothing is left behind.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { startDaemon, type Daemon } from '../helpers/daemon.ts';
import { canRun, skipReason, ok, inspectField, until, assertCleanAfterRemovingAll } from './container-fixture.ts';
import { probeHostPort } from '../../src/network/ports.ts';
import { deleteLink, ipForward, iptablesSave, linkExists, removeSharedChainsCreatedSince, restoreIpForward, rulesMentioning } from '../helpers/net.ts';

const skip = skipReason || (existsSync('/usr/lib/cni/portmap') ? false : 'needs containernetworking-plugins');

describe('CNI CHECK at restore', { skip }, () => {
  let d: Daemon;
  let saved = '';
  let forward = '';
  let bridge = '';
  const ids: string[] = [];

  before(async () => {
    if (!canRun) return;
    saved = iptablesSave();
    forward = ipForward();
    d = await startDaemon({ config: { bridge: '' } });
  });

  after(async () => {
    if (d) {
      await assertCleanAfterRemovingAll(d).catch(() => undefined);
      await d.stop();
    }
    if (bridge) deleteLink(bridge);
    removeSharedChainsCreatedSince(saved);
    if (forward === '0') restoreIpForward(forward);
  });

  const lines = (id: string, what: RegExp) => d.log().split('\n').filter((l) => l.includes(id) && what.test(l));

  test('a healthy network passes (portmap\'s IPv6 defect named); a broken one is reported, the container keeps running', async () => {
    const port = await probeHostPort({ hostIP: '', hostPort: 0, protocol: 'tcp' });
    const web = (await ok(d, ['run', '-d', '--name', 'web', '-p', `127.0.0.1:${port}:80`, 'busybox', 'sleep', '1000'])).stdout.trim();
    const plain = (await ok(d, ['run', '-d', '--name', 'plain', 'busybox', 'sleep', '1000'])).stdout.trim();
    const none = (await ok(d, ['run', '-d', '--name', 'none', '--net', 'none', 'busybox', 'sleep', '1000'])).stdout.trim();
    ids.push(web, plain, none);
    bridge = await inspectField(d, 'web', '{{.NetworkSettings.Bridge}}');
    await d.restart();
    await until('checks logged', async () => lines(web, /network check/).length > 0 && lines(plain, /network check/).length > 0);
    assert.match(lines(web, /network check/).join('\n'), /INFO\s+network check passed; portmap not checked: .*plugins#819/);
    assert.match(lines(plain, /network check/).join('\n'), /INFO\s+network check passed/);
    assert.deepEqual(lines(none, /network check/), []);
    // break web's network while the daemon is down: its default route goes
    await d.terminate();
    const r = spawnSync('nsenter', [`--net=${await sandboxKey(d, web)}`, 'ip', 'route', 'del', 'default'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    await d.restart();
    await until('web check logged again', async () => lines(web, /network check failed/).length > 0);
    assert.match(lines(web, /network check failed/).join('\n'), /WARN .*CNI plugin bridge CHECK exited with status 1: .*not found in routing table/);
    assert.equal(await inspectField(d, 'web', '{{.State.Running}}'), 'true');
    // a restart sets the network up again, and the next restore finds it healthy
    await ok(d, ['restart', '-t', '1', 'web']);
    assert.match(spawnSync('nsenter', [`--net=${await sandboxKey(d, web)}`, 'ip', 'route'], { encoding: 'utf8' }).stdout, /^default/m);
    await ok(d, ['rm', '-f', 'web', 'plain', 'none']);
    assert.deepEqual(rulesMentioning(ids), []);
  });

  test('a bridge gone while nothing used it (a host reboot) is made again at the next start, with its MAC fixed and its gateway', async () => {
    const gw = (await ok(d, ['network', 'inspect', '-f', '{{.Gateway}}', 'isulad'])).stdout.trim();
    deleteLink(bridge);
    assert.equal(linkExists(bridge), false);
    const out = (await ok(d, ['run', '--rm', 'busybox', 'sh', '-c', `ip route; ping -c 1 -W 5 ${gw} >/dev/null && echo gateway-ok`])).stdout;
    assert.match(out, /gateway-ok/);
    assert.equal(readFileSync(`/sys/class/net/${bridge}/addr_assign_type`, 'utf8').trim(), '3');
  });

  test('after the daemon: bridge removed, no iptables chain or rule of ours left', async () => {
    await assertCleanAfterRemovingAll(d);
    await d.stop();
    if (bridge) deleteLink(bridge);
    assert.equal(bridge === '' || !linkExists(bridge), true);
    assert.deepEqual(removeSharedChainsCreatedSince(saved), []);
    assert.deepEqual(rulesMentioning([...ids, ...(bridge ? [bridge] : [])]), []);
  });
});

/** The netns path the daemon pinned for a container (state dir; readable while the daemon is down). */
async function sandboxKey(d: Daemon, id: string): Promise<string> {
  return `${d.state}/netns/${id}`;
}
