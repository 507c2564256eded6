// The owners of the containers service's in-memory state: restart timers and name reservations.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RestartScheduler } from '../../../../src/services/containers/restart-scheduler.ts';
import { NameReservations } from '../../../../src/services/containers/naming.ts';
import type { ContainerRecord } from '../../../../src/services/containers/types.ts';

test('restart scheduler: one pending restart per container; cancel, forget and close stop it', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const s = new RestartScheduler();
  const fired: string[] = [];
  s.schedule('a', 0, () => fired.push('a1'));
  s.schedule('a', 0, () => fired.push('a2')); // replaces the first
  s.schedule('b', 0, () => fired.push('b'));
  s.cancel('b');
  t.mock.timers.tick(60_000);
  assert.deepEqual(fired, ['a2']);
  s.schedule('c', 0, () => fired.push('c'));
  s.close();
  s.schedule('d', 0, () => fired.push('d'));
  t.mock.timers.tick(60_000);
  assert.deepEqual(fired, ['a2'], 'nothing fires after close');
});

test('restart scheduler: the back-off doubles while runs stay short, forget resets it', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const s = new RestartScheduler();
  let n = 0;
  s.schedule('a', 0, () => n++);
  t.mock.timers.tick(100); // iSulad's first delay is 100 ms
  assert.equal(n, 1);
  s.schedule('a', 0, () => n++);
  t.mock.timers.tick(100);
  assert.equal(n, 1, 'the second delay is longer');
  t.mock.timers.tick(100);
  assert.equal(n, 2);
  s.forget('a');
  s.schedule('a', 0, () => n++);
  t.mock.timers.tick(100);
  assert.equal(n, 3, 'forgotten: back to the first delay');
});

test('name reservations: a name held by a record or a create in flight is refused until released', () => {
  const names = new NameReservations();
  const records = [{ Id: 'x'.repeat(64), Name: 'taken' }] as ContainerRecord[];
  assert.throws(() => names.reserve('taken', 'new', records), /The name "taken" is already in use by container x{64}/);
  const release = names.reserve('free', 'id1', records);
  assert.throws(() => names.reserve('free', 'id2', records), /already in use by container id1/);
  release();
  names.reserve('free', 'id2', records)();
});
