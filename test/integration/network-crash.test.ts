// Two host-facing behaviours of the default network, each with the daemon in a netns this suite
// creates (so routes and rules it adds never touch the host): the `isulad` network picks the next
// free /24 when iSulad's first choice collides with a route, and a daemon killed -9 in the middle
// of a container's CNI ADD (the bridge plugin done: veth made, address leased; the next plugin
// frozen until the daemon is dead, then let finish) leaves nothing after the restore — no veth, lease, iptables rule, netns or cache entry —
// and the address is free again. Real daemon, LXC and Debian's plugins.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startDaemon, type Daemon } from '../helpers/daemon.ts';
import { canRun, skipReason, ok, inspectField, until, assertCleanAfterRemovingAll } from './container-fixture.ts';
import { inTestNetns, makeTestNetns, removeTestNetns } from '../helpers/net.ts';

const skip = skipReason || (existsSync('/usr/lib/cni/portmap') ? false : 'needs containernetworking-plugins');

/** Children of `ppid` running one of Debian's CNI plugins (by their binary path): [pid, plugin]. */
function pluginChildren(ppid: number): Array<[number, string]> {
  const out: Array<[number, string]> = [];
  for (const p of readdirSync('/proc')) {
    if (!/^\d+$/.test(p)) continue;
    try {
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) !== ppid) continue;
      const cmd = readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0')[0] ?? '';
      const m = /^\/(?:usr\/lib\/cni|opt\/cni\/bin)\/(\w+)$/.exec(cmd);
      if (m) out.push([Number(p), m[1] as string]);
    } catch {
      /* gone */
    }
  }
  return out;
}

const alive = (pid: number) => existsSync(`/proc/${pid}`);

describe('default network subnet pick and a kill -9 mid-ADD (daemon in its own netns)', { skip }, () => {
  let netns = '';
  let d: Daemon;
  const frozen: number[] = [];

  before(async () => {
    if (!canRun) return;
    netns = makeTestNetns('crash');
    // iSulad's first two candidates are taken by routes of "the host" (this netns)
    inTestNetns(netns, ['ip', 'link', 'add', 'uplink0', 'type', 'veth', 'peer', 'name', 'uplink1']);
    inTestNetns(netns, ['ip', 'link', 'set', 'uplink1', 'up']);
    inTestNetns(netns, ['ip', 'link', 'set', 'uplink0', 'up']);
    inTestNetns(netns, ['ip', 'addr', 'add', '192.168.0.10/24', 'dev', 'uplink0']);
    inTestNetns(netns, ['ip', 'route', 'add', '192.168.1.0/24', 'via', '192.168.0.1']);
    d = await startDaemon({ config: { bridge: '' }, netns });
  });

  after(async () => {
    for (const pid of frozen) if (alive(pid)) process.kill(pid, 'SIGCONT');
    if (d) {
      await assertCleanAfterRemovingAll(d).catch(() => undefined);
      await d.stop();
    }
    if (netns) removeTestNetns(netns);
  });

  test('the default network skips subnets that collide with a route or an address: 192.168.2.0/24', async () => {
    const id = (await ok(d, ['run', '-d', '--name', 'first', 'busybox', 'sleep', '1000'])).stdout.trim();
    assert.match(await inspectField(d, 'first', '{{.NetworkSettings.IPAddress}}'), /^192\.168\.2\.\d+$/);
    assert.equal((await ok(d, ['network', 'inspect', '-f', '{{.Subnet}}', 'isulad'])).stdout, '192.168.2.0/24\n');
    await ok(d, ['rm', '-f', id]);
  });

  test('kill -9 while a plugin after bridge runs: the restore tears the half-made attachment down', async () => {
    const daemonPid = d.pid as number;
    const run = d.isula(['run', '-d', '--name', 'mid', '-p', '8080:80', 'busybox', 'sleep', '1000']);
    let caught: [number, string] | undefined;
    const end = Date.now() + 60_000;
    while (!caught && Date.now() < end) {
      caught = pluginChildren(daemonPid).find(([, t]) => t === 'portmap' || t === 'firewall' || t === 'tuning');
      if (!caught) await new Promise((r) => setTimeout(r, 1));
    }
    assert.ok(caught, 'no plugin after bridge was seen running');
    const [pluginPid, plugin] = caught;
    // freeze it (a descendant of our own daemon), so the daemon dies mid-ADD for sure
    process.kill(pluginPid, 'SIGSTOP');
    frozen.push(pluginPid);
    await d.kill9();
    const r = await run;
    assert.notEqual(r.code, 0, `run must fail: the daemon died (${plugin} was running)`);
    // the plugin finishes its part of the ADD on its own while no daemon runs (as it would)
    process.kill(pluginPid, 'SIGCONT');
    await until('frozen plugin done', async () => !alive(pluginPid));
    await d.restart();
    const id = await inspectField(d, 'mid', '{{.Id}}');
    const cache = join(d.root, 'network', 'cni-cache', 'results');
    await until('attachment gone', async () => !readdirSync(cache).some((f) => f.includes(id)));
    assert.equal(await inspectField(d, 'mid', '{{.State.Running}}'), 'false');
    assert.equal(existsSync(join(d.state, 'netns', id)), false);
    const bridge = (await ok(d, ['network', 'inspect', '-f', '{{.Bridge}}', 'isulad'])).stdout.trim();
    assert.equal(inTestNetns(netns, ['ip', '-o', 'link', 'show', 'master', bridge]).trim(), '', 'a veth is left on the bridge');
    const leases = readdirSync(join(d.root, 'network', 'ipam', 'isulad')).filter((f) => /^\d+\.\d+\.\d+\.\d+$/.test(f));
    assert.deepEqual(leases, []);
    for (const save of ['iptables-save', 'ip6tables-save']) {
      assert.deepEqual(inTestNetns(netns, [save]).split('\n').filter((l) => l.startsWith('-A') && l.includes(id)), [], save);
    }
    // and the container starts normally afterwards, its port published
    await ok(d, ['start', 'mid']);
    assert.match(inTestNetns(netns, ['iptables-save', '-t', 'nat']), new RegExp(`id: \\\\"${id}\\\\"`));
    await ok(d, ['rm', '-f', 'mid']);
    assert.deepEqual(inTestNetns(netns, ['iptables-save']).split('\n').filter((l) => l.startsWith('-A') && l.includes(id)), []);
  });
});
