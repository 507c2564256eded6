// A monitor orphaned by a daemon kill may reach lxc-start after the restarted daemon removed its
// container. The embedded monitor (the real script) is run here with the real lxc-start behind a
// wrapper that first removes the state dir, the removal landing exactly in that window: the
// state dir must stay gone (LXC makes a missing log file's parent directories, so a log path
// naming the state dir made it again: a 200-kill storm once found such a dir left over) and the
// exit is still recorded, outside the state dir.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { LOG_AWK, MONITOR_SH } from '../../src/runtime/lcr/monitor-script.ts';
import { clockBase, detectAwk } from '../../src/runtime/host.ts';

const realLxcStart = spawnSync('sh', ['-c', 'command -v lxc-start'], { encoding: 'utf8' }).stdout.trim();
const dir = mkdtempSync(join(tmpdir(), 'lcr-orphan-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('a container removed before its orphaned monitor reaches lxc-start: the state dir is not made again, the exit is recorded', { skip: realLxcStart === '' ? 'no lxc-start' : false, timeout: 120_000 }, async () => {
  const st = join(dir, 'state', 'c1');
  const lxcPath = join(dir, 'lxc');
  mkdirSync(st, { recursive: true });
  mkdirSync(lxcPath);
  mkdirSync(join(dir, 'bin'));
  mkdirSync(join(dir, 'exits'));
  writeFileSync(join(dir, 'mon.sh'), MONITOR_SH);
  writeFileSync(join(dir, 'log.awk'), LOG_AWK);
  // the daemon's delete, landing between the monitor's `cd` and its lxc-start
  writeFileSync(join(dir, 'bin', 'lxc-start'), `#!/bin/sh\nrm -rf ${JSON.stringify(st)}\nexec ${JSON.stringify(realLxcStart)} "$@"\n`);
  chmodSync(join(dir, 'bin', 'lxc-start'), 0o755);
  const exitFile = join(dir, 'exits', 'c1');
  const child = spawn('sh', [join(dir, 'mon.sh'), 'run', st, lxcPath, 'c1', '--', '/bin/true'], {
    cwd: st,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: `${join(dir, 'bin')}:${process.env.PATH ?? '/usr/bin:/bin'}`,
      LCR_EXIT: exitFile, LCR_AWK: await detectAwk(), LCR_AWK_PROG: join(dir, 'log.awk'),
      LOG_PATH: join(dir, 'console.log'), LOG_MAX: '1048576', LOG_FILES: '2', LOG_FORMAT: 'none',
      LCR_CLOCK_BASE: String(await clockBase()), LCR_EOF: 'lcr-eof-test', LCR_FLUSH: 'lcr-flush-test',
    },
  });
  let out = '';
  child.stdout.on('data', (b: Buffer) => { out += b.toString(); });
  child.stderr.on('data', (b: Buffer) => { out += b.toString(); });
  await new Promise((r) => child.on('close', r));
  assert.ok(!existsSync(st), `the state dir was made again: ${existsSync(st) ? JSON.stringify(spawnSync('ls', ['-la', st], { encoding: 'utf8' }).stdout) : ''} (monitor said: ${out})`);
  assert.equal(readFileSync(exitFile, 'utf8').trim(), '-1', out);
  assert.ok(!existsSync(join(lxcPath, 'c1')), 'LXC made a container dir');
});
