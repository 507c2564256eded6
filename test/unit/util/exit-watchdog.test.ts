// test/helpers/exit-watchdog.ts, loaded the way the Makefile loads it, ends the two ways a test
// file's process can outlive its tests and hold the whole run.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const WATCHDOG = fileURLToPath(new URL('../../helpers/exit-watchdog.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'exit-watchdog-'));
after(() => {
  // The stray of the first case, if the watchdog failed to kill it.
  try { process.kill(Number(readFileSync(join(dir, 'stray.pid'), 'utf8')), 'SIGKILL'); } catch { /* killed, as it should be */ }
  rmSync(dir, { recursive: true, force: true });
});

/** Runs one test file under its own runner with the watchdog, bounded in time either way. */
function runFile(name: string, body: string): { status: number | null; out: string } {
  const file = join(dir, name);
  writeFileSync(file, body);
  const env: NodeJS.ProcessEnv = { ...process.env, ISULA_TEST_EXIT_GRACE_MS: '1500' };
  delete env.NODE_TEST_CONTEXT; // the inner runner must act as a runner, not as a test file
  const r = spawnSync(process.execPath, ['--import', WATCHDOG, '--test', file],
    { env, encoding: 'utf8', timeout: 60_000, killSignal: 'SIGKILL' });
  // A watchdog that failed shows as the 60 s time-out: status null.
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

test('a process that still holds the file output after its tests is named and killed, the run ends and passes', () => {
  const r = runFile('stray.test.ts', `
    import { test } from 'node:test';
    import { spawn } from 'node:child_process';
    import { writeFileSync } from 'node:fs';
    test('leaves a stray', () => {
      const c = spawn('sleep', ['300'], { stdio: ['ignore', 'inherit', 'inherit'], detached: true });
      writeFileSync(${JSON.stringify(join(dir, 'stray.pid'))}, String(c.pid));
      c.unref();
    });
  `);
  assert.equal(r.status, 0, r.out);
  assert.match(r.out, /process \d+ \(sleep 300\) still holds this test file's output pipe after its tests: killed/);
});

test('a ref\'d handle that keeps the file alive after its tests: diagnosed, and the process exits with the tests\' code', () => {
  const ok = runFile('interval.test.ts', `
    import { test } from 'node:test';
    test('leaves an interval', () => { setInterval(() => {}, 1000); });
  `);
  assert.equal(ok.status, 0, ok.out);
  assert.match(ok.out, /has not exited \(something still holds it\)/);
  assert.match(ok.out, /active resources: .*Timeout/);
  const failed = runFile('interval-failing.test.ts', `
    import { test } from 'node:test';
    test('fails and leaves an interval', () => { setInterval(() => {}, 1000); throw new Error('boom'); });
  `);
  assert.equal(failed.status, 1, failed.out);
  assert.match(failed.out, /has not exited/);
});

test('a main thread stuck in a system call after the tests: diagnosed by the worker, the file fails instead of hanging', () => {
  const r = runFile('stuck.test.ts', `
    import { test, after } from 'node:test';
    import { execFileSync } from 'node:child_process';
    test('passes', () => {});
    after(() => { execFileSync('sleep', ['30']); });
  `);
  assert.equal(r.status, 1, r.out);
  assert.match(r.out, /the main thread is stuck \d+ ms after the last test; killing this test file/);
  assert.match(r.out, /thread \d+ .*: wchan /);
});
