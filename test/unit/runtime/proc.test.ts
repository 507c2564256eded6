import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseProcStat, isAlive, isAliveSync, readProcStat } from '../../../src/runtime/proc.ts';
import { capsFromMask } from '../../../src/runtime/host.ts';

test('parse /proc/<pid>/stat with spaces and parens in comm', () => {
  const text = '1234 (a b) c)) S 1 1234 1234 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 987654 1000 100';
  assert.deepEqual(parseProcStat(text), { state: 'S', ppid: 1, startTime: '987654' });
  assert.equal(parseProcStat('garbage'), undefined);
});

test('isAlive checks start time', async () => {
  const me = await readProcStat(process.pid);
  assert.ok(me);
  assert.equal(await isAlive(process.pid, me.startTime), true);
  assert.equal(await isAlive(process.pid, String(Number(me.startTime) + 1)), false, 'recycled pid');
  assert.equal(await isAlive(0), false);
  assert.equal(await isAlive(2 ** 22 + 1), false);
  assert.equal(isAliveSync(process.pid, me.startTime), true);
  assert.equal(isAliveSync(process.pid, String(Number(me.startTime) + 1)), false);
  assert.equal(isAliveSync(2 ** 22 + 1), false);
});

test('CapBnd mask → names (this project hosts lack CAP_SYS_RESOURCE)', () => {
  const caps = capsFromMask('000001fffeffffff');
  assert.equal(caps.length, 40);
  assert.ok(!caps.includes('CAP_SYS_RESOURCE'));
  assert.ok(caps.includes('CAP_CHECKPOINT_RESTORE'));
});
