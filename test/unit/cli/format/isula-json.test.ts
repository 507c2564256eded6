import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isulaJson, parseIsulaFormat, renderIsulaFormat } from '../../../../src/cli/format/isula-json.ts';

const list = {
  cniVersion: '1.0.0',
  name: 'cni0',
  plugins: [
    { type: 'bridge', bridge: 'isula-br0', isGateway: true, ipMasq: true, hairpinMode: true,
      ipam: { type: 'host-local', routes: [{ dst: '0.0.0.0/0' }], ranges: [[{ subnet: '192.168.0.0/24', gateway: '192.168.0.1' }]] } },
    { type: 'portmap', capabilities: { portMappings: true } },
    { type: 'firewall' },
  ],
};

test('quoted, the layout is JSON.stringify with 4 spaces (empty objects and arrays inline)', () => {
  for (const v of [list, [list, list], {}, [], { a: [], b: {}, c: null, d: 1.5, e: 'x"y\n' }]) {
    assert.equal(isulaJson(v, true), JSON.stringify(v, null, 4));
  }
});

test('unquoted: strings lose their quotes, keep their escapes (iSulad without json)', () => {
  assert.equal(isulaJson(list.plugins[2], false), '{\n    "type": firewall\n}');
  assert.equal(isulaJson({ s: 'a"b\tc' }, false), '{\n    "s": a\\"b\\tc\n}');
  assert.equal(isulaJson('plain', false), 'plain');
});

test('iSulad format paths: an array yields the first element holding the key', () => {
  const f = parseIsulaFormat('{{.plugins.ipam.ranges}}');
  assert.deepEqual(f, { json: false, path: ['plugins', 'ipam', 'ranges'] });
  assert.equal(renderIsulaFormat(f!, list), [
    '[', '    [', '        {', '            "subnet": 192.168.0.0/24,', '            "gateway": 192.168.0.1', '        }', '    ]', ']',
  ].join('\n'));
  assert.equal(renderIsulaFormat(parseIsulaFormat('{{.plugins.capabilities.portMappings}}')!, list), 'true');
  assert.equal(renderIsulaFormat(parseIsulaFormat('{{ json .name }}')!, list), '"cni0"');
  assert.equal(renderIsulaFormat(parseIsulaFormat('{{.name}}')!, list), 'cni0');
  assert.throws(() => renderIsulaFormat(parseIsulaFormat('{{.plugins.nokey}}')!, list), /map has no entry for key "plugins.nokey"/);
});

test('only {{.a.b}} and {{json .a.b}} are iSulad formats', () => {
  for (const s of ['{{...}}', '{{.a}} {{.b}}', 'x{{.a}}', '{{index .a 0}}', '{{.}}']) assert.equal(parseIsulaFormat(s), undefined, s);
});
