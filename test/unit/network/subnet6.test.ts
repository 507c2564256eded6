import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkGateway6, defaultGateway6, formatCidr6, formatIPv6, overlaps6, parseIPv6, parseSubnet6 } from '../../../src/network/subnet6.ts';

for (const [text, canon] of [
  ['::', '::'], ['::1', '::1'], ['fd00::1', 'fd00::1'], ['FD00:0:0:0:0:0:0:1', 'fd00::1'],
  ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'], ['2001:0db8:0000:0001:0000:0000:0000:0000', '2001:db8:0:1::'],
  ['1:0:1:0:1:0:1:0', '1:0:1:0:1:0:1:0'], ['fe80::', 'fe80::'], ['1::', '1::'],
] as const) {
  test(`IPv6 text ${text}`, () => assert.equal(formatIPv6(parseIPv6(text) as bigint), canon));
}

for (const bad of ['', ':', ':::', '1::2::3', '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7', 'g::1', '12345::', '10.0.0.1', '::ffff:10.0.0.1', '1:2:3:4:5:6:7::8']) {
  test(`not IPv6: "${bad}"`, () => assert.equal(parseIPv6(bad), undefined));
}

test('IPv6 subnets: parse, host bits, prefix bounds, overlaps, gateway', () => {
  const a = parseSubnet6('fd00:1:2:3::/64');
  assert.equal(formatCidr6(a), 'fd00:1:2:3::/64');
  assert.equal(defaultGateway6(a), 'fd00:1:2:3::1');
  assert.throws(() => parseSubnet6('fd00:1:2:3::5/64'), /host bits are set \(did you mean fd00:1:2:3::\/64\?\)/);
  assert.throws(() => parseSubnet6('fd00::/8'), /between 16 and 120/);
  assert.throws(() => parseSubnet6('10.0.0.0/24'), /want an IPv6 CIDR/);
  assert.equal(overlaps6(a, parseSubnet6('fd00:1::/32')), true);
  assert.equal(overlaps6(a, parseSubnet6('fd00:1:2:4::/64')), false);
  assert.equal(checkGateway6(a, 'FD00:1:2:3:0::fe'), 'fd00:1:2:3::fe');
  assert.throws(() => checkGateway6(a, 'fd00:1:2:4::1'), /not a host address/);
  assert.throws(() => checkGateway6(a, 'fd00:1:2:3::'), /not a host address/);
});
