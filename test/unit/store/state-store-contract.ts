// The StateStore contract as a reusable suite (STYLE T4): any implementation, including in-memory
// fakes other modules use in their tests, must pass it. `make` returns a fresh, empty store and a
// `reopen` that closes it and opens the same store again (or undefined for non-durable fakes).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { StateStore } from '../../../src/store/types.ts';

export interface ContractSubject {
  store: StateStore;
  reopen?: () => Promise<StateStore>;
  cleanup: () => Promise<void>;
}

export function stateStoreContract(name: string, make: () => Promise<ContractSubject>): void {
  const withStore = (title: string, fn: (s: ContractSubject) => Promise<void>) =>
    test(`${name}: ${title}`, async () => {
      const s = await make();
      try {
        await fn(s);
      } finally {
        await s.cleanup();
      }
    });

  withStore('put then get returns an equal value; missing ids are undefined', async ({ store }) => {
    await store.put('container', 'c1', { name: 'web', env: ['A=1'], n: 3 });
    assert.deepEqual(store.get('container', 'c1'), { name: 'web', env: ['A=1'], n: 3 });
    assert.equal(store.get('container', 'nope'), undefined);
    assert.equal(store.get('image', 'c1'), undefined, 'kinds are separate namespaces');
  });

  withStore('put overwrites in place; list and ids keep insertion order', async ({ store }) => {
    await store.put('container', 'b', { v: 1 });
    await store.put('container', 'a', { v: 2 });
    await store.put('container', 'c', { v: 3 });
    await store.put('container', 'b', { v: 4 });
    assert.deepEqual(store.ids('container'), ['b', 'a', 'c']);
    assert.deepEqual(store.list('container'), [{ v: 4 }, { v: 2 }, { v: 3 }]);
    await store.delete('container', 'b');
    await store.put('container', 'b', { v: 5 });
    assert.deepEqual(store.ids('container'), ['a', 'c', 'b'], 'delete + put moves to the end');
    assert.deepEqual(store.ids('volume'), []);
    assert.deepEqual(store.list('volume'), []);
  });

  withStore('delete removes; deleting a missing id is fine', async ({ store }) => {
    await store.put('image', 'i1', { size: 1 });
    await store.delete('image', 'i1');
    await store.delete('image', 'never-existed');
    assert.equal(store.get('image', 'i1'), undefined);
    assert.deepEqual(store.ids('image'), []);
  });

  withStore('batch applies all ops in order, across kinds', async ({ store }) => {
    await store.put('container', 'old', { x: 1 });
    await store.batch([
      { op: 'put', kind: 'sandbox', id: 's1', value: { pod: 'p' } },
      { op: 'put', kind: 'container', id: 'c1', value: { sandbox: 's1' } },
      { op: 'delete', kind: 'container', id: 'old' },
      { op: 'put', kind: 'container', id: 'c1', value: { sandbox: 's1', v: 2 } },
    ]);
    assert.deepEqual(store.get('container', 'c1'), { sandbox: 's1', v: 2 });
    assert.deepEqual(store.ids('container'), ['c1']);
    assert.deepEqual(store.get('sandbox', 's1'), { pod: 'p' });
    await store.batch([]);
  });

  withStore('the stored value is not an alias of the caller object', async ({ store }) => {
    const mine = { name: 'web', labels: { a: '1' } };
    const pending = store.put('container', 'c1', mine);
    mine.labels.a = 'changed after put was called';
    await pending;
    mine.name = 'changed after put resolved';
    assert.deepEqual(store.get('container', 'c1'), { name: 'web', labels: { a: '1' } });
    const got = store.get<{ labels: Record<string, string> }>('container', 'c1');
    assert.ok(got);
    assert.throws(() => {
      got.labels.a = 'mutating a read';
    }, TypeError);
    assert.deepEqual(store.get('container', 'c1'), { name: 'web', labels: { a: '1' } });
  });

  withStore('concurrent writes all land, last call wins per id', async ({ store }) => {
    await Promise.all(Array.from({ length: 50 }, (_, i) => store.put('container', `c${i % 10}`, { i })));
    assert.equal(store.ids('container').length, 10);
    for (let k = 0; k < 10; k++) assert.deepEqual(store.get('container', `c${k}`), { i: 40 + k });
  });

  withStore('invalid kind or id is rejected with invalid-argument and writes nothing', async ({ store }) => {
    await assert.rejects(store.put('bogus' as never, 'x', {}), { kind: 'invalid-argument' });
    await assert.rejects(store.put('container', '', {}), { kind: 'invalid-argument' });
    await assert.rejects(
      store.batch([
        { op: 'put', kind: 'container', id: 'ok', value: 1 },
        { op: 'put', kind: 'container', id: 'bad', value: () => 1 },
      ]),
      { kind: 'invalid-argument' },
    );
    assert.deepEqual(store.ids('container'), [], 'a failed batch applies nothing');
  });

  withStore('state survives close and reopen', async ({ store, reopen }) => {
    if (!reopen) return;
    await store.put('container', 'c1', { name: 'web', exit: 0, created: new Date(1700000000000) });
    await store.put('container', 'c2', { name: 'db' });
    await store.batch([
      { op: 'delete', kind: 'container', id: 'c1' },
      { op: 'put', kind: 'meta', id: 'version', value: 1 },
    ]);
    await store.put('container', 'c1', { name: 'web2', bytes: new Uint8Array([1, 2, 3]) });
    const before = { ids: store.ids('container'), list: store.list('container'), meta: store.get('meta', 'version') };
    const again = await reopen();
    assert.deepEqual(
      { ids: again.ids('container'), list: again.list('container'), meta: again.get('meta', 'version') },
      before,
    );
  });

  withStore('close is idempotent and later writes fail', async ({ store }) => {
    await store.put('container', 'c1', { a: 1 });
    await Promise.all([store.close(), store.close()]);
    await store.close();
    await assert.rejects(store.put('container', 'c2', {}));
  });
}
