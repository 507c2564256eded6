import { test } from 'node:test';
import assert from 'node:assert/strict';
import { attachmentFromResult, parseResult, resultForVersion } from '../../../src/network/result.ts';

// shapes printed by containernetworking-plugins 1.1.1 (research: runtime-lab.md §4)
const V100 = JSON.stringify({
  cniVersion: '1.0.0',
  interfaces: [{ name: 'rtbr0', mac: '16:f6:f6:ee:da:de' }, { name: 'veth4a0b3bec', mac: 'ea:3f:9b:a1:a3:65' }, { name: 'eth0', mac: 'ca:fa:78:58:d8:90', sandbox: '/ns' }],
  ips: [{ interface: 2, address: '10.88.0.2/16', gateway: '10.88.0.1' }],
  routes: [{ dst: '0.0.0.0/0' }],
  dns: {},
});
const V040 = JSON.stringify({
  cniVersion: '0.4.0',
  interfaces: [{ name: 'br', mac: 'aa:aa:aa:aa:aa:aa' }, { name: 'eth0', mac: 'bb:bb:bb:bb:bb:bb', sandbox: '/ns' }],
  ips: [{ version: '6', interface: 1, address: 'fd00::2/64' }, { version: '4', interface: 1, address: '10.1.0.5/24', gateway: '10.1.0.1' }],
  dns: { nameservers: ['10.1.0.1'] },
});
const LOOPBACK = '{"cniVersion":"0.3.1","interfaces":[{"name":"lo","mac":"00:00:00:00:00:00","sandbox":"/ns"}],"ips":[{"interface":0,"address":"127.0.0.1/8"},{"interface":0,"address":"::1/128"}],"dns":{}}';

const cases = [
  { name: '1.0.0 bridge', text: V100, ifName: 'eth0', want: { ip: '10.88.0.2', prefixLen: 16, gateway: '10.88.0.1', mac: 'ca:fa:78:58:d8:90', ips: ['10.88.0.2/16'] } },
  { name: '0.4.0 dual stack: first IPv4 wins', text: V040, ifName: 'eth0', want: { ip: '10.1.0.5', prefixLen: 24, gateway: '10.1.0.1', mac: 'bb:bb:bb:bb:bb:bb', ips: ['fd00::2/64', '10.1.0.5/24'] } },
  { name: 'loopback', text: LOOPBACK, ifName: 'lo', want: { ip: '127.0.0.1', prefixLen: 8, gateway: '', mac: '00:00:00:00:00:00', ips: ['127.0.0.1/8', '::1/128'] } },
  { name: 'empty result', text: '{"cniVersion":"1.0.0"}', ifName: 'eth0', want: { ip: '', prefixLen: 0, gateway: '', mac: '', ips: [] } },
];
for (const c of cases) {
  test(`attachmentFromResult: ${c.name}`, () => {
    const a = attachmentFromResult('n', c.ifName, parseResult(c.text));
    assert.deepEqual({ ip: a.ip, prefixLen: a.prefixLen, gateway: a.gateway, mac: a.mac, ips: a.ips }, c.want);
  });
}

test('parseResult keeps dns and drops ip versions; resultForVersion puts them back for 0.x', () => {
  const r = parseResult(V040);
  assert.deepEqual(r.dns, { nameservers: ['10.1.0.1'] });
  assert.equal('version' in (r.ips[0] as object), false);
  const old = resultForVersion(r, '0.4.0') as { ips: Array<{ version: string }> };
  assert.deepEqual(old.ips.map((i) => i.version), ['6', '4']);
  const cur = resultForVersion(r, '1.0.0') as { ips: object[] };
  assert.equal('version' in (cur.ips[0] as object), false);
});

test('parseResult refuses non-JSON with the plugin named', () => {
  assert.throws(() => parseResult('oops', 'bridge'), /CNI plugin bridge printed a result that is not JSON/);
});
