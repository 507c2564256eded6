import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KeyedMutex } from '../../../src/util/keyed-mutex.ts';

const tick = () => new Promise<void>((r) => setImmediate(r));

test('runs of one key never interleave; other keys run meanwhile; a failure does not block the next', { timeout: 60_000 }, async () => {
  const m = new KeyedMutex();
  const trace: string[] = [];
  const step = (name: string) => async () => {
    trace.push(`${name}:in`);
    await tick();
    await tick();
    trace.push(`${name}:out`);
    return name;
  };
  const a1 = m.run('a', step('a1'));
  const a2 = m.run('a', async () => {
    trace.push('a2:in');
    throw new Error('boom');
  });
  const a3 = m.run('a', step('a3'));
  const b1 = m.run('b', step('b1'));
  assert.equal(await a1, 'a1');
  await assert.rejects(a2, /boom/);
  assert.equal(await a3, 'a3');
  assert.equal(await b1, 'b1');
  const a = trace.filter((t) => t.startsWith('a'));
  assert.deepEqual(a, ['a1:in', 'a1:out', 'a2:in', 'a3:in', 'a3:out']);
  assert.ok(trace.indexOf('b1:in') < trace.indexOf('a1:out'), 'b ran while a1 held a');
});
