import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hostsContent, parseExtraHost, resolvConfContent } from '../../../../src/services/containers/network-files.ts';
import { portLines } from '../../../../src/cli/commands/port.ts';
import { mergeExposedPorts, portBindingsOf } from '../../../../src/services/containers/network.ts';

const none = { dns: [], dnsSearch: [], dnsOptions: [] };
const HOST = '# generated\nnameserver 127.0.0.53\nnameserver 192.0.2.1\nsearch corp.example\noptions edns0\n';

const resolvCases = [
  { name: 'host minus loopback resolvers', host: HOST, i: none, want: 'search corp.example\nnameserver 192.0.2.1\noptions edns0\n' },
  { name: 'only loopback: docker\'s public fallback', host: 'nameserver 127.0.0.1\n', i: none, want: 'nameserver 8.8.8.8\nnameserver 8.8.4.4\n' },
  { name: '--dns replaces nameservers', host: HOST, i: { ...none, dns: ['10.0.0.53'] }, want: 'search corp.example\nnameserver 10.0.0.53\noptions edns0\n' },
  { name: '--dns-search and --dns-opt replace', host: HOST, i: { dns: [], dnsSearch: ['a.example', 'b.example'], dnsOptions: ['ndots:3'] }, want: 'search a.example b.example\nnameserver 192.0.2.1\noptions ndots:3\n' },
  { name: '--dns-search . drops the search line', host: HOST, i: { ...none, dnsSearch: ['.'] }, want: 'nameserver 192.0.2.1\noptions edns0\n' },
];
for (const c of resolvCases) test(`resolvConfContent: ${c.name}`, () => assert.equal(resolvConfContent(c.host, c.i), c.want));

test('resolvConfContent keeps loopback resolvers for the host network', () => {
  assert.match(resolvConfContent(HOST, none, true), /nameserver 127\.0\.0\.53/);
});

test('hostsContent: localhost lines, --add-host, then the container itself', () => {
  const h = hostsContent({ hostname: 'web', ip: '10.1.0.2', extraHosts: ['db:10.9.9.9', 'v6:fd00::1'], ...none });
  const lines = h.trim().split('\n');
  assert.equal(lines[0], '127.0.0.1\tlocalhost');
  assert.deepEqual(lines.slice(-3), ['10.9.9.9\tdb', 'fd00::1\tv6', '10.1.0.2\tweb']);
  assert.doesNotMatch(hostsContent({ hostname: 'web', ip: '', extraHosts: [], ...none }), /web/);
});

for (const bad of ['db', 'db:', ':1.2.3.4', 'd b:1.2.3.4', 'db:not-an-ip']) {
  test(`parseExtraHost refuses "${bad}"`, () => assert.throws(() => parseExtraHost(bad), /--add-host/));
}

test('portLines as isula port prints them', () => {
  const ports = { '80/tcp': [{ HostIp: '0.0.0.0', HostPort: '8080' }], '53/udp': [{ HostIp: '127.0.0.1', HostPort: '5353' }], '443/tcp': null };
  assert.deepEqual(portLines(ports), ['80/tcp -> 0.0.0.0:8080', '53/udp -> 127.0.0.1:5353']);
  assert.deepEqual(portLines(ports, '80'), ['80/tcp -> 0.0.0.0:8080'], 'with a port too, the key leads (iSulad)');
  assert.deepEqual(portLines(ports, '53/udp'), ['53/udp -> 127.0.0.1:5353']);
  assert.deepEqual(portLines(ports, '443'), []);
  assert.throws(() => portLines(ports, 'x'), /Invalid port/);
});

test('-P publishes every exposed port not already bound; -p keys are exposed too', () => {
  const exposed = mergeExposedPorts({ '80/tcp': {} }, { '9000-9001': {} }, { '53/udp': [] });
  assert.deepEqual(Object.keys(exposed ?? {}).sort(), ['53/udp', '80/tcp', '9000/tcp', '9001/tcp']);
  const rec = {
    Config: { ExposedPorts: exposed },
    HostConfig: { PortBindings: { '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '8080' }] }, PublishAllPorts: true },
  } as never;
  assert.deepEqual(portBindingsOf(rec), [
    { containerPort: 80, protocol: 'tcp', hostIP: '127.0.0.1', hostPort: 8080 },
    { containerPort: 9000, protocol: 'tcp', hostIP: '', hostPort: 0 },
    { containerPort: 9001, protocol: 'tcp', hostIP: '', hostPort: 0 },
    { containerPort: 53, protocol: 'udp', hostIP: '', hostPort: 0 },
  ]);
});

test('a HostPort range for one container port is kept as a range; a bad HostPort is refused', () => {
  const rec = (HostPort: string) => ({ Config: {}, HostConfig: { PortBindings: { '80/tcp': [{ HostIp: '', HostPort }] } } }) as never;
  assert.deepEqual(portBindingsOf(rec('9000-9002')), [{ containerPort: 80, protocol: 'tcp', hostIP: '', hostPort: 9000, hostPortEnd: 9002 }]);
  assert.deepEqual(portBindingsOf(rec('9000')), [{ containerPort: 80, protocol: 'tcp', hostIP: '', hostPort: 9000 }]);
  assert.throws(() => portBindingsOf(rec('x')), /invalid host port/);
  assert.throws(() => portBindingsOf(rec('9002-9000')), /range/);
});

test('portsSummary: published as host->container, then exposed-only; nothing when not running', async () => {
  const { portsSummary } = await import('../../../../src/services/containers/network.ts');
  const rec = {
    State: { Running: true },
    Config: { ExposedPorts: { '80/tcp': {}, '53/udp': {} } },
    NetworkSettings: { Ports: { '80/tcp': [{ HostIp: '0.0.0.0', HostPort: '8080' }, { HostIp: '127.0.0.1', HostPort: '9090' }], '53/udp': null } },
  } as never;
  assert.equal(portsSummary(rec), '0.0.0.0:8080->80/tcp, 127.0.0.1:9090->80/tcp, 53/udp');
  assert.equal(portsSummary({ ...(rec as object), State: { Running: false } } as never), '80/tcp, 53/udp');
});

test('hostsContent: one line per address on every network of the container (--net a,b)', () => {
  const h = hostsContent({ hostname: 'web', ip: '10.1.0.2', ip6: 'fd00:1::2', otherIps: ['10.2.0.2', 'fd00:2::2'], extraHosts: [], ...none });
  assert.deepEqual(h.trim().split('\n').slice(-4), ['10.1.0.2\tweb', 'fd00:1::2\tweb', '10.2.0.2\tweb', 'fd00:2::2\tweb']);
});
