// iSulad CI: container_cases/create_network.sh and network_cases/container_with_network.sh,
// container_network_cleanup.sh and setup_network_failed.sh, against our CLI on one real daemon that
// runs in a network namespace of this suite's own (its bridges, iptables rules and sysctls stay
// there and go with it, so the scripts' fixed subnets cannot meet the host's or a parallel suite's).
// Checked on the kernel side: the container's interfaces and addresses (`ip addr` inside), traffic
// over each network from another container, the host-local leases, the CNI result cache, the
// netns mount and the iptables rules of the daemon's netns.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDaemon, type Daemon } from '../helpers/daemon.ts';
import { inTestNetns, makeTestNetns, removeTestNetns, rulesMentioning } from '../helpers/net.ts';
import { assertCleanAfterRemovingAll, canRun, fails, idOf, inspectField, ok, skipReason, state, until } from './compat-fixture.ts';
import { RUNTIMES } from '../integration/container-fixture.ts';

const skip = skipReason || (existsSync('/usr/lib/cni/bridge') ? false : 'needs containernetworking-plugins');

/** IPv6 usable in a new netns (the daemon's): then cni2 is dual stack, as the script's IPv6 network. */
function ipv6Usable(): boolean {
  const probe = spawnSync('unshare', ['--net', 'sh', '-c', 'test "$(cat /proc/sys/net/ipv6/conf/default/disable_ipv6)" = 0 && ip link set lo up && ip -6 addr add fd00::1/128 dev lo'], { encoding: 'utf8' });
  return probe.status === 0;
}

const mounted = (path: string) => readFileSync('/proc/self/mountinfo', 'utf8').includes(` ${path} `);

