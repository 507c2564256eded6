// Container output and exits without the daemon: json-file records and rotation written by the
// monitor side, logs complete while no watcher (daemon) runs, exits found by a later watcher,
// stdin through the FIFO, and a container that outlives the process that started it.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { openSync, writeSync, closeSync, constants, existsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { canRun, skipReason, setupSuite, waitStopped, readJsonLog, sh } from './lcr-fixture.ts';
import type { Suite } from './lcr-fixture.ts';
import type { ExitInfo } from '../../src/runtime/runtime.ts';

const nextExit = (s: Suite, id: string) =>
  new Promise<ExitInfo>((resolve) => s.rt.onExit((got, e) => got === id && resolve(e)));

describe('lcr logs and exits without a watcher', { skip: skipReason }, () => {
  let s: Suite;
  before(async () => {
    if (canRun) s = await setupSuite('logs');
  });
  after(async () => {
    if (canRun) await s.cleanup();
  });

  test('json-file records: stream, escaping, RFC 3339 nano time', async () => {
    await s.create('json', sh('echo out1; echo "err \\"q\\"" >&2; printf "tab\\there\\n"; printf partial'));
    const exited = nextExit(s, 'json');
    await s.rt.start('json');
    assert.equal((await exited).exitCode, 0);
    const recs = readJsonLog(s.logPath('json'));
    const by = (st: string) => recs.filter((r) => r.stream === st).map((r) => r.log);
    assert.deepEqual(by('stdout'), ['out1\n', 'tab\there\n', 'partial\n']);
    assert.deepEqual(by('stderr'), ['err "q"\n']);
    for (const r of recs) assert.match(r.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/);
  });

  test('rotation: max-size and max-file respected, newest lines kept in order', async () => {
    await s.create('rot', sh('i=0; while [ $i -lt 2000 ]; do echo "line $i"; i=$((i+1)); done'), { logMaxSize: 16 * 1024, logMaxFile: 3 });
    await s.rt.start('rot');
    await waitStopped(s.rt, 'rot');
    const p = s.logPath('rot');
    assert.ok(existsSync(`${p}.1`) && existsSync(`${p}.2`) && !existsSync(`${p}.3`));
    for (const f of [p, `${p}.1`, `${p}.2`]) assert.ok(statSync(f).size <= 16 * 1024 + 1024, f);
    const n = readJsonLog(p).map((r) => Number(r.log.split(' ')[1]));
    assert.equal(n.at(-1), 1999);
    for (let i = 1; i < n.length; i++) assert.equal(n[i], n[i - 1]! + 1);
  });

  test('logs stay complete and the exit is recorded while no watcher runs', async () => {
    await s.create('nowatch', sh('i=0; while [ $i -lt 60 ]; do echo "tick $i"; i=$((i+1)); sleep 0.02; done; exit 9'));
    await s.rt.start('nowatch');
    await s.rt.close(); // the daemon goes away mid-run
    // the container prints on and exits meanwhile: its monitor writes the exit file without a
    // watcher (a fixed sleep was too short on a loaded machine)
    const exitFile = join(s.opts.stateDir, 'exits', 'nowatch');
    for (const until = Date.now() + 60_000; !existsSync(exitFile) && Date.now() < until; ) await new Promise((r) => setTimeout(r, 100));
    assert.ok(existsSync(exitFile), 'the monitor recorded the exit while no watcher ran');
    const rt = await s.reopen();
    const exited = new Promise<ExitInfo>((resolve) => rt.onExit((id, e) => id === 'nowatch' && resolve(e)));
    const st = await rt.status('nowatch');
    assert.equal(st.status, 'stopped');
    assert.equal(st.status === 'stopped' && st.exit.exitCode, 9);
    assert.equal((await exited).exitCode, 9, 'the rescan delivers the exit that happened while closed');
    const ticks = readJsonLog(s.logPath('nowatch')).map((r) => r.log);
    assert.deepEqual(ticks, Array.from({ length: 60 }, (_, i) => `tick ${i}\n`));
  });

  test('stdin FIFO: writers come and go, the container reads every line', async () => {
    await s.create('stdin', sh('while read l; do echo "got $l"; [ "$l" = quit ] && exit 4; done'), { openStdin: true });
    await s.rt.start('stdin');
    const { stdin } = s.rt.stdio('stdin');
    assert.ok(stdin);
    for (const line of ['hello', 'world', 'quit']) {
      const fd = openSync(stdin, constants.O_WRONLY | constants.O_NONBLOCK);
      writeSync(fd, `${line}\n`);
      closeSync(fd);
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal((await waitStopped(s.rt, 'stdin')).exitCode, 4);
    assert.deepEqual(readJsonLog(s.logPath('stdin')).map((r) => r.log), ['got hello\n', 'got world\n', 'got quit\n']);
    assert.equal(s.rt.stdio('stdin').logPath, s.logPath('stdin'));
  });

  test('the container outlives the process that started it', async () => {
    await s.create('orphan', sh('sleep 1; echo survived; exit 6'));
    const script = join(s.root, 'starter.ts');
    writeFileSync(
      script,
      `import { createLcrRuntime } from ${JSON.stringify(join(process.cwd(), 'src/runtime/lcr/driver.ts'))};
const rt = await createLcrRuntime(${JSON.stringify(s.opts)});
await rt.start('orphan');
process.exit(0);\n`,
    );
    const r = spawnSync(process.execPath, [script], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(r.status, 0, r.stderr);
    assert.equal((await s.rt.status('orphan')).status, 'running');
    assert.equal((await waitStopped(s.rt, 'orphan')).exitCode, 6);
    assert.deepEqual(readJsonLog(s.logPath('orphan')).map((x) => x.log), ['survived\n']);
  });
});
