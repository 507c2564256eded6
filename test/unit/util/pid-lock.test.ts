// The pid+start-time lock shared by the daemon's root lock and pidfile and the state store.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { acquirePidLock } from '../../../src/util/pid-lock.ts';
import type { PidLockOptions } from '../../../src/util/pid-lock.ts';
import { processStartTime } from '../../../src/util/proc-start-time.ts';
import { EngineError, failedPrecondition, unavailable } from '../../../src/util/errors.ts';
import { setLogLevel } from '../../../src/util/log.ts';

setLogLevel('ERROR');

async function dir(t: { after(fn: () => Promise<void>): void }): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'pidlock-'));
  t.after(() => rm(d, { recursive: true, force: true }));
  return d;
}

const errors: Pick<PidLockOptions, 'heldBy' | 'contended'> = {
  heldBy: (pid) => failedPrecondition(`held by running process ${pid}`),
  contended: () => unavailable('contended'),
};

/** A pid that certainly belongs to no live process: a child we started and reaped. */
function deadPid(): number {
  const r = spawnSync('true');
  return r.pid as number;
}

const mine = async () => `${process.pid} ${await processStartTime(process.pid)}\n`;

test('writes pid + start time with the given mode, releases only its own file', async (t) => {
  const d = await dir(t);
  const lock = await acquirePidLock(join(d, 'l'), { ...errors, mode: 0o644 });
  assert.equal(await readFile(join(d, 'l'), 'utf8'), await mine());
  assert.equal((await stat(join(d, 'l'))).mode & 0o777, 0o644);
  await lock.release();
  await assert.rejects(readFile(join(d, 'l')), { code: 'ENOENT' });
  await lock.release(); // idempotent
  // a file that is no longer ours is left alone
  const again = await acquirePidLock(join(d, 'l'), errors);
  await writeFile(join(d, 'l'), 'someone else\n');
  await again.release();
  assert.equal(await readFile(join(d, 'l'), 'utf8'), 'someone else\n');
});

test('pid-only content for pidfiles', async (t) => {
  const d = await dir(t);
  const lock = await acquirePidLock(join(d, 'p'), { ...errors, content: 'pid' });
  assert.equal(await readFile(join(d, 'p'), 'utf8'), `${process.pid}\n`);
  await lock.release();
});

test('a live holder is refused with the caller\'s error naming it', async (t) => {
  const d = await dir(t);
  // pid 1 is alive and its start time is what /proc says
  await writeFile(join(d, 'l'), `1 ${await processStartTime(1)}\n`);
  await assert.rejects(
    acquirePidLock(join(d, 'l'), errors),
    (e: unknown) => e instanceof EngineError && e.kind === 'failed-precondition' && /held by running process 1/.test(e.message),
  );
  assert.equal(await readFile(join(d, 'l'), 'utf8'), `1 ${await processStartTime(1)}\n`, 'the holder\'s file is untouched');
});

test('a second acquire by the same live process is refused', async (t) => {
  const d = await dir(t);
  const lock = await acquirePidLock(join(d, 'l'), errors);
  await assert.rejects(acquirePidLock(join(d, 'l'), errors), new RegExp(`held by running process ${process.pid}`));
  await lock.release();
});

for (const [name, content] of [
  ['a dead holder', async () => `${deadPid()} 12345\n`],
  ['a recycled pid (live, other start time)', async () => '1 1\n'],
  ['garbage content', async () => 'not a pid'],
  ['our own pid without a start time (an earlier life of our pid)', async () => `${process.pid}\n`],
] as const) {
  test(`${name} is stale and taken over`, async (t) => {
    const d = await dir(t);
    await writeFile(join(d, 'l'), await content());
    const lock = await acquirePidLock(join(d, 'l'), errors);
    assert.equal(await readFile(join(d, 'l'), 'utf8'), await mine());
    await lock.release();
    assert.deepEqual(await readdir(d), [], 'no scratch or stale file left');
  });
}

test('two takers racing for one stale lock: exactly one wins, the other is refused', async (t) => {
  const d = await dir(t);
  await writeFile(join(d, 'l'), `${deadPid()} 12345\n`);
  const results = await Promise.allSettled([acquirePidLock(join(d, 'l'), errors), acquirePidLock(join(d, 'l'), errors)]);
  const won = results.filter((r) => r.status === 'fulfilled');
  assert.equal(won.length, 1);
  assert.equal(await readFile(join(d, 'l'), 'utf8'), await mine());
  await (won[0] as PromiseFulfilledResult<{ release(): Promise<void> }>).value.release();
});

test('processStartTime of a dead pid is undefined', async () => {
  assert.equal(await processStartTime(deadPid()), undefined);
});
