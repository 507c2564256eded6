import { test } from 'node:test';
import assert from 'node:assert/strict';
import { confFileNames, parseConfList } from '../../../src/network/conflist.ts';
import { cniArgsString, filterRuntimeConfig, pluginConfig, pluginErrorMessage } from '../../../src/network/plugin.ts';
import type { ConfList } from '../../../src/network/types.ts';

const ok: Array<{ name: string; text: string; want: Partial<ConfList> }> = [
  {
    name: 'conflist',
    text: '{"cniVersion":"1.0.0","name":"n1","plugins":[{"type":"bridge","bridge":"b0"},{"type":"portmap","capabilities":{"portMappings":true}}]}',
    want: { cniVersion: '1.0.0', name: 'n1', plugins: [{ type: 'bridge', bridge: 'b0' }, { type: 'portmap', capabilities: { portMappings: true } }] },
  },
  {
    name: 'single .conf is wrapped into a list',
    text: '{"cniVersion":"0.3.1","name":"one","type":"bridge","ipam":{"type":"host-local"}}',
    want: { cniVersion: '0.3.1', name: 'one', plugins: [{ type: 'bridge', ipam: { type: 'host-local' } }] },
  },
  { name: 'disableCheck kept', text: '{"cniVersion":"0.4.0","name":"x","disableCheck":true,"plugins":[{"type":"loopback"}]}', want: { disableCheck: true } },
];
for (const c of ok) {
  test(`parseConfList: ${c.name}`, () => {
    const got = parseConfList(c.text);
    for (const [k, v] of Object.entries(c.want)) assert.deepEqual((got as unknown as Record<string, unknown>)[k], v);
  });
}

const bad: Array<{ name: string; text: string; msg: RegExp }> = [
  { name: 'not JSON', text: '{', msg: /invalid JSON/ },
  { name: 'no name', text: '{"cniVersion":"1.0.0","plugins":[{"type":"bridge"}]}', msg: /"name"/ },
  { name: 'no version', text: '{"name":"a","plugins":[{"type":"bridge"}]}', msg: /cniVersion/ },
  { name: 'unsupported version', text: '{"cniVersion":"0.2.0","name":"a","plugins":[{"type":"bridge"}]}', msg: /0\.2\.0 is not supported/ },
  { name: 'empty plugins', text: '{"cniVersion":"1.0.0","name":"a","plugins":[]}', msg: /non-empty/ },
  { name: 'type with a slash', text: '{"cniVersion":"1.0.0","name":"a","plugins":[{"type":"../x"}]}', msg: /plain binary name/ },
  { name: 'no type', text: '{"cniVersion":"1.0.0","name":"a","plugins":[{}]}', msg: /type/ },
];
for (const c of bad) {
  test(`parseConfList refuses: ${c.name}`, () => {
    assert.throws(() => parseConfList(c.text, 'f.conflist'), (e: Error & { kind?: string }) => e.kind === 'invalid-argument' && c.msg.test(e.message));
  });
}

test('confFileNames: libcni extensions, sorted', () => {
  assert.deepEqual(confFileNames(['b.conflist', 'a.conf', 'z.json', 'readme.txt', '10-x.conflist']), ['10-x.conflist', 'a.conf', 'b.conflist', 'z.json']);
});

const caps: Array<{ name: string; caps?: Record<string, boolean>; rc?: Record<string, unknown>; want: unknown }> = [
  { name: 'no capabilities: nothing', rc: { portMappings: [1] }, want: undefined },
  { name: 'declared and given', caps: { portMappings: true }, rc: { portMappings: [1], mac: 'x' }, want: { portMappings: [1] } },
  { name: 'declared false', caps: { portMappings: false }, rc: { portMappings: [1] }, want: undefined },
  { name: 'declared, not given', caps: { bandwidth: true }, rc: { portMappings: [1] }, want: undefined },
  { name: 'several', caps: { ips: true, mac: true }, rc: { ips: ['10.0.0.2'], mac: 'aa', bandwidth: {} }, want: { ips: ['10.0.0.2'], mac: 'aa' } },
];
for (const c of caps) {
  test(`filterRuntimeConfig: ${c.name}`, () => {
    assert.deepEqual(filterRuntimeConfig({ type: 'p', ...(c.caps ? { capabilities: c.caps } : {}) }, c.rc), c.want);
  });
}

test('pluginConfig injects name/cniVersion/prevResult, drops a stale runtimeConfig', () => {
  const list: ConfList = { cniVersion: '1.0.0', name: 'net', plugins: [] };
  const conf = pluginConfig(list, { type: 'portmap', name: 'other', runtimeConfig: { x: 1 }, capabilities: { portMappings: true } }, { portMappings: [] }, { ips: [] });
  assert.equal(conf['name'], 'net');
  assert.equal(conf['cniVersion'], '1.0.0');
  assert.deepEqual(conf['prevResult'], { ips: [] });
  assert.deepEqual(conf['runtimeConfig'], { portMappings: [] });
  const bare = pluginConfig(list, { type: 'bridge', runtimeConfig: { x: 1 } }, undefined);
  assert.equal('runtimeConfig' in bare, false);
  assert.equal('prevResult' in bare, false);
});

test('cniArgsString', () => {
  assert.equal(cniArgsString({ K8S_POD_NAME: 'p', IgnoreUnknown: '1' }), 'K8S_POD_NAME=p;IgnoreUnknown=1');
  assert.equal(cniArgsString(undefined), '');
});

const errs = [
  { name: 'error JSON with details', out: '{"code":11,"msg":"failed to allocate","details":"range full"}', err: '', want: 'CNI plugin bridge ADD exited with status 1: failed to allocate: range full (code 11)' },
  { name: 'error JSON', out: '{"code":999,"msg":"failed to open netns"}', err: '', want: 'CNI plugin bridge ADD exited with status 1: failed to open netns (code 999)' },
  { name: 'stderr fallback', out: '', err: 'boom\n', want: 'CNI plugin bridge ADD exited with status 1: boom' },
  { name: 'nothing', out: '', err: '', want: 'CNI plugin bridge ADD exited with status 1: no output' },
];
for (const c of errs) {
  test(`pluginErrorMessage: ${c.name}`, () => {
    assert.equal(pluginErrorMessage('bridge', 'ADD', 'exited with status 1', c.out, c.err), c.want);
  });
}
