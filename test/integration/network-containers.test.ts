// Containers on CNI networks through the real daemon, LXC and the Debian CNI plugins: the default
// `isulad` bridge network, published ports reached from 127.0.0.1 and the host IP, container ↔
// container and container → host, generated /etc files, --net none|host|<unknown>, --ip,
// --mac-address, port conflicts, teardown at stop and rm, and a daemon kill -9 that neither leaks
// nor double-frees an address. Every bridge and iptables rule made here is removed and asserted.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { startDaemon, type Daemon } from '../helpers/daemon.ts';
import { canRun, skipReason, ok, inspectField, until, assertCleanAfterRemovingAll, RUNTIMES } from './container-fixture.ts';
import { probeHostPort } from '../../src/network/ports.ts';
import {
  bridgePorts, deleteLink, hostIPv4, ipForward, iptablesSave, linkExists, removeSharedChainsCreatedSince, restoreIpForward, rulesMentioning,
} from '../helpers/net.ts';

const skip = skipReason || (existsSync('/usr/lib/cni/bridge') ? false : 'needs containernetworking-plugins');

async function fetchText(url: string): Promise<string> {
  const r = await fetch(url, { signal: AbortSignal.timeout(20_000) });
  return await r.text();
}

const freePort = () => probeHostPort({ hostIP: '', hostPort: 0, protocol: 'tcp' });
const HTTPD = ['sh', '-c', 'mkdir -p /www && echo "hello-$(hostname)" > /www/index.html && exec httpd -f -p 80 -h /www'];

