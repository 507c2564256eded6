// stopWithGrace, liveInit and waitStopped against a fake container (no process): the order of
// signal, thaw, last resort, and what each runtime-independent path returns or refuses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initSignalState, liveInit, settleInit, stopWithGrace, waitStopped } from '../../../src/runtime/stop.ts';
import type { RuntimeStatus } from '../../../src/runtime/runtime.ts';

const EXIT = { exitCode: 143, finishedAt: 't' };

/** A container that stops after `stopsOn` (a signal number, or 'force'), recording every call. */
function fake(initial: RuntimeStatus, stopsOn: number | 'force' | 'never') {
  let st = initial;
  const calls: string[] = [];
  return {
    calls,
    c: {
      status: async () => st,
      signal: async (s: number) => {
        calls.push(`signal ${s}`);
        if (s === stopsOn) st = { status: 'stopped', exit: EXIT };
      },
      resume: async () => {
        calls.push('resume');
      },
      forceKill: async () => {
        calls.push('force');
        if (stopsOn === 'force') st = { status: 'stopped', exit: { exitCode: 137, finishedAt: 't' } };
      },
    },
  };
}

const running: RuntimeStatus = { status: 'running', pid: 42, startTime: '1' };

test('a container that honours the stop signal is not force-killed', async () => {
  const f = fake(running, 15);
  assert.deepEqual(await stopWithGrace('x', { signal: 15, timeoutMs: 1000 }, f.c), EXIT);
  assert.deepEqual(f.calls, ['signal 15']);
});

test('one that ignores it gets the last resort after the grace period', async () => {
  const f = fake(running, 'force');
  assert.equal((await stopWithGrace('x', { signal: 15, timeoutMs: 50 }, f.c)).exitCode, 137);
  assert.deepEqual(f.calls, ['signal 15', 'force']);
});

test('SIGKILL as the stop signal, or no grace period, goes straight to the last resort', async () => {
  for (const o of [{ signal: 9, timeoutMs: 1000 }, { signal: 15, timeoutMs: 0 }]) {
    const f = fake(running, 'force');
    await stopWithGrace('x', o, f.c);
    assert.deepEqual(f.calls, ['force'], JSON.stringify(o));
  }
});

test('a paused container is thawed after the signal, so it can handle it', async () => {
  const f = fake({ status: 'paused', pid: 42, startTime: '1' }, 'force');
  await stopWithGrace('x', { signal: 15, timeoutMs: 50 }, f.c);
  assert.deepEqual(f.calls, ['signal 15', 'resume', 'force', 'resume']);
});

test('a stopped container returns its exit; a created one is refused', async () => {
  assert.deepEqual(await stopWithGrace('x', { signal: 15, timeoutMs: 10 }, fake({ status: 'stopped', exit: EXIT }, 'never').c), EXIT);
  await assert.rejects(stopWithGrace('x', { signal: 15, timeoutMs: 10 }, fake({ status: 'created' }, 'never').c), /container "x" is not running/);
});

test('liveInit: pid and paused of a live container; anything else is refused', () => {
  assert.deepEqual(liveInit('x', running), { pid: 42, paused: false });
  assert.deepEqual(liveInit('x', { status: 'paused', pid: 7, startTime: '' }), { pid: 7, paused: true });
  assert.throws(() => liveInit('x', { status: 'unknown' }), /is not running/);
});

test('waitStopped returns undefined at its bound', async () => {
  assert.equal(await waitStopped(async () => running, 30), undefined);
});

test('initSignalState: a PID-namespace init, whether it takes the signal, its age', () => {
  const status = (cgt: string, blk = '0000000000000000', nspid = '4242\t1') =>
    `Name:\ttop\nNSpid:\t${nspid}\nSigBlk:\t${blk}\nSigIgn:\t0000000000000000\nSigCgt:\t${cgt}\n`;
  const stat = '4242 (top) S 1 4242 4242 0 -1 4194560 0 0 0 0 0 0 0 0 20 0 1 0 1000 0 0';
  // SIGTERM = bit 14; starttime 1000 ticks = 10 s after boot, uptime 10.5 s: 500 ms old
  const caught = initSignalState(status('0000000000004000'), stat, '10.50 3.0', 15);
  assert.deepEqual({ ...caught, ageMs: Math.round(caught.ageMs) }, { nsInit: true, takes: true, ageMs: 500, comm: 'top' });
  assert.equal(initSignalState(status('0000000000000000'), stat, '10.50 3.0', 15).takes, false);
  assert.equal(initSignalState(status('0', '0000000000004000'), stat, '10.50 3.0', 15).takes, true, 'blocked = queued');
  assert.equal(initSignalState(status('0', '0', '4242'), stat, '10.50 3.0', 15).nsInit, false, 'not a namespace init');
});

test('settleInit returns at once for a process that is no PID-namespace init (this test runner)', async () => {
  const t = Date.now();
  await settleInit(process.pid, 15, 60_000);
  assert.ok(Date.now() - t < 5000);
  await settleInit(2 ** 22 + 1, 15, 60_000); // no such pid
});
