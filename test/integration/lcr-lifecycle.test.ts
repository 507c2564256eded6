// lcr driver on real LXC 5: exit codes, signals, pause/resume, stop with timeout, leftovers.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, openSync, writeSync, closeSync, constants, rmSync, writeFileSync } from 'node:fs';
import { canRun, skipReason, setupSuite, runToExit, waitStopped, processesMentioning, mountsMentioning, sh, waitLog, readJsonLog } from './lcr-fixture.ts';
import type { Suite } from './lcr-fixture.ts';
import { readCgroupLayout, controllerDir } from '../../src/cgroups/hierarchy.ts';
import { existingCgroupDirs } from '../../src/cgroups/cleanup.ts';
import { isAlive } from '../../src/runtime/proc.ts';
import { isResizable, isStatsSource } from '../../src/runtime/runtime.ts';

describe('lcr lifecycle', { skip: skipReason }, () => {
  let s: Suite;
  before(async () => {
    if (canRun) s = await setupSuite('life');
  });
  after(async () => {
    if (canRun) await s.cleanup();
  });

  for (const [name, script, want] of [
    ['exit 0', 'true', 0],
    ['exit 3', 'exit 3', 3],
    ['status of the last command', 'false', 1],
  ] as const) {
    test(`exit code: ${name}`, async () => {
      const r = await runToExit(s, `code-${want}`, sh(script));
      assert.equal(r.code, want);
    });
  }

  test('create leaves the caller\'s spec as it was (terminal and cgroups path go on a copy)', async () => {
    const spec = await s.spec('pure', { Cmd: ['true'] });
    delete (spec.linux as { cgroupsPath?: string }).cgroupsPath;
    const before = structuredClone(spec);
    const create = s.rt.create({ id: 'pure', spec, logPath: s.logPath('pure'), logMaxSize: 0, logMaxFile: 1, openStdin: false, terminal: true });
    // without script(1) -t is refused; either way the spec must be untouched
    await create.then(() => s.rt.delete('pure'), (err: unknown) => assert.match(String(err), /script\(1\)/));
    assert.deepEqual(spec, before);
  });

  test('a missing binary fails the start with the tool error', async () => {
    await s.create('nobin', { Cmd: ['/nonexistent'] });
    await assert.rejects(s.rt.start('nobin'), /lxc-start failed|No such file/);
  });

  test('kill: SIGTERM to a trapping init exits with its code; SIGKILL gives 137', async () => {
    await s.create('trap', sh('trap "exit 42" TERM; echo ready; while :; do sleep 0.05; done'));
    const r = await s.rt.start('trap');
    assert.ok(r.pid > 0 && r.startTime !== '');
    assert.equal((await s.rt.status('trap')).status, 'running');
    await waitLog(s, 'trap', 'ready'); // a TERM before the trap is set would be ignored by an init
    await s.rt.kill('trap', 15);
    assert.equal((await waitStopped(s.rt, 'trap')).exitCode, 42);

    await s.create('sigkill', { Cmd: ['sleep', '1000'] });
    await s.rt.start('sigkill');
    await s.rt.kill('sigkill', 9);
    assert.equal((await waitStopped(s.rt, 'sigkill')).exitCode, 137);
    await assert.rejects(s.rt.kill('sigkill', 9), /not running/);
  });

  test('SIGTERM kills a handler-less process that is not a namespace init: 143 (--pid host)', async () => {
    await s.create('pidhost', { Cmd: ['sleep', '1000'], PidMode: 'host' });
    const { pid } = await s.rt.start('pidhost');
    assert.notEqual(pid, 1);
    await s.rt.kill('pidhost', 15);
    assert.equal((await waitStopped(s.rt, 'pidhost')).exitCode, 143);
  });

  test('--pid host: the exit is recorded although a child holds the output; delete kills it', async () => {
    await s.create('leftover', { PidMode: 'host', ...sh('sleep 60 & echo "child $!"; exit 4') });
    await s.rt.start('leftover');
    assert.equal((await waitStopped(s.rt, 'leftover')).exitCode, 4);
    await waitLog(s, 'leftover', 'child ');
    const child = Number(/child (\d+)/.exec(readJsonLog(s.logPath('leftover')).map((r) => r.log).join(''))?.[1]);
    assert.equal(await isAlive(child), true, 'the child outlived the init (no pid namespace)');
    await s.rt.delete('leftover');
    for (let i = 0; i < 50 && (await isAlive(child)); i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(await isAlive(child), false);
  });

  test('pause and resume freeze the cgroup', async () => {
    await s.create('frz', sh('while :; do sleep 0.05; done'));
    await s.rt.start('frz');
    await s.rt.pause('frz');
    assert.equal((await s.rt.status('frz')).status, 'paused');
    const layout = await readCgroupLayout();
    const dir = controllerDir(layout, 'freezer', `/${s.opts.cgroupParent}/frz`);
    assert.ok(dir);
    assert.equal(readFileSync(`${dir}/freezer.state`, 'utf8').trim(), 'FROZEN');
    await assert.rejects(s.rt.pause('frz'), /already paused/);
    await s.rt.resume('frz');
    assert.equal((await s.rt.status('frz')).status, 'running');
    assert.equal(readFileSync(`${dir}/freezer.state`, 'utf8').trim(), 'THAWED');
    const exit = await s.rt.stop('frz', { signal: 15, timeoutMs: 200 });
    assert.equal(exit.exitCode, 137, 'sh as init has no TERM handler: killed after the timeout');
  });

  test('stop: graceful when the init handles the signal, SIGKILL after the timeout otherwise', async () => {
    await s.create('graceful', sh('trap "exit 0" TERM; echo ready; while :; do sleep 0.05; done'));
    await s.rt.start('graceful');
    await waitLog(s, 'graceful', 'ready');
    assert.equal((await s.rt.stop('graceful', { signal: 15, timeoutMs: 10_000 })).exitCode, 0);

    await s.create('stubborn', { Cmd: ['sleep', '1000'] });
    await s.rt.start('stubborn');
    assert.equal((await s.rt.stop('stubborn', { signal: 15, timeoutMs: 300 })).exitCode, 137);
    // stopping a stopped container returns its exit again
    assert.equal((await s.rt.stop('stubborn', { signal: 15, timeoutMs: 300 })).exitCode, 137);
  });

  test('stop right after start reaches a trapping init (the signal waits for its handler)', async () => {
    // the shell installs its TERM trap some ms after LXC reports the start; a signal sent before
    // that is dropped by the kernel (PID-namespace init without a handler) and only the SIGKILL
    // after the grace period would end it (137)
    for (let i = 0; i < 3; i++) {
      await s.create(`early-${i}`, sh('sleep 0.3; trap "exit 7" TERM; while :; do sleep 0.05; done'));
      await s.rt.start(`early-${i}`);
      assert.equal((await s.rt.stop(`early-${i}`, { signal: 15, timeoutMs: 30_000 })).exitCode, 7);
    }
  });

  test('stop of a paused container', async () => {
    await s.create('pstop', sh('trap "exit 7" TERM; echo ready; while :; do sleep 0.05; done'));
    await s.rt.start('pstop');
    await waitLog(s, 'pstop', 'ready');
    await s.rt.pause('pstop');
    assert.equal((await s.rt.stop('pstop', { signal: 15, timeoutMs: 10_000 })).exitCode, 7);
  });

  test('restart: a stopped container starts again with a fresh exit', async () => {
    await s.create('again', sh('exit 5'));
    await s.rt.start('again');
    assert.equal((await waitStopped(s.rt, 'again')).exitCode, 5);
    await s.rt.start('again');
    assert.equal((await waitStopped(s.rt, 'again')).exitCode, 5);
  });

  test('delete: refuses a running container, then leaves no cgroups, processes or mounts', async () => {
    await s.create('gone', { Cmd: ['sleep', '1000'] });
    const { pid } = await s.rt.start('gone');
    await assert.rejects(s.rt.delete('gone'), /running/);
    const monitor = Number(readFileSync(`${s.opts.stateDir}/gone/monitor`, 'utf8').split(' ')[0]);
    await s.rt.stop('gone', { signal: 9, timeoutMs: 0 });
    await s.rt.delete('gone');
    const layout = await readCgroupLayout();
    assert.deepEqual(await existingCgroupDirs(layout, `/${s.opts.cgroupParent}/gone`), []);
    assert.deepEqual(await existingCgroupDirs(layout, `/${s.opts.cgroupParent}.monitor/gone`), []);
    assert.equal(await isAlive(pid), false);
    // the monitor ends right after writing the exit file
    for (let i = 0; i < 100 && (await isAlive(monitor)); i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(await isAlive(monitor), false);
    assert.deepEqual(processesMentioning(`${s.opts.stateDir}/gone`), []);
    assert.deepEqual(mountsMentioning(s.root), []);
    await assert.rejects(s.rt.status('gone'), /no such container/);
    assert.throws(() => s.rt.stdio('gone'), /no such container/);
    await assert.rejects(s.rt.delete('gone'), /no such container/);
  });

  test('a reopened runtime finds a running container (pid + start time) and controls it', async () => {
    await s.create('restore', { Memory: 32 << 20, ...sh('trap "exit 11" TERM; echo ready; while :; do sleep 0.05; done') });
    const first = await s.rt.start('restore');
    await waitLog(s, 'restore', 'ready');
    const rt = await s.reopen();
    const st = await rt.status('restore');
    assert.deepEqual(st, { status: 'running', pid: first.pid, startTime: first.startTime });
    assert.ok(isStatsSource(rt));
    const stats = await rt.stats('restore');
    assert.equal(stats.memoryLimit, 32 << 20);
    assert.ok((stats.memoryUsage ?? 0) > 0 && (stats.pidsCurrent ?? 0) >= 1, JSON.stringify(stats));
    await assert.rejects(rt.start('restore'), /already running/);
    // the daemon may die between spawning the monitor and recording it: LXC's log still knows
    rmSync(`${s.opts.stateDir}/restore/monitor`);
    assert.deepEqual(await rt.status('restore'), { status: 'running', pid: first.pid, startTime: first.startTime });
    // a stray file in exits/ is ignored by the watcher
    writeFileSync(`${s.opts.stateDir}/exits/not an id`, '0\n');
    assert.equal((await rt.stop('restore', { signal: 15, timeoutMs: 10_000 })).exitCode, 11);
  });

  test('create: a duplicate id is refused', async () => {
    await s.create('dup', { Cmd: ['true'] });
    await assert.rejects(s.create('dup', { Cmd: ['true'] }), /already exists/);
  });

  test('terminal (-t): a pty console, input through the FIFO, resize, exit code', async () => {
    await s.create('tty', { Tty: true, Cmd: ['/bin/sh'] }, { openStdin: true });
    await s.rt.start('tty');
    const { stdin } = s.rt.stdio('tty');
    assert.ok(stdin);
    const type = (line: string) => {
      const fd = openSync(stdin, constants.O_WRONLY | constants.O_NONBLOCK);
      writeSync(fd, `${line}\n`);
      closeSync(fd);
    };
    const rt = s.rt;
    assert.ok(isResizable(rt));
    await rt.resize('tty', { rows: 33, cols: 101 });
    type('tty; stty size; echo "TERM=$TERM"; echo marker-$((40+2))');
    await waitLog(s, 'tty', 'marker-42');
    const out = readJsonLog(s.logPath('tty')).map((r) => r.log).join('');
    // the console pty is allocated in the container's devpts (lxc.pty.max): tty names it /dev/pts/N
    assert.match(out, /\/dev\/pts\/\d+\r\n/);
    assert.doesNotMatch(out, /\r\r\n/);
    assert.match(out, /33 101\r?\n/);
    assert.match(out, /TERM=xterm/);
    type('exit 7');
    assert.equal((await waitStopped(s.rt, 'tty')).exitCode, 7);
  });
});