describe('containers on CNI networks', { skip }, () => {
  let d: Daemon;
  let saved = '';
  let forward = '';
  let bridge = '';
  const customBridges: string[] = [];
  const ids: string[] = [];
  let hostServer: Server | undefined;

  before(async () => {
    if (!canRun) return;
    saved = iptablesSave();
    forward = ipForward();
    d = await startDaemon({ config: { bridge: '' } });
  });

  after(async () => {
    hostServer?.closeAllConnections();
    hostServer?.close();
    if (d) {
      await assertCleanAfterRemovingAll(d).catch(() => undefined);
      await d.stop();
    }
    if (bridge) deleteLink(bridge);
    for (const b of customBridges) deleteLink(b);
    removeSharedChainsCreatedSince(saved);
    if (forward === '0') restoreIpForward(forward);
  });

  let webIp = '';
  let gateway = '';
  let p1 = 0;
  let p2 = 0;

  test('run -p: the default network, ports from 127.0.0.1 and the host IP, inspect and isula port', async () => {
    p1 = await freePort();
    p2 = await freePort();
    const id = (await ok(d, ['run', '-d', '--name', 'web', '-h', 'web', '-p', `127.0.0.1:${p1}:80`, '-p', `${p2}:80/tcp`, 'busybox', ...HTTPD])).stdout.trim();
    ids.push(id);
    webIp = await inspectField(d, 'web', '{{.NetworkSettings.IPAddress}}');
    gateway = await inspectField(d, 'web', '{{.NetworkSettings.Gateway}}');
    bridge = await inspectField(d, 'web', '{{.NetworkSettings.Bridge}}');
    assert.match(webIp, /^\d+\.\d+\.\d+\.\d+$/);
    assert.match(bridge, /^isula-br\d+$/);
    const ns = JSON.parse((await ok(d, ['inspect', 'web'])).stdout)[0].NetworkSettings;
    assert.deepEqual(ns.Ports['80/tcp'], [{ HostIp: '127.0.0.1', HostPort: String(p1) }, { HostIp: '0.0.0.0', HostPort: String(p2) }]);
    assert.equal(ns.Networks.isulad.IPAddress, webIp);
    assert.equal(ns.SandboxKey, join(d.state, 'netns', id));
    await until('httpd', async () => (await fetchText(`http://127.0.0.1:${p1}/`).catch(() => '')) === 'hello-web\n');
    const hip = hostIPv4();
    if (hip) assert.equal(await fetchText(`http://${hip}:${p2}/`), 'hello-web\n');
    assert.equal((await ok(d, ['port', 'web'])).stdout, `80/tcp -> 127.0.0.1:${p1}\n80/tcp -> 0.0.0.0:${p2}\n`);
    assert.equal((await ok(d, ['port', 'web', '80/tcp'])).stdout, `80/tcp -> 127.0.0.1:${p1}\n80/tcp -> 0.0.0.0:${p2}\n`);
    // seen from inside the container
    const addr = (await ok(d, ['exec', 'web', 'ip', '-o', '-4', 'addr'])).stdout;
    assert.match(addr, new RegExp(`eth0\\s+inet ${webIp.replace(/\./g, '\\.')}/`));
    assert.match(addr, /lo\s+inet 127\.0\.0\.1/);
    const hosts = (await ok(d, ['exec', 'web', 'cat', '/etc/hosts'])).stdout;
    assert.match(hosts, new RegExp(`${webIp.replace(/\./g, '\\.')}\\s+web`));
    assert.equal((await ok(d, ['exec', 'web', 'cat', '/etc/hostname'])).stdout, 'web\n');
    assert.doesNotMatch((await ok(d, ['exec', 'web', 'cat', '/etc/resolv.conf'])).stdout, /nameserver 127\./);
  });

  test('two containers on one network reach each other by IP; a container reaches the host', async () => {
    assert.equal((await ok(d, ['run', '--rm', 'busybox', 'wget', '-q', '-O', '-', `http://${webIp}/`])).stdout, 'hello-web\n');
    hostServer = createServer((_q, s) => s.end('from-host'));
    await new Promise<void>((r) => hostServer?.listen(0, '0.0.0.0', r));
    const port = (hostServer.address() as { port: number }).port;
    assert.equal((await ok(d, ['run', '--rm', 'busybox', 'wget', '-q', '-O', '-', `http://${gateway}:${port}/`])).stdout.trim(), 'from-host');
  });

  test('--net container:<id> shares the other container\'s netns (same address, no files of its own)', async () => {
    const out = (await ok(d, ['run', '--rm', '--net', 'container:web', 'busybox', 'ip', '-o', '-4', 'addr', 'show', 'eth0'])).stdout;
    assert.ok(out.includes(`inet ${webIp}/`), out);
    assert.equal((await ok(d, ['run', '--rm', '--net', 'container:web', 'busybox', 'wget', '-q', '-O', '-', 'http://127.0.0.1/'])).stdout, 'hello-web\n');
  });

  test('-P publishes EXPOSE/--expose ports; ps shows them', async () => {
    const id = (await ok(d, ['run', '-d', '--name', 'pub', '-h', 'pub', '--expose', '80', '--expose', '7000/udp', '-P', 'busybox', ...HTTPD])).stdout.trim();
    ids.push(id);
    const lines = (await ok(d, ['port', 'pub'])).stdout.trim().split('\n').sort();
    assert.equal(lines.length, 2, lines.join('\n'));
    assert.match(lines[0] as string, /^7000\/udp -> 0\.0\.0\.0:\d+$/);
    assert.match(lines[1] as string, /^80\/tcp -> 0\.0\.0\.0:\d+$/);
    const port = (lines[1] as string).split(':')[1];
    await until('httpd on pub', async () => (await fetchText(`http://127.0.0.1:${port}/`).catch(() => '')) === 'hello-pub\n');
    const ps = (await ok(d, ['ps', '--format', '{{.Names}} {{.Ports}}'])).stdout;
    assert.match(ps, new RegExp(`^pub 0\\.0\\.0\\.0:${port}->80/tcp, 0\\.0\\.0\\.0:\\d+->7000/udp$`, 'm'));
    await ok(d, ['rm', '-f', 'pub']);
    assert.deepEqual(rulesMentioning([id]), []);
  });

  test('a runc container (through conmon) joins the engine netns: published port and container-to-container', { skip: RUNTIMES.find((r) => r.name === 'runc')?.skip ?? 'no runc row' }, async () => {
    const p = await freePort();
    const id = (await ok(d, ['run', '-d', '--runtime', 'runc', '--name', 'webr', '-h', 'webr', '-p', `127.0.0.1:${p}:80`, 'busybox', ...HTTPD])).stdout.trim();
    ids.push(id);
    const ip = await inspectField(d, 'webr', '{{.NetworkSettings.IPAddress}}');
    await until('httpd on webr', async () => (await fetchText(`http://127.0.0.1:${p}/`).catch(() => '')) === 'hello-webr\n');
    assert.equal((await ok(d, ['run', '--rm', 'busybox', 'wget', '-q', '-O', '-', `http://${ip}/`])).stdout, 'hello-webr\n');
    await ok(d, ['rm', '-f', 'webr']);
    assert.equal(existsSync(join(d.state, 'netns', id)), false);
    assert.deepEqual(rulesMentioning([id]), []);
  });

  test('--dns, --dns-search, --dns-opt, --add-host, --ip and --mac-address', async () => {
    const want = webIp.replace(/\.\d+$/, '.222');
    const out = (await ok(d, [
      'run', '--rm', '--dns', '192.0.2.53', '--dns-search', 'example.org', '--dns-opt', 'ndots:2', '--add-host', 'db:192.0.2.9',
      '--ip', want, '--mac-address', '02:42:c0:a8:00:99', 'busybox', 'sh', '-c', 'cat /etc/resolv.conf /etc/hosts; ip -o link show eth0; ip -o -4 addr show eth0',
    ])).stdout;
    assert.match(out, /^search example\.org$/m);
    assert.match(out, /^nameserver 192\.0\.2\.53$/m);
    assert.match(out, /^options ndots:2$/m);
    assert.match(out, /^192\.0\.2\.9\s+db$/m);
    assert.match(out, /02:42:c0:a8:00:99/);
    assert.ok(out.includes(`inet ${want}/`), out);
  });

  test('--net none has only lo; --net host sees the host; an unknown network is refused with 125', async () => {
    const none = (await ok(d, ['run', '--rm', '--net', 'none', 'busybox', 'ip', '-o', 'link'])).stdout;
    assert.deepEqual(none.split('\n').filter(Boolean).map((l) => l.split(':')[1]?.trim()), ['lo']);
    const host = (await ok(d, ['run', '--rm', '--net', 'host', 'busybox', 'ip', '-o', 'link'])).stdout;
    assert.ok(host.includes(`${bridge}:`), host);
    const bad = await d.isula(['run', '--rm', '--net', 'no-such-net', 'busybox', 'true']);
    assert.equal(bad.code, 125);
    assert.match(bad.stderr, /Network no-such-net not found/);
    const badP = await d.isula(['run', '--rm', '-p', '80:70000', 'busybox', 'true']);
    assert.equal(badP.code, 125);
    assert.match(badP.stderr, /not in 1-65535/);
    const hostP = await d.isula(['run', '--rm', '--net', 'host', '-p', '80:80', 'busybox', 'true']);
    assert.equal(hostP.code, 125);
    assert.match(hostP.stderr, /Conflicting options: port publishing and the host network mode/);
  });

  test('a host port already taken is refused, and the failed start leaves no netns or attachment', async () => {
    const r = await d.isula(['run', '-d', '--name', 'clash', '-p', `127.0.0.1:${p1}:80`, 'busybox', 'sleep', '100']);
    assert.equal(r.code, 125);
    assert.match(r.stderr, /port is already allocated/);
    const id = (await inspectField(d, 'clash', '{{.Id}}'));
    assert.equal(existsSync(join(d.state, 'netns', id)), false);
    assert.deepEqual(readdirSync(join(d.root, 'network', 'cni-cache', 'results')).filter((f) => f.includes(id)), []);
    await ok(d, ['rm', '-f', 'clash']);
  });

  test('kill -9 of the daemon: running containers keep their network; one that ended meanwhile is torn down once', async () => {
    const id2 = (await ok(d, ['run', '-d', '--name', 'short', 'busybox', 'sleep', '3'])).stdout.trim();
    ids.push(id2);
    const ip2 = await inspectField(d, 'short', '{{.NetworkSettings.IPAddress}}');
    await d.kill9();
    await new Promise((r) => setTimeout(r, 4000));
    await d.restart();
    await until('short recorded as exited', async () => (await inspectField(d, 'short', '{{.State.Running}}')) === 'false');
    assert.equal(existsSync(join(d.state, 'netns', id2)), false);
    assert.deepEqual(rulesMentioning([id2]), []);
    // web still serves through its mapping after the restore
    assert.equal(await fetchText(`http://127.0.0.1:${p1}/`), 'hello-web\n');
    // the freed address can be taken again, and web's cannot
    const again = await d.isula(['run', '--rm', '--ip', ip2, 'busybox', 'true']);
    assert.equal(again.code, 0, again.stderr);
    const dup = await d.isula(['run', '--rm', '--ip', webIp, 'busybox', 'true']);
    assert.equal(dup.code, 125);
    await ok(d, ['rm', 'short']);
  });

  test('stop and rm tear the network down: no netns, lease, veth or iptables rule left', async () => {
    const id = ids[0] as string;
    await ok(d, ['stop', '-t', '1', 'web']);
    assert.equal(existsSync(join(d.state, 'netns', id)), false);
    assert.equal(await inspectField(d, 'web', '{{.NetworkSettings.IPAddress}}'), '');
    await ok(d, ['start', 'web']);
    await until('httpd again', async () => (await fetchText(`http://127.0.0.1:${p1}/`).catch(() => '')) === 'hello-web\n');
    await ok(d, ['rm', '-f', 'web']);
    assert.equal(existsSync(join(d.state, 'netns', id)), false);
    assert.deepEqual(bridgePorts(bridge), []);
    const leases = readdirSync(join(d.root, 'network', 'ipam', 'isulad')).filter((f) => /^\d+\.\d+\.\d+\.\d+$/.test(f));
    assert.deepEqual(leases, []);
    assert.deepEqual(rulesMentioning(ids), []);
  });

  test('isula network create/ls/inspect: a custom network; containers on it reach each other; bad input is 125', async () => {
    const name = `net-${process.pid}`;
    const subnet = gateway.replace(/\.\d+\.\d+$/, '.') + `${(Number(gateway.split('.')[2]) + 50) % 250}.0/24`;
    assert.equal((await ok(d, ['network', 'create', '--subnet', subnet, '--label', 'team=edge', name])).stdout, `${name}\n`);
    const info = JSON.parse((await ok(d, ['network', 'inspect', name])).stdout)[0];
    customBridges.push(info.Bridge);
    assert.equal(info.Subnet, subnet);
    assert.equal(info.Gateway, subnet.replace(/0\/24$/, '1'));
    assert.deepEqual(info.plugins.map((p: { type: string }) => p.type), ['bridge', 'portmap', 'firewall', 'tuning']);
    assert.deepEqual(info.Labels, { team: 'edge' });
    assert.ok(linkExists(info.Bridge));
    assert.deepEqual((await ok(d, ['network', 'ls', '-q'])).stdout.split('\n').filter(Boolean).sort(), ['isulad', name].sort());
    assert.equal((await ok(d, ['network', 'ls', '-q', '-f', 'label=team=edge'])).stdout, `${name}\n`);
    assert.equal((await ok(d, ['network', 'ls', '-q', '-f', 'name=no-such'])).stdout, '');
    assert.match((await ok(d, ['network', 'ls'])).stdout, new RegExp(`^${name}\\s+1\\.0\\.0\\s+bridge,portmap,firewall,tuning\\s+${subnet.replace(/\./g, '\\.')}`, 'm'));
    const fixed = subnet.replace(/0\/24$/, '77');
    const a = (await ok(d, ['run', '-d', '--name', 'neta', '--net', name, '--ip', fixed, 'busybox', ...HTTPD])).stdout.trim();
    ids.push(a);
    assert.equal(await inspectField(d, 'neta', `{{.NetworkSettings.IPAddress}}`), fixed);
    await until('httpd on a', async () => (await d.isula(['run', '--rm', '--net', name, 'busybox', 'wget', '-q', '-O', '-', `http://${fixed}/`])).stdout === `hello-${a.slice(0, 12)}\n`);
    // refused while in use, nothing changed
    const inUse = await d.isula(['network', 'rm', name]);
    assert.notEqual(inUse.code, 0);
    assert.match(inUse.stderr, /has active containers: neta/);
    assert.ok(linkExists(info.Bridge));
    // bad input: exit 125, clear message, nothing made
    for (const [args, msg] of [
      [['network', 'create', '--subnet', subnet, `${name}-2`], /overlaps with network/],
      [['network', 'create', '--subnet', '10.1.2.3/24', `${name}-3`], /host bits are set/],
      [['network', 'create', '--subnet', 'bogus', `${name}-4`], /Invalid subnet "bogus"/],
      [['network', 'create', '-d', 'macvlan', `${name}-5`], /Cannot support driver: macvlan/],
      [['network', 'create', name], /has been used/],
      [['network', 'create', '--subnet', '172.31.250.0/24', '--gateway', '172.31.251.1', `${name}-6`], /not a host address/],
    ] as const) {
      const r = await d.isula([...args]);
      assert.equal(r.code, 125, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, msg);
    }
    assert.deepEqual((await ok(d, ['network', 'ls', '-q'])).stdout.split('\n').filter(Boolean).sort(), ['isulad', name].sort());
    const wrongIp = await d.isula(['run', '--rm', '--net', name, '--ip', '10.250.250.250', 'busybox', 'true']);
    assert.equal(wrongIp.code, 125);
    assert.match(wrongIp.stderr, /not in the subnet/);
    await ok(d, ['rm', '-f', 'neta']);
    assert.equal((await ok(d, ['network', 'prune', '-f'])).stdout, `${name}\n`);
    assert.equal(linkExists(info.Bridge), false);
    const gone = await d.isula(['network', 'inspect', name]);
    assert.notEqual(gone.code, 0);
    assert.match(gone.stderr, /No such network/);
  });

  test('--internal: no default route and no masquerade for the network', async () => {
    const name = `int-${process.pid}`;
    await ok(d, ['network', 'create', '--internal', name]);
    const info = JSON.parse((await ok(d, ['network', 'inspect', name])).stdout)[0];
    customBridges.push(info.Bridge);
    assert.equal(info.Internal, true);
    assert.equal(info.plugins[0].ipMasq, false);
    const routes = (await ok(d, ['run', '--rm', '--net', name, 'busybox', 'ip', 'route'])).stdout;
    assert.doesNotMatch(routes, /^default/m);
    assert.match(routes, new RegExp(info.Subnet.replace(/\./g, '\\.').replace('/', '\\/')));
    await ok(d, ['network', 'rm', name]);
    assert.equal(linkExists(info.Bridge), false);
  });

  test('after the daemon: bridge removed, no iptables chain or rule of ours left', async () => {
    await assertCleanAfterRemovingAll(d);
    await d.stop();
    deleteLink(bridge);
    assert.equal(linkExists(bridge), false);
    assert.deepEqual(removeSharedChainsCreatedSince(saved), []);
    assert.deepEqual(rulesMentioning([...ids, bridge]), []);
  });
});
