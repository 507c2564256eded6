// Issue 13 item 3, the two crash windows of the lcr driver made deterministic on real LXC:
// - the daemon died after LXC started the container but before it recorded the init pid (kill -9
//   during `run`): status must say running (it said created, and restore then treated a running
//   container as never started);
// - a create cut short before create.json was written: delete must still remove the LXC dir and
//   the state dir (it threw not-found and left both forever).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, rmSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { canRun, setupSuite, skipReason, waitStopped } from './lcr-fixture.ts';
import type { Suite } from './lcr-fixture.ts';

describe('lcr crash windows', { skip: skipReason }, () => {
  let s: Suite;
  before(async () => {
    if (canRun) s = await setupSuite('crash');
  });
  after(async () => {
    if (!canRun) return;
    await s.cleanup();
    rmSync(join('/run/lxc/lock', s.opts.lxcPath), { recursive: true, force: true });
  });

  test('init pid not recorded (daemon killed during start): status reads it from LXC and says running', async () => {
    await s.create('c-noinit', { Cmd: ['sleep', '1000'] });
    const started = await s.rt.start('c-noinit');
    unlinkSync(join(s.opts.stateDir, 'c-noinit', 'init'));
    const st = await (await s.reopen()).status('c-noinit');
    assert.deepEqual(st, { status: 'running', pid: started.pid, startTime: started.startTime });
    assert.ok(existsSync(join(s.opts.stateDir, 'c-noinit', 'init')), 'the init pid is recorded again');
    await s.rt.stop('c-noinit', { signal: 9, timeoutMs: 0 });
    await waitStopped(s.rt, 'c-noinit');
    const lock = join('/run/lxc/lock', s.opts.lxcPath, '.c-noinit');
    assert.ok(existsSync(lock), 'LXC made its lock file');
    await s.rt.delete('c-noinit');
    assert.equal(existsSync(lock), false, 'delete removes LXC\'s lock file (issue 13 item 4)');
  });

  test('a create cut short before create.json: delete removes its dirs, and ids() lists it until then', async () => {
    await s.create('c-cut', { Cmd: ['true'] });
    unlinkSync(join(s.opts.stateDir, 'c-cut', 'create.json'));
    const half = 'a'.repeat(64); // only an LXC dir, as after a crash right after its mkdir
    mkdirSync(join(s.opts.lxcPath, half), { recursive: true });
    assert.ok((await s.rt.ids?.())?.includes(half));
    await s.rt.delete('c-cut');
    await s.rt.delete(half);
    for (const p of [join(s.opts.lxcPath, 'c-cut'), join(s.opts.stateDir, 'c-cut'), join(s.opts.lxcPath, half)]) assert.equal(existsSync(p), false, `${p} left`);
    await assert.rejects(s.rt.delete(half), /no such container/);
    rmSync(join(s.opts.lxcPath, half), { recursive: true, force: true });
  });
});
