// diff/applyPatch: applying the diff of (a, b) to a gives b exactly, key order included, sharing
// what did not change; patches that do not fit their base are refused.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deepFreeze } from '../../../src/store/codec.ts';
import { applyPatch, diff } from '../../../src/store/patch.ts';

/** Deep equality that also compares object key order (deepStrictEqual ignores it). */
function assertSame(actual: unknown, expected: unknown, at = '$'): void {
  if (typeof expected === 'object' && expected !== null && !ArrayBuffer.isView(expected) && !(expected instanceof Date)) {
    assert.equal(typeof actual, 'object', at);
    assert.deepEqual(Object.keys(actual as object), Object.keys(expected), `key order at ${at}`);
    for (const k of Object.keys(expected)) {
      assertSame((actual as Record<string, unknown>)[k], (expected as Record<string, unknown>)[k], `${at}.${k}`);
    }
    return;
  }
  assert.deepStrictEqual(actual, expected, at);
}

const cases: Array<{ name: string; a: unknown; b: unknown; changes: number }> = [
  { name: 'equal', a: { x: 1, y: [1, 2] }, b: { x: 1, y: [1, 2] }, changes: 0 },
  { name: 'one leaf', a: { s: { pid: 1, run: true }, n: 'x' }, b: { s: { pid: 2, run: true }, n: 'x' }, changes: 1 },
  { name: 'two leaves', a: { s: { pid: 1, run: true } }, b: { s: { pid: 2, run: false } }, changes: 2 },
  { name: 'array element', a: { env: ['A=1', 'B=2'] }, b: { env: ['A=1', 'B=3'] }, changes: 1 },
  { name: 'array length change replaces the array', a: { env: ['A'] }, b: { env: ['A', 'B'] }, changes: 1 },
  { name: 'added key replaces the object', a: { s: { a: 1 } }, b: { s: { a: 1, b: 2 } }, changes: 1 },
  { name: 'removed key replaces the object', a: { s: { a: 1, b: 2 } }, b: { s: { a: 1 } }, changes: 1 },
  { name: 'reordered keys replace the object', a: { s: { a: 1, b: 2 } }, b: { s: { b: 2, a: 1 } }, changes: 1 },
  { name: 'type change', a: { v: 'x' }, b: { v: { deep: 1 } }, changes: 1 },
  { name: 'top-level scalar', a: 1, b: 2, changes: 1 },
  { name: 'dates and bytes compare by content', a: { d: new Date(5), u: new Uint8Array([1]) }, b: { d: new Date(5), u: new Uint8Array([1]) }, changes: 0 },
  { name: 'changed date', a: { d: new Date(5) }, b: { d: new Date(6) }, changes: 1 },
  { name: '__proto__ stays a plain key', a: JSON.parse('{"__proto__":{"x":1},"k":1}'), b: JSON.parse('{"__proto__":{"x":2},"k":1}'), changes: 1 },
];

for (const c of cases) {
  test(`diff/apply: ${c.name}`, () => {
    const a = deepFreeze(c.a);
    const b = deepFreeze(c.b);
    const patch = diff(a, b);
    assert.equal(patch.length / 2, c.changes);
    const out = applyPatch(a, patch);
    assertSame(out, b);
    if (typeof out === 'object' && out !== null) assert.ok(Object.isFrozen(out));
    if (c.name === '__proto__ stays a plain key') assert.equal(Object.getPrototypeOf(out), Object.prototype);
  });
}

test('unchanged subtrees are shared, not copied', () => {
  const a = deepFreeze({ config: { env: ['A=1'] }, state: { pid: 1 } });
  const out = applyPatch(a, diff(a, deepFreeze({ config: { env: ['A=1'] }, state: { pid: 2 } }))) as typeof a;
  assert.equal(out.config, a.config);
  assert.notEqual(out.state, a.state);
  assert.deepEqual(a.state, { pid: 1 }, 'the base is left alone');
});

test('random values: apply(a, diff(a, b)) is b', () => {
  let seed = 12345;
  const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const gen = (depth: number): unknown => {
    const r = rnd();
    if (depth > 3 || r < 0.3) return [1, 'x', true, null, 2.5, -7][Math.floor(rnd() * 6)];
    if (r < 0.6) return Array.from({ length: Math.floor(rnd() * 4) }, () => gen(depth + 1));
    const o: Record<string, unknown> = {};
    for (let i = 0, n = Math.floor(rnd() * 5); i < n; i++) o[`k${Math.floor(rnd() * 6)}`] = gen(depth + 1);
    return o;
  };
  const mutate = (v: unknown, depth: number): unknown => {
    if (rnd() < 0.2) return gen(depth);
    if (Array.isArray(v)) return v.map((x) => (rnd() < 0.4 ? mutate(x, depth + 1) : x));
    if (typeof v === 'object' && v !== null) {
      const o: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) o[k] = rnd() < 0.4 ? mutate(x, depth + 1) : x;
      return o;
    }
    return v;
  };
  for (let i = 0; i < 2000; i++) {
    const a = deepFreeze(gen(0));
    const b = deepFreeze(mutate(structuredClone(a), 0));
    assertSame(applyPatch(a, diff(a, b)), b, `case ${i}`);
  }
});

test('a patch that does not fit its base is refused', () => {
  const base = deepFreeze({ s: { pid: 1 }, env: ['A'] });
  assert.throws(() => applyPatch(base, [['s', 'nope'], 1]), /no key "nope"/);
  assert.throws(() => applyPatch(base, [['env', 3], 'x']), /no index 3/);
  assert.throws(() => applyPatch(base, [['s', 'pid', 'deeper'], 1]), /no key/);
  assert.throws(() => applyPatch(base, [['s']]), /odd/);
  assert.throws(() => applyPatch(base, ['s', 1]), /not an array/);
});
