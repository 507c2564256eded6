import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NetworkService } from '../../../../src/services/networks/service.ts';
import { MemStore } from '../containers/fakes.ts';

const svc = (defaultNetwork: boolean) => new NetworkService({
  store: new MemStore(), graph: '/nonexistent/graph', state: '/nonexistent/state', cniConfDir: '/nonexistent/cni', binDirs: [], defaultNetwork,
});

test('networkNamesOf: a NetworkMode → its CNI networks in order (iSulad: --net a,b,c; empty items dropped, repeats once)', () => {
  const s = svc(true);
  const cases: Array<[string, string[]]> = [
    ['', ['isulad']], ['bridge', ['isulad']], ['none', []], ['host', []], ['container:abc', []], ['/run/netns/x', []],
    ['a', ['a']], ['a,b,c', ['a', 'b', 'c']], ['b,a', ['b', 'a']], ['a,,b,', ['a', 'b']], ['a,b,a', ['a', 'b']], [',', []],
    ['a,bridge', ['a', 'isulad']],
  ];
  for (const [mode, want] of cases) assert.deepEqual(s.networkNamesOf(mode), want, mode);
  assert.deepEqual(svc(false).networkNamesOf(''), []);
  assert.deepEqual(svc(false).networkNamesOf('a,bridge'), ['a']);
});

test('checkNetworks: a bad name or an unknown network, in iSulad\'s words; more than 1024 refused', async () => {
  const s = svc(true);
  await assert.rejects(s.checkNetworks(['.xx']), /Invalid network name \.xx/);
  await assert.rejects(s.checkNetworks(['ok', '.xx']), /Invalid network name \.xx/, 'names are checked before any lookup');
  await assert.rejects(s.checkNetworks(['cni3']), /Network cni3 not found/);
  await assert.rejects(s.checkNetworks(Array.from({ length: 1025 }, (_, i) => `n${i}`)), /config too many bridge/);
});
