import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { acquirePidLock } from '../../../src/daemon/pidfile.ts';
import { processStartTime } from '../../../src/util/proc-start-time.ts';
import { EngineError } from '../../../src/util/errors.ts';

async function dir(t: { after(fn: () => Promise<void>): void }): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'pidlock-'));
  t.after(() => rm(d, { recursive: true, force: true }));
  return d;
}

/** A pid that certainly belongs to no live process: a child we started and reaped. */
function deadPid(): number {
  const r = spawnSync('true');
  return r.pid as number;
}

test('writes pid + start time, releases only its own file', async (t) => {
  const d = await dir(t);
  const lock = await acquirePidLock(join(d, 'l'), 'lock');
  assert.equal(await readFile(join(d, 'l'), 'utf8'), `${process.pid} ${await processStartTime(process.pid)}\n`);
  await lock.release();
  await assert.rejects(readFile(join(d, 'l')), { code: 'ENOENT' });
  await lock.release(); // idempotent
});

test('pid-only content for pidfiles', async (t) => {
  const d = await dir(t);
  const lock = await acquirePidLock(join(d, 'p'), 'pidfile', 'pid');
  assert.equal(await readFile(join(d, 'p'), 'utf8'), `${process.pid}\n`);
  await lock.release();
});

test('a live holder is refused with failed-precondition naming it', async (t) => {
  const d = await dir(t);
  // pid 1 is alive and its start time is what /proc says
  await writeFile(join(d, 'l'), `1 ${await processStartTime(1)}\n`);
  await assert.rejects(
    acquirePidLock(join(d, 'l'), 'root directory lock'),
    (e: unknown) => e instanceof EngineError && e.kind === 'failed-precondition' && /held by running process 1/.test(e.message),
  );
});

test('a dead holder is stale and taken over', async (t) => {
  const d = await dir(t);
  await writeFile(join(d, 'l'), `${deadPid()} 12345\n`);
  const lock = await acquirePidLock(join(d, 'l'), 'lock');
  assert.match(await readFile(join(d, 'l'), 'utf8'), new RegExp(`^${process.pid} `));
  await lock.release();
});

test('a recycled pid (live, other start time) is stale', async (t) => {
  const d = await dir(t);
  await writeFile(join(d, 'l'), '1 1\n');
  const lock = await acquirePidLock(join(d, 'l'), 'lock');
  await lock.release();
});

test('garbage content is stale', async (t) => {
  const d = await dir(t);
  await writeFile(join(d, 'l'), 'not a pid');
  const lock = await acquirePidLock(join(d, 'l'), 'lock');
  await lock.release();
});

test('processStartTime of a dead pid is undefined', async () => {
  assert.equal(await processStartTime(deadPid()), undefined);
});
