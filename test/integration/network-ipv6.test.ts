// IPv6 (dual-stack) native networks through the real daemon, LXC and Debian's plugins. The daemon
// runs in a network namespace this suite creates (StartOptions.netns): its bridges, ip6tables rules
// and the IPv6 forwarding sysctl the bridge plugin turns on stay there, and go with it. Checked:
// create with an IPv6 --subnet (an IPv4 one picked beside it), inspect, ls, a container's IPv6
// address/route//etc/hosts, IPv6 reached from the daemon's netns directly and through a published
// port (portmap's ip6tables DNAT), container ↔ container over IPv6, CHECK at restore, bad input.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { startDaemon, type Daemon } from '../helpers/daemon.ts';
import { canRun, skipReason, ok, inspectField, until, assertCleanAfterRemovingAll } from './container-fixture.ts';
import { rulesMentioning } from '../helpers/net.ts';

function ipv6Skip(): string | false {
  if (skipReason) return skipReason;
  if (!existsSync('/usr/lib/cni/bridge')) return 'needs containernetworking-plugins';
  try {
    if (readFileSync('/proc/sys/net/ipv6/conf/all/disable_ipv6', 'utf8').trim() !== '0') return 'IPv6 is disabled on this host';
  } catch {
    return 'no IPv6 in this kernel';
  }
  // and in a new netns (what the daemon here runs in): IPv6 on, an address can be added
  const probe = spawnSync('unshare', ['--net', 'sh', '-c', 'test "$(cat /proc/sys/net/ipv6/conf/default/disable_ipv6)" = 0 && ip link set lo up && ip -6 addr add fd00::1/128 dev lo'], { encoding: 'utf8' });
  if (probe.status !== 0) return `IPv6 is not usable in a new network namespace here: ${probe.stderr.trim() || 'disabled by default'}`;
  return false;
}
const skip = ipv6Skip();

const HTTPD = ['sh', '-c', 'mkdir -p /www && echo "hello-$(hostname)" > /www/index.html && exec httpd -f -p 80 -h /www'];

