import { test } from 'node:test';
import assert from 'node:assert/strict';
import { coalesceLatest } from '../../../src/util/coalesce-latest.ts';

test('one application at a time; values asked for meanwhile collapse into the newest; callers wait for theirs', async () => {
  const applied: number[] = [];
  let active = 0;
  let release: () => void = () => undefined;
  const apply = coalesceLatest(async (v: number) => {
    active++;
    assert.equal(active, 1, 'never two at once');
    await new Promise<void>((r) => (release = r));
    applied.push(v);
    active--;
  });
  const first = apply(1);
  const second = apply(2);
  const third = apply(3);
  assert.equal(second, third, 'the queued run is shared');
  release();
  await first;
  await new Promise((r) => setImmediate(r));
  release();
  await third;
  assert.deepEqual(applied, [1, 3], '2 was superseded before its turn');
});

test('a failure rejects the calls it was for; the next call applies again', async () => {
  let fail = true;
  const seen: string[] = [];
  const apply = coalesceLatest(async (v: string) => {
    seen.push(v);
    if (fail) throw new Error(`no ${v}`);
  });
  await assert.rejects(apply('a'), /no a/);
  fail = false;
  await apply('b');
  assert.deepEqual(seen, ['a', 'b']);
  const sync = coalesceLatest((): Promise<void> => {
    throw new Error('sync throw');
  });
  await assert.rejects(sync(1), /sync throw/, 'a synchronous throw is a rejection too');
});