describe('iSulad CI: several networks in one --net, --network, failed setups', { skip }, () => {
  let d: Daemon;
  let netns = '';
  let confDir = '';
  const v6 = canRun && !skip ? ipv6Usable() : false;
  const subnet6 = 'fd12:20:5::/64';

  before(async () => {
    if (!canRun) return;
    netns = makeTestNetns('multi');
    confDir = mkdtempSync(join(tmpdir(), 'isula-multi-cni-'));
    d = await startDaemon({ config: { 'default-runtime': 'lcr', 'cni-conf-dir': confDir }, netns });
  });

  after(async () => {
    try {
      if (d) await assertCleanAfterRemovingAll(d);
    } finally {
      await d?.stop();
      if (netns) removeTestNetns(netns);
      if (confDir) rmSync(confDir, { recursive: true, force: true });
    }
  });

  /** host-local's lease files of a network (one per address held), IPv4 and IPv6 */
  const leases = (net: string) => {
    const dir = join(d.root, 'network', 'ipam', net);
    return existsSync(dir) ? readdirSync(dir).filter((f) => /^\d+\.\d+\.\d+\.\d+$/.test(f) || /^[0-9a-f:]+$/.test(f) && f.includes(':')) : [];
  };
  const leases4 = (net: string) => leases(net).filter((f) => !f.includes(':'));
  /** the clients of reaches() are --rm containers: their leases go with their removal */
  const noLeases = (...ns: string[]) => until(`no lease left on ${ns.join(', ')}`, async () => ns.every((n) => leases(n).length === 0));
  const cached = (id: string) => readdirSync(join(d.root, 'network', 'cni-cache', 'results')).filter((f) => f.includes(id)).sort();
  const rules = (id: string) => rulesMentioning([id], inTestNetns(netns, ['iptables-save']));
  const nets = async (ref: string) => JSON.parse(await inspectField(d, ref, '{{json .NetworkSettings.Networks}}')) as Record<string, Record<string, unknown>>;

  /** the container's global addresses per interface, read inside it */
  async function addrsInside(ref: string): Promise<Map<string, string[]>> {
    const out = (await ok(d, ['exec', ref, 'ip', '-o', 'addr', 'show', 'scope', 'global'])).stdout;
    const m = new Map<string, string[]>();
    for (const l of out.split('\n').filter(Boolean)) {
      const [, dev, , addr] = l.split(/\s+/);
      if (dev && addr) m.set(dev, [...(m.get(dev) ?? []), addr.split('/')[0] as string]);
    }
    return m;
  }

  /** another container on `net` reaches `ip` (ICMP, from busybox's ping) */
  async function reaches(net: string, ip: string): Promise<boolean> {
    const r = await d.isula(['run', '--rm', '--net', net, 'busybox', 'ping', '-c', '1', '-W', '3', ip], { timeoutMs: 60_000 });
    return r.code === 0;
  }

  test('create_network.sh: --network as --net, with --expose ranges and -P, -p ranges, IP-bound ranges; bad ranges refused', async () => {
    await ok(d, ['network', 'create', 'net_test1']);
    const hc = async (id: string) => JSON.parse(await inspectField(d, id, '{{json .HostConfig.PortBindings}}')) as Record<string, Array<{ HostIp: string; HostPort: string }>>;
    const exposed = async (id: string) => Object.keys(JSON.parse(await inspectField(d, id, '{{json .Config.ExposedPorts}}')) as object);

    const a = (await ok(d, ['create', '--network=net_test1', '-ti', '--expose', '80-89', '-P', 'busybox', '/bin/sh'])).stdout.trim();
    assert.equal(await inspectField(d, a, '{{.HostConfig.NetworkMode}}'), 'net_test1');
    assert.ok((await exposed(a)).includes('80/tcp'));
    assert.equal((await exposed(a)).length, 10);

    const b = (await ok(d, ['create', '--network=net_test1', '-ti', '-p', '80-89', 'busybox', '/bin/sh'])).stdout.trim();
    assert.ok((await exposed(b)).includes('88/tcp'));
    assert.ok(Object.hasOwn(await hc(b), '89/tcp'));

    const c = (await ok(d, ['create', '--network', 'net_test1', '-ti', '-p', '127.0.0.1:80-82:90-92', 'busybox', '/bin/sh'])).stdout.trim();
    assert.ok((await exposed(c)).includes('91/tcp'));
    assert.deepEqual((await hc(c))['91/tcp'], [{ HostIp: '127.0.0.1', HostPort: '81' }]);

    const v6host = '2000::1:2345:3456:ab34';
    const e = (await ok(d, ['create', '--network=net_test1', '-ti', '-p', `[${v6host}]:80-82:90-92`, 'busybox', '/bin/sh'])).stdout.trim();
    assert.equal((await hc(e))['90/tcp']?.[0]?.HostIp, v6host);

    // Difference kept: a host range for one container port is docker's "first free port of the
    // range" (docs/networking.md); iSulad refuses it
    const f = (await ok(d, ['create', '--network=net_test1', '-ti', '-p', '127.0.0.1:80-82:90', 'busybox', '/bin/sh'])).stdout.trim();
    assert.deepEqual((await hc(f))['90/tcp'], [{ HostIp: '127.0.0.1', HostPort: '80-82' }]);
    await ok(d, ['rm', f]);
    for (const bad of ['127.0.0.1:80-82:90-93', '127.0.0.1:80-82:%90-93']) {
      await fails(d, ['create', '--network=net_test1', '-ti', '-p', bad, 'busybox', '/bin/sh'], 125);
    }
    // the same semantics and errors as --net; of the two, the last given wins (one value in iSulad)
    assert.match((await fails(d, ['create', '--network', '.xx', 'busybox'])).stderr, /Invalid network name \.xx/);
    assert.match((await fails(d, ['create', '--network', 'cni3', 'busybox'])).stderr, /Network cni3 not found/);
    const last = (await ok(d, ['create', '--net', 'none', '--network', 'net_test1', 'busybox'])).stdout.trim();
    assert.equal(await inspectField(d, last, '{{.HostConfig.NetworkMode}}'), 'net_test1');
    const last2 = (await ok(d, ['create', '--network', 'net_test1', '--net', 'none', 'busybox'])).stdout.trim();
    assert.equal(await inspectField(d, last2, '{{.HostConfig.NetworkMode}}'), 'none');
    assert.match((await ok(d, ['create', '--help'])).stdout, /--network/);

    // and it runs: the container is on the network
    await ok(d, ['start', c]);
    assert.match(await inspectField(d, c, '{{.NetworkSettings.Networks.net_test1.IPAddress}}'), /^\d+\.\d+\.\d+\.\d+$/);
    await ok(d, ['rm', '-f', a, b, c, e, last, last2]);
    await ok(d, ['network', 'rm', 'net_test1']);
  });

  let ip1 = '';
  let ip2 = '';
  let ip6 = '';

  test('container_with_network.sh: --net cni1,cni2 joins both (eth0, eth1), each address live; stop, kill, start, restart, rm -f release them', async () => {
    await ok(d, ['network', 'create', '--subnet', '172.20.5.0/24', 'cni1']);
    await ok(d, ['network', 'create', '--subnet', '172.20.6.0/24', ...(v6 ? ['--subnet', subnet6] : []), 'cni2']);
    const name = 'cont_name';

    assert.match((await fails(d, ['run', '-tid', '--net', '.xx', '-n', name, 'busybox', 'sh'], 125)).stderr, /Invalid network name \.xx/);
    assert.match((await fails(d, ['run', '-tid', '--net', 'cni3', '-n', name, 'busybox', 'sh'], 125)).stderr, /Network cni3 not found/);
    assert.match((await fails(d, ['run', '-tid', '--net', 'cni1,cni3', '-n', name, 'busybox', 'sh'], 125)).stderr, /Network cni3 not found/);
    assert.match((await fails(d, ['run', '-tid', '--net', 'cni1,.xx', '-n', name, 'busybox', 'sh'], 125)).stderr, /Invalid network name \.xx/);
    // refused at create: nothing is left behind (iSulad creates it and fails the start)
    assert.notEqual((await d.isula(['inspect', name])).code, 0);

    const id = (await ok(d, ['run', '-tid', '--net', 'cni1,cni2', '-n', name, 'busybox', 'sh'])).stdout.trim();
    const check = async () => {
      const n = await nets(name);
      assert.deepEqual(Object.keys(n), ['cni1', 'cni2']);
      assert.equal(n['cni1']?.['IFName'], 'eth0');
      assert.equal(n['cni2']?.['IFName'], 'eth1');
      ip1 = String(n['cni1']?.['IPAddress']);
      ip2 = String(n['cni2']?.['IPAddress']);
      assert.match(ip1, /^172\.20\.5\.\d+$/);
      assert.match(ip2, /^172\.20\.6\.\d+$/);
      assert.equal(n['cni1']?.['Gateway'], '172.20.5.1');
      assert.equal(n['cni2']?.['Gateway'], '172.20.6.1');
      assert.match(String(n['cni2']?.['NetworkID']), /^[0-9a-f]{64}$/);
      assert.notEqual(n['cni1']?.['NetworkID'], n['cni2']?.['NetworkID']);
      if (v6) {
        ip6 = String(n['cni2']?.['GlobalIPv6Address']);
        assert.match(ip6, /^fd12:20:5::/);
      }
      // the first network's values at the top level, as with one network
      assert.equal(await inspectField(d, name, '{{.NetworkSettings.IPAddress}}'), ip1);
      assert.equal(await inspectField(d, name, '{{.NetworkSettings.Activation}}'), 'true');
      const inside = await addrsInside(name);
      assert.deepEqual(inside.get('eth0'), [ip1]);
      assert.deepEqual(inside.get('eth1'), v6 ? [ip2, ip6] : [ip2]);
      const hosts = (await ok(d, ['exec', name, 'cat', '/etc/hosts'])).stdout;
      for (const a of [ip1, ip2, ...(v6 ? [ip6] : [])]) assert.match(hosts, new RegExp(`^${a.replace(/\./g, '\\.')}\\s`, 'm'));
      assert.ok(leases('cni1').includes(ip1), `lease of ${ip1}: ${leases('cni1').join(' ')}`);
      assert.ok(leases('cni2').includes(ip2), `lease of ${ip2}: ${leases('cni2').join(' ')}`);
      assert.deepEqual(cached(id), [`cni-loopback-${id}-lo`, `cni1-${id}-eth0`, `cni2-${id}-eth1`]);
      assert.ok(await reaches('cni1', ip1), `${ip1} from cni1`);
      assert.ok(await reaches('cni2', ip2), `${ip2} from cni2`);
      if (v6) assert.ok(await reaches('cni2', ip6), `${ip6} from cni2`);
    };
    const released = async () => {
      assert.deepEqual(await nets(name), {});
      await noLeases('cni1', 'cni2');
      assert.deepEqual(cached(id), []);
      assert.deepEqual(rules(id), []);
      assert.equal(mounted(join(d.state, 'netns', id)), false);
    };
    await check();
    // the containers using a network are known: it cannot be removed under them
    assert.ok((JSON.parse((await ok(d, ['network', 'inspect', 'cni2'])).stdout)[0].Containers as string[]).includes(name));
    assert.match((await fails(d, ['network', 'rm', 'cni2'])).stderr, /has active containers/);
    await ok(d, ['start', name]); // already running: a no-op
    await ok(d, ['stop', '-t', '0', name]);
    await released();
    await ok(d, ['start', name]);
    await check();
    await ok(d, ['restart', '-t', '0', name]);
    await check();
    await ok(d, ['kill', name]);
    await until(`${name} exited after kill`, async () => (await state(d, name)) === 'exited');
    await released();
    await ok(d, ['start', name]);
    await check();
    await fails(d, ['rm', name]);
    assert.equal(await state(d, name), 'running');
    await ok(d, ['rm', '-f', name]);
    await noLeases('cni1', 'cni2');
    assert.deepEqual(cached(id), []);
    assert.deepEqual(rules(id), []);

    // --ip on one network, and on the first of two (ports, --ip and --mac-address go to the first)
    const one = (await ok(d, ['run', '-tid', '--net', 'cni1', '--ip', ip1, '-n', name, 'busybox', 'sh'])).stdout.trim();
    assert.deepEqual((await addrsInside(name)).get('eth0'), [ip1]);
    await ok(d, ['rm', '-f', one]);
    const two = (await ok(d, ['run', '-tid', '--network', 'cni2,cni1', '--ip', ip2, '-n', name, 'busybox', 'sh'])).stdout.trim();
    const n = await nets(name);
    assert.deepEqual(Object.keys(n), ['cni2', 'cni1']);
    assert.equal(n['cni2']?.['IPAddress'], ip2);
    assert.equal(n['cni2']?.['IFName'], 'eth0');
    assert.equal(n['cni1']?.['IFName'], 'eth1');
    await ok(d, ['rm', '-f', two]);
  });

  test('--net cni1,cni2 on runc (through conmon): the same two interfaces and addresses, released at rm -f', { skip: RUNTIMES.find((r) => r.name === 'runc')?.skip ?? 'no runc row' }, async () => {
    const id = (await ok(d, ['run', '-tid', '--runtime', 'runc', '--net', 'cni1,cni2', '-n', 'cont_runc', 'busybox', 'sh'])).stdout.trim();
    const n = await nets('cont_runc');
    const inside = await addrsInside('cont_runc');
    assert.deepEqual(inside.get('eth0'), [n['cni1']?.['IPAddress']]);
    assert.equal(inside.get('eth1')?.[0], n['cni2']?.['IPAddress']);
    assert.ok(await reaches('cni2', String(n['cni2']?.['IPAddress'])));
    assert.deepEqual(cached(id), [`cni-loopback-${id}-lo`, `cni1-${id}-eth0`, `cni2-${id}-eth1`]);
    await ok(d, ['rm', '-f', 'cont_runc']);
    await noLeases('cni1', 'cni2');
    assert.deepEqual(cached(id), []);
    assert.deepEqual(rules(id), []);
  });

  test('container_network_cleanup.sh: containers on cni1,cni2 killed, restarted, and killed while the daemon is down: every attachment released', async () => {
    const names = ['cont_clean1', 'cont_clean2', 'cont_clean3'];
    const ids: string[] = [];
    for (const n of names) ids.push((await ok(d, ['run', '-tid', '--net', 'cni1,cni2', '-n', n, 'busybox', 'sh'])).stdout.trim());
    assert.equal(leases4('cni1').length, 3);
    assert.equal(leases4('cni2').length, 3);
    const pids = await Promise.all(names.map(async (n) => Number(await inspectField(d, n, '{{.State.Pid}}'))));
    for (const p of pids) process.kill(p, 'SIGKILL');
    for (const n of names) await until(`${n} exited`, async () => (await state(d, n)) === 'exited');
    await noLeases('cni1', 'cni2');
    for (const [i, n] of names.entries()) {
      await ok(d, ['start', n]);
      assert.deepEqual(Object.keys(await nets(n)), ['cni1', 'cni2']);
      await ok(d, ['stop', '-t', '0', n]);
      assert.deepEqual(rules(ids[i] as string), []);
      assert.deepEqual(cached(ids[i] as string), []);
    }
    for (const n of names) await ok(d, ['start', n]);
    assert.equal(leases4('cni1').length, 3);
    const running = await Promise.all(names.map(async (n) => Number(await inspectField(d, n, '{{.State.Pid}}'))));

    // the daemon stops; the first two die while it is away, the third keeps running
    await d.terminate();
    for (const p of running.slice(0, 2)) process.kill(p, 'SIGKILL');
    await until('killed inits gone', async () => running.slice(0, 2).every((p) => !existsSync(`/proc/${p}`)));
    await d.restart();
    for (const n of names.slice(0, 2)) await until(`${n} exited`, async () => (await state(d, n)) === 'exited');
    for (const id of ids.slice(0, 2)) {
      assert.deepEqual(cached(id), []);
      assert.deepEqual(rules(id), []);
      assert.equal(mounted(join(d.state, 'netns', id)), false);
    }
    // the survivor keeps both attachments (and its two addresses are the only leases left)
    const kept = await nets(names[2] as string);
    assert.deepEqual(Object.keys(kept), ['cni1', 'cni2']);
    assert.deepEqual(leases4('cni1'), [kept['cni1']?.['IPAddress']]);
    assert.deepEqual(leases4('cni2'), [kept['cni2']?.['IPAddress']]);
    if (v6) assert.deepEqual(leases('cni2').filter((f) => f.includes(':')), [kept['cni2']?.['GlobalIPv6Address']]);
    assert.equal(cached(ids[2] as string).length, 3);
    assert.ok(await reaches('cni2', String(kept['cni2']?.['IPAddress'])));
    for (const n of names.slice(0, 2)) {
      await ok(d, ['start', n]);
      assert.equal(await state(d, n), 'running');
      await ok(d, ['stop', '-t', '0', n]);
    }
    await ok(d, ['rm', '-f', ...names]);
    await noLeases('cni1', 'cni2');
    for (const id of ids) assert.deepEqual(rules(id), []);
  });

  test('setup_network_failed.sh: a network whose setup fails (2nd of 3, or last) tears down the ones attached before it; nothing is left', async () => {
    // a list in the daemon's CNI dir that parses but cannot be set up (no such subnet)
    writeFileSync(join(confDir, 'isulacni-invalid.conflist'), JSON.stringify({
      cniVersion: '0.4.0', name: 'invalid',
      plugins: [
        { type: 'bridge', bridge: 'isula-brinv', isGateway: true, ipMasq: true, hairpinMode: true, ipam: { type: 'host-local', routes: [{ dst: '0.0.0.0/0' }], ranges: [[{ subnet: '192.168.256.0/24', gateway: '192.168.256.1' }]], dataDir: join(d.root, 'network', 'ipam') } },
        { type: 'portmap', capabilities: { portMappings: true } },
        { type: 'firewall' },
      ],
    }, null, 2));
    await d.restart();
    for (const [name, mode] of [['cont_failed', 'cni1,invalid,cni2'], ['cont_failed_last', 'cni1,cni2,invalid']] as const) {
      const r = await fails(d, ['run', '-tid', '--net', mode, '-p', '80', '-n', name, 'busybox', 'sh'], 125);
      assert.match(r.stderr, /invalid/);
      const id = await idOf(d, name);
      assert.doesNotMatch(await inspectField(d, name, '{{json .NetworkSettings}}'), /cni1|cni2|invalid/);
      assert.deepEqual(leases('cni1'), []);
      assert.deepEqual(leases('cni2'), []);
      assert.deepEqual(rules(id), []);
      assert.deepEqual(cached(id), []);
      assert.equal(existsSync(join(d.state, 'netns', id)), false);
      // no veth of it is left on the networks' bridges
      for (const net of ['cni1', 'cni2']) {
        const br = (await ok(d, ['network', 'inspect', '-f', '{{.Bridge}}', net])).stdout.trim();
        assert.equal(inTestNetns(netns, ['ip', '-o', 'link', 'show', 'master', br]).trim(), '', `ports of ${br}`);
      }
    }
    await ok(d, ['rm', 'cont_failed', 'cont_failed_last']);
    await ok(d, ['network', 'rm', 'cni1', 'cni2']);
    rmSync(join(confDir, 'isulacni-invalid.conflist'));
    await d.restart();
  });
});