/** GET `url` from inside `netns` (this test's own node under nsenter): the body, or '' on failure. */
function fetchIn(netns: string, url: string): Promise<string> {
  const code = `fetch(${JSON.stringify(url)},{signal:AbortSignal.timeout(5000)}).then(r=>r.text()).then(t=>process.stdout.write(t),()=>process.exit(3))`;
  return new Promise((resolve) => {
    const c = spawn('nsenter', [`--net=${netns}`, process.execPath, '-e', code], { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    c.stdout.on('data', (d: Buffer) => (out += d.toString()));
    c.once('close', (status) => resolve(status === 0 ? out : ''));
  });
}

describe('IPv6 (dual-stack) networks', { skip }, () => {
  const tag = randomBytes(3).toString('hex');
  const netns = `/run/isula-test-v6-${tag}`;
  // a unique local /64 of our own (fd00::/8, random global id)
  // groups written without leading zeros: the daemon prints addresses in their canonical form (RFC 5952)
  const group = (hex: string): string => parseInt(hex, 16).toString(16);
  const prefix = `fd${tag.slice(0, 2)}:${group(tag.slice(2, 6))}:${group(randomBytes(2).toString('hex'))}:1`;
  const subnet6 = `${prefix}::/64`;
  let d: Daemon;
  const ids: string[] = [];

  before(async () => {
    if (!canRun) return;
    writeFileSync(netns, '');
    const r = spawnSync('unshare', [`--net=${netns}`, 'true'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(spawnSync('nsenter', [`--net=${netns}`, 'ip', 'link', 'set', 'lo', 'up']).status, 0);
    d = await startDaemon({ config: { bridge: '' }, netns });
  });

  after(async () => {
    if (d) {
      await assertCleanAfterRemovingAll(d).catch(() => undefined);
      await d.stop();
    }
    // the daemon's bridges, veths and rules live in the netns: unpinning it frees them all
    spawnSync('umount', [netns]);
    rmSync(netns, { force: true });
  });

  let ip6 = '';
  let gw6 = '';
  let gw4 = '';
  let port = 0;

  test('network create with an IPv6 --subnet: dual stack (an IPv4 subnet picked beside it); inspect and ls', async () => {
    assert.equal((await ok(d, ['network', 'create', '--subnet', subnet6, 'v6net'])).stdout, 'v6net\n');
    const info = JSON.parse((await ok(d, ['network', 'inspect', 'v6net'])).stdout)[0];
    assert.equal(info.IPv6Subnet, subnet6);
    assert.equal(info.IPv6Gateway, `${prefix}::1`);
    assert.match(info.Subnet, /^\d+\.\d+\.\d+\.0\/24$/);
    assert.deepEqual(info.plugins[0].ipam.ranges, [[{ subnet: info.Subnet, gateway: info.Gateway }], [{ subnet: subnet6, gateway: `${prefix}::1` }]]);
    assert.deepEqual(info.plugins[0].ipam.routes, [{ dst: '0.0.0.0/0' }, { dst: '::/0' }]);
    assert.match((await ok(d, ['network', 'ls'])).stdout, new RegExp(`^v6net\\s+1\\.0\\.0\\s+\\S+\\s+${info.Subnet.replace(/\./g, '\\.')},${subnet6}\\s*$`, 'm'));
    // the bridge in the daemon's netns holds both gateways
    const addrs = spawnSync('nsenter', [`--net=${netns}`, 'ip', '-o', 'addr', 'show', 'dev', info.Bridge], { encoding: 'utf8' }).stdout;
    assert.ok(addrs.includes(`inet6 ${prefix}::1/64`), addrs);
    assert.ok(addrs.includes(`inet ${info.Gateway}/24`), addrs);
    gw4 = info.Gateway;
  });

  test('a container gets an IPv6 address, route and /etc/hosts line; reached over IPv6 directly and through -p', async () => {
    port = 20000 + Math.floor(Math.random() * 20000);
    const id = (await ok(d, ['run', '-d', '--name', 'web6', '-h', 'web6', '--net', 'v6net', '-p', `${port}:80`, 'busybox', ...HTTPD])).stdout.trim();
    ids.push(id);
    ip6 = await inspectField(d, 'web6', '{{.NetworkSettings.GlobalIPv6Address}}');
    gw6 = await inspectField(d, 'web6', '{{.NetworkSettings.IPv6Gateway}}');
    assert.ok(ip6.startsWith(`${prefix}::`), ip6);
    assert.equal(gw6, `${prefix}::1`);
    assert.equal(await inspectField(d, 'web6', '{{.NetworkSettings.GlobalIPv6PrefixLen}}'), '64');
    const settings = JSON.parse((await ok(d, ['inspect', '-f', '{{json .NetworkSettings}}', 'web6'])).stdout);
    // iSulad's NetworkSettings keys, in its order
    assert.deepEqual(Object.keys(settings), [
      'Bridge', 'SandboxID', 'LinkLocalIPv6Address', 'LinkLocalIPv6PrefixLen', 'Ports', 'CNIPorts', 'SandboxKey', 'EndpointID', 'Gateway',
      'GlobalIPv6Address', 'GlobalIPv6PrefixLen', 'IPAddress', 'IPPrefixLen', 'IPv6Gateway', 'MacAddress', 'Activation', 'Networks',
    ]);
    assert.equal(settings.Activation, true);
    const net = settings.Networks.v6net;
    assert.deepEqual(Object.keys(net), [
      'Links', 'Alias', 'NetworkID', 'EndpointID', 'Gateway', 'IPAddress', 'IPPrefixLen', 'IPv6Gateway', 'GlobalIPv6Address',
      'GlobalIPv6PrefixLen', 'MacAddress', 'IFName', 'DriverOpts',
    ]);
    assert.equal(net.GlobalIPv6Address, ip6);
    assert.equal(net.IPv6Gateway, gw6);
    const inside = (await ok(d, ['exec', 'web6', 'sh', '-c', 'ip -o -6 addr show eth0; ip -6 route; cat /etc/hosts'])).stdout;
    assert.ok(inside.includes(`inet6 ${ip6}/64`), inside);
    assert.match(inside, new RegExp(`^default via ${gw6} dev eth0`, 'm'));
    assert.match(inside, new RegExp(`^${ip6}\\s+web6$`, 'm'));
    await until('httpd over IPv6', async () => (await fetchIn(netns, `http://[${ip6}]/`)) === 'hello-web6\n');
    // published port: portmap's ip6tables DNAT to the container's IPv6, and the IPv4 one still
    assert.equal(await fetchIn(netns, `http://[${gw6}]:${port}/`), 'hello-web6\n');
    assert.equal(await fetchIn(netns, `http://${gw4}:${port}/`), 'hello-web6\n');
    // container to container over IPv6
    assert.equal((await ok(d, ['run', '--rm', '--net', 'v6net', 'busybox', 'wget', '-q', '-O', '-', `http://[${ip6}]/`])).stdout, 'hello-web6\n');
  });

  test('restore: CHECK of the dual-stack attachment passes, portmap 1.1.1\'s defect named', async () => {
    await d.restart();
    const id = ids[0] as string;
    const lines = () => d.log().split('\n').filter((l) => l.includes(id) && /network check/.test(l));
    await until('check logged', async () => lines().length > 0);
    assert.match(lines().join('\n'), /INFO\s+network check passed; portmap not checked: .*dual-stack attachment/);
    assert.equal(await fetchIn(netns, `http://[${gw6}]:${port}/`), 'hello-web6\n');
  });

  test('bad IPv6 input is refused with 125 and makes nothing', async () => {
    for (const [args, msg] of [
      [['--subnet', 'fd00::/8', 'bad1'], /IPv6 prefix length must be between 16 and 120/],
      [['--subnet', `${prefix}::5/64`, 'bad2'], /host bits are set/],
      [['--subnet', subnet6, 'bad3'], /overlaps with network "v6net"/],
      [['--subnet', 'fd01::/64', '--subnet', 'fd02::/64', 'bad4'], /at most one IPv4 and one IPv6 subnet/],
      [['--subnet', '10.99.0.0/24', '--gateway', 'fd03::1', 'bad5'], /Cannot specify gateway without subnet/],
      [['--subnet', 'fd04::/64', '--gateway', 'fd05::1', 'bad6'], /not a host address of subnet fd04::\/64/],
    ] as const) {
      const r = await d.isula(['network', 'create', ...args]);
      assert.equal(r.code, 125, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, msg);
    }
    assert.equal((await ok(d, ['network', 'ls', '-q'])).stdout, 'v6net\n');
  });

  test('an explicit IPv6 gateway; rm tears everything down; nothing reaches the host', async () => {
    await ok(d, ['network', 'create', '--subnet', 'fd06:1:2:3::/64', '--gateway', 'fd06:1:2:3::fe', 'v6gw']);
    const info = JSON.parse((await ok(d, ['network', 'inspect', 'v6gw'])).stdout)[0];
    assert.equal(info.IPv6Gateway, 'fd06:1:2:3::fe');
    const out = (await ok(d, ['run', '--rm', '--net', 'v6gw', 'busybox', 'ip', '-6', 'route'])).stdout;
    assert.match(out, /^default via fd06:1:2:3::fe dev eth0/m);
    await ok(d, ['stop', '-t', '1', 'web6']);
    assert.equal(await inspectField(d, 'web6', '{{.NetworkSettings.Activation}}'), 'false');
    assert.equal(await inspectField(d, 'web6', '{{.NetworkSettings.GlobalIPv6Address}}'), '');
    await ok(d, ['rm', '-f', 'web6']);
    await ok(d, ['network', 'rm', 'v6net', 'v6gw']);
    const links = spawnSync('nsenter', [`--net=${netns}`, 'ip', '-o', 'link'], { encoding: 'utf8' }).stdout;
    assert.doesNotMatch(links, /isula-br/);
    const v6rules = spawnSync('nsenter', [`--net=${netns}`, 'ip6tables-save'], { encoding: 'utf8' }).stdout;
    assert.deepEqual(v6rules.split('\n').filter((l) => l.startsWith('-A') && ids.some((i) => l.includes(i))), []);
    await assertCleanAfterRemovingAll(d);
    // the host's own tables never saw any of it
    assert.deepEqual(rulesMentioning(ids), []);
  });
});
