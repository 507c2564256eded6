import { test } from 'node:test';
import assert from 'node:assert/strict';
import { knownCheckDefect } from '../../../src/network/cni.ts';
import { normalizeResult } from '../../../src/network/result.ts';

const v4 = normalizeResult({ cniVersion: '1.0.0', ips: [{ address: '10.1.0.2/24' }] });
const dual = normalizeResult({ cniVersion: '1.0.0', ips: [{ address: '10.1.0.2/24' }, { address: 'fd00:1::2/64' }] });
// the messages Debian's portmap 1.1.1 prints (seen on this host)
const noV6Chain = 'CNI plugin portmap CHECK exited with status 1: could not check ipv6 dnat: chain CNI-DN-bcb0b966e398fbda679a7 not found in iptables table nat (code 999)';
const v4RuleInV6 = 'CNI plugin portmap CHECK exited with status 1: could not check ipv6 dnat: rule [[-p tcp --dport 39124 -s 10.213.8.2/24 -j CNI-HOSTPORT-SETMARK] [-p tcp --dport 39124 -j DNAT --to-destination 10.213.8.2:80]] in chain CNI-DN-fc56 not found in table nat (code 999)';
const v4Missing = 'CNI plugin portmap CHECK exited with status 1: could not check ipv4 dnat: rule [[-p tcp --dport 39123 -j DNAT --to-destination 10.213.7.2:80]] in chain CNI-DN-bcb0 not found in table nat (code 999)';
const v6RuleMissing = 'CNI plugin portmap CHECK exited with status 1: could not check ipv6 dnat: rule [[-p tcp --dport 80 -j DNAT --to-destination [fd00:1::2]:80]] in chain CNI-DN-x not found in table nat (code 999)';

test('portmap 1.1.1 CHECK defects are named; real failures are not', () => {
  assert.match(knownCheckDefect('portmap', noV6Chain, v4) ?? '', /IPv4-only attachment .*#819/);
  assert.match(knownCheckDefect('portmap', v4RuleInV6, dual) ?? '', /dual-stack attachment .*#819/);
  assert.equal(knownCheckDefect('portmap', v4Missing, v4), undefined);
  assert.equal(knownCheckDefect('portmap', v4Missing, dual), undefined);
  assert.equal(knownCheckDefect('portmap', noV6Chain, dual), undefined);
  assert.equal(knownCheckDefect('portmap', v6RuleMissing, dual), undefined);
  assert.equal(knownCheckDefect('bridge', noV6Chain, v4), undefined);
});
