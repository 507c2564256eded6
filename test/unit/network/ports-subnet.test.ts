import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bindingsClash, parseExposeSpec, parsePortKey, parsePortSpec } from '../../../src/network/ports.ts';
import { checkGateway, formatCidr, overlaps, parseSubnet, pickFreeSubnet } from '../../../src/network/subnet.ts';

const b = (containerPort: number, hostPort: number, hostIP = '', protocol = 'tcp') => ({ containerPort, protocol, hostIP, hostPort });
const specs: Array<{ spec: string; want: unknown[] }> = [
  { spec: '80', want: [b(80, 0)] },
  { spec: '8080:80', want: [b(80, 8080)] },
  { spec: '127.0.0.1:8080:80', want: [b(80, 8080, '127.0.0.1')] },
  { spec: '127.0.0.1::80', want: [b(80, 0, '127.0.0.1')] },
  { spec: '53:53/udp', want: [b(53, 53, '', 'udp')] },
  { spec: '8000-8001:80-81/tcp', want: [b(80, 8000), b(81, 8001)] },
  { spec: '9000-9010:80', want: [{ ...b(80, 9000), hostPortEnd: 9010 }] },
  { spec: '80-81', want: [b(80, 0), b(81, 0)] },
  { spec: '[::1]:8080:80', want: [b(80, 8080, '::1')] },
  { spec: '5000:5000/SCTP', want: [b(5000, 5000, '', 'sctp')] },
];
for (const c of specs) test(`parsePortSpec ${c.spec}`, () => assert.deepEqual(parsePortSpec(c.spec), c.want));

for (const [spec, msg] of [
  ['', /no container port|invalid/],
  ['0:80', /not in 1-65535/],
  ['8080:70000', /not in 1-65535/],
  ['80/icmp', /invalid protocol/],
  ['a:b:c:d', /invalid port spec/],
  ['999.1.1.1:80:80', /invalid host IP/],
  ['8000-8002:80-81', /differ in length/],
  ['90-80', /range/],
  ['8080:', /no container port/],
] as const) {
  test(`parsePortSpec refuses "${spec}"`, () => assert.throws(() => parsePortSpec(spec), msg));
}

test('parseExposeSpec and parsePortKey', () => {
  assert.deepEqual(parseExposeSpec('80'), ['80/tcp']);
  assert.deepEqual(parseExposeSpec('53/udp'), ['53/udp']);
  assert.deepEqual(parseExposeSpec('7000-7002'), ['7000/tcp', '7001/tcp', '7002/tcp']);
  assert.deepEqual(parsePortKey('80/udp'), { port: 80, protocol: 'udp' });
  assert.deepEqual(parsePortKey('443'), { port: 443, protocol: 'tcp' });
});

for (const [a, bb, want] of [
  [{ hostIP: '', hostPort: 80, protocol: 'tcp' }, { hostIP: '127.0.0.1', hostPort: 80, protocol: 'tcp' }, true],
  [{ hostIP: '127.0.0.1', hostPort: 80, protocol: 'tcp' }, { hostIP: '127.0.0.2', hostPort: 80, protocol: 'tcp' }, false],
  [{ hostIP: '', hostPort: 80, protocol: 'tcp' }, { hostIP: '', hostPort: 80, protocol: 'udp' }, false],
  [{ hostIP: '0.0.0.0', hostPort: 81, protocol: 'udp' }, { hostIP: '10.0.0.1', hostPort: 81, protocol: 'udp' }, true],
] as const) {
  test(`bindingsClash ${a.hostIP}:${a.hostPort}/${a.protocol} vs ${bb.hostIP}:${bb.hostPort}/${bb.protocol}`, () => assert.equal(bindingsClash(a, bb), want));
}

for (const [s, ok] of [
  ['192.168.3.0/24', true], ['10.0.0.0/8', true], ['10.1.2.3/24', false], ['300.1.1.0/24', false], ['10.0.0.0', false],
  ['10.0.0.0/33', false], ['10.0.0.0/31', false], ['fd00::/64', false], ['10.0.0.0/24/1', false],
] as const) {
  test(`parseSubnet ${s}`, () => {
    if (ok) assert.equal(formatCidr(parseSubnet(s)), s);
    else assert.throws(() => parseSubnet(s), (e: Error & { kind?: string }) => e.kind === 'invalid-argument');
  });
}

test('overlaps', () => {
  assert.equal(overlaps(parseSubnet('10.0.0.0/8'), parseSubnet('10.1.0.0/16')), true);
  assert.equal(overlaps(parseSubnet('10.1.0.0/16'), parseSubnet('10.2.0.0/16')), false);
  assert.equal(overlaps(parseSubnet('192.168.0.0/24'), parseSubnet('192.168.0.0/24')), true);
});

test('pickFreeSubnet follows iSulad pool order and skips used ranges', () => {
  assert.equal(formatCidr(pickFreeSubnet([]) as never), '192.168.0.0/24');
  assert.equal(formatCidr(pickFreeSubnet([parseSubnet('192.168.0.0/24'), parseSubnet('192.168.1.0/24')]) as never), '192.168.2.0/24');
  assert.equal(formatCidr(pickFreeSubnet([parseSubnet('192.168.0.0/16')]) as never), '172.16.0.0/24');
  assert.equal(formatCidr(pickFreeSubnet([parseSubnet('192.168.0.0/16'), parseSubnet('172.16.0.0/12')]) as never), '10.0.0.0/24');
});

test('checkGateway', () => {
  const c = parseSubnet('10.5.0.0/24');
  assert.equal(checkGateway(c, '10.5.0.254'), '10.5.0.254');
  assert.throws(() => checkGateway(c, '10.5.0.0'), /not a host address/);
  assert.throws(() => checkGateway(c, '10.5.0.255'), /not a host address/);
  assert.throws(() => checkGateway(c, '10.6.0.1'), /not a host address/);
  assert.throws(() => checkGateway(c, 'x'), /Invalid gateway/);
});
