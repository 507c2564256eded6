// The embedded lcr monitor (the real script) run against a stand-in lxc-start on PATH that
// writes to its stdout and stderr and logs LXC's "Started"/"ended on error" lines: with log
// driver none (the CRI's pause container) no FIFO and no copier is made and the exit code is
// still recorded; with json-file the same run's output reaches the log through the copiers.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { LOG_AWK, MONITOR_SH } from '../../../../src/runtime/lcr/monitor-script.ts';
import { clockBase, detectAwk } from '../../../../src/runtime/host.ts';

let dir = '';
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'lcr-mon-'));
  writeFileSync(join(dir, 'mon.sh'), MONITOR_SH);
  writeFileSync(join(dir, 'log.awk'), LOG_AWK);
  mkdirSync(join(dir, 'bin'));
  // lxc-start -F -q -C -n NAME -P PATH -o LOG -l INFO -- ARGV: output, then LXC's log lines
  writeFileSync(join(dir, 'bin', 'lxc-start'), [
    '#!/bin/sh',
    'while [ "$1" != -o ]; do shift; done',
    'log=$2',
    'echo "to stdout"',
    'echo "to stderr" >&2',
    'echo "lxc-start x 20261207 NOTICE start - start.c:1 - Started \\"/pause\\" with pid \\"4242\\"" >>"$log"',
    'echo "lxc-start x 20261207 INFO start - start.c:2 - Child <4242> ended on error (3)" >>"$log"',
    'exit 0',
    '',
  ].join('\n'));
  chmodSync(join(dir, 'bin', 'lxc-start'), 0o755);
});
after(() => rmSync(dir, { recursive: true, force: true }));

async function runMonitor(name: string, format: string): Promise<{ st: string; logPath: string; exit: string }> {
  const st = join(dir, name);
  mkdirSync(st);
  const logPath = join(st, 'console.log');
  writeFileSync(logPath, '');
  const exitFile = join(st, 'exit');
  const child = spawn('sh', [join(dir, 'mon.sh'), 'run', st, dir, name, '--', '/pause'], {
    cwd: st,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: {
      PATH: `${join(dir, 'bin')}:${process.env.PATH ?? '/usr/bin:/bin'}`,
      LCR_EXIT: exitFile, LCR_AWK: await detectAwk(), LCR_AWK_PROG: join(dir, 'log.awk'),
      LOG_PATH: logPath, LOG_MAX: '1048576', LOG_FILES: '2', LOG_FORMAT: format,
      LCR_CLOCK_BASE: String(await clockBase()), LCR_EOF: 'lcr-eof-test', LCR_FLUSH: 'lcr-flush-test',
    },
  });
  assert.equal(await new Promise((r) => child.on('exit', r)), 0);
  return { st, logPath, exit: readFileSync(exitFile, 'utf8').trim() };
}

test('log driver none: no output FIFOs and no copier, the output is dropped, the exit code is recorded', { timeout: 120_000 }, async () => {
  const r = await runMonitor('none', 'none');
  assert.equal(r.exit, '3');
  assert.ok(!existsSync(join(r.st, 'out.fifo')) && !existsSync(join(r.st, 'err.fifo')));
  assert.equal(readFileSync(r.logPath, 'utf8'), '');
});

test('json-file: the same run goes through the FIFOs and copiers into the log', { timeout: 120_000 }, async () => {
  const r = await runMonitor('json', 'json-file');
  assert.equal(r.exit, '3');
  assert.ok(existsSync(join(r.st, 'out.fifo')) && existsSync(join(r.st, 'err.fifo')));
  const recs = readFileSync(r.logPath, 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as { log: string; stream: string });
  assert.deepEqual(recs.map((x) => `${x.stream}:${x.log}`).sort(), ['stderr:to stderr\n', 'stdout:to stdout\n']);
});
