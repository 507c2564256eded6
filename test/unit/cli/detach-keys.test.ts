import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_DETACH_KEYS, detachMatcher, parseDetachKeys } from '../../../src/cli/detach-keys.ts';

const parse = [
  { spec: DEFAULT_DETACH_KEYS, want: [1, 113] },
  { spec: 'ctrl-p,ctrl-q', want: [16, 17] },
  { spec: 'ctrl-@,ctrl-[', want: [0, 27] },
  { spec: 'ctrl-A,x', want: [1, 120] },
];
for (const c of parse) test(`parseDetachKeys ${c.spec}`, () => assert.deepEqual(parseDetachKeys(c.spec), c.want));

test('parseDetachKeys refuses junk', () => {
  for (const bad of ['', 'ctrl-', 'ctrl-ab', 'shift-a', 'ab']) assert.throws(() => parseDetachKeys(bad), /Invalid detach keys/);
});

test('detachMatcher: the sequence is swallowed and detaches', () => {
  const m = detachMatcher([1, 113]);
  assert.deepEqual(m.feed(Buffer.from('ab\x01')), { forward: Buffer.from('ab'), detach: false });
  assert.deepEqual(m.feed(Buffer.from('q')), { forward: Buffer.from(''), detach: true });
});

test('detachMatcher: a near miss is forwarded whole, a repeated first key restarts the match', () => {
  const m = detachMatcher([1, 113]);
  assert.deepEqual(m.feed(Buffer.from('\x01x')), { forward: Buffer.from('\x01x'), detach: false });
  assert.deepEqual(m.feed(Buffer.from('\x01\x01q')), { forward: Buffer.from('\x01'), detach: true });
});

test('detachMatcher: a one-key sequence', () => {
  const m = detachMatcher([17]);
  assert.deepEqual(m.feed(Buffer.from('a\x11b')), { forward: Buffer.from('a'), detach: true });
});
