// Healthchecks end to end (issue 5): --health-* flags on the real CLI, probes run as execs in real
// lcr containers of the embedded busybox image; state read back through inspect and ps.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Daemon } from '../helpers/daemon.ts';
import { canRun, inspectField, ok, skipReason, until, RUNTIMES, suiteDaemon } from './container-fixture.ts';

interface Health {
  Status: string;
  FailingStreak: number;
  Log: Array<{ Start: string; End: string; ExitCode: number; Output: string }>;
}

const LOOP = ['busybox', 'sh', '-c', 'while true; do sleep 1; done'];

for (const rt of RUNTIMES) describe(`healthchecks on ${rt.name}`, { skip: skipReason || rt.skip }, () => {
  let d: Daemon;
  let hostDir = '';
  suiteDaemon((started) => (d = started), { runtime: rt.name, afterStop: () => rmSync(hostDir, { recursive: true, force: true }) });
  before(() => {
    if (canRun) hostDir = mkdtempSync(join(tmpdir(), 'isula-health-'));
  });

  async function health(ref: string): Promise<Health | undefined> {
    const full = JSON.parse((await ok(d, ['inspect', ref])).stdout) as Array<{ State: { Health?: Health } }>;
    return full[0]?.State.Health;
  }

  async function untilStatus(ref: string, status: string): Promise<Health> {
    let h: Health | undefined;
    await until(`${ref} to be ${status}`, async () => (h = await health(ref))?.Status === status);
    return h as Health;
  }

  test('a passing check makes the container healthy, shown by ps', async () => {
    await ok(d, ['run', '-d', '--name', 'good', '--health-cmd', 'echo fine; exit 0', '--health-interval', '1s', ...LOOP]);
    assert.equal((await health('good'))?.Status === 'unhealthy', false);
    const h = await untilStatus('good', 'healthy');
    assert.equal(h.FailingStreak, 0);
    assert.ok(h.Log.length >= 1 && h.Log.length <= 5);
    assert.equal(h.Log.at(-1)?.ExitCode, 0);
    assert.equal(h.Log.at(-1)?.Output, 'fine\n');
    const ps = (await ok(d, ['ps', '--format', '{{.Names}} {{.Status}}'])).stdout;
    assert.match(ps, /^good Up .*\(healthy\)$/m);
  });

  test('a failing check: unhealthy after the retries, streak and a log of at most 5', async () => {
    await ok(d, ['run', '-d', '--name', 'bad', '--health-cmd', 'echo nope; exit 3', '--health-interval', '1s', '--health-retries', '2', ...LOOP]);
    const h = await untilStatus('bad', 'unhealthy');
    assert.ok(h.FailingStreak >= 2, `streak ${h.FailingStreak}`);
    assert.equal(h.Log.at(-1)?.ExitCode, 3);
    assert.equal(h.Log.at(-1)?.Output, 'nope\n');
    // more probes keep running; the log stays capped at 5
    await until('more than 5 failures', async () => ((await health('bad'))?.FailingStreak ?? 0) > 6);
    const later = (await health('bad')) as Health;
    assert.equal(later.Log.length, 5);
    assert.equal(later.Status, 'unhealthy');
    assert.match((await ok(d, ['ps', '--format', '{{.Names}} {{.Status}}'])).stdout, /^bad Up .*\(unhealthy\)$/m);
    // the record holds the state too (what a daemon restart or ps reads)
    assert.equal(await inspectField(d, 'bad', '{{.State.Status}}'), 'running');
  });

  test('probe output longer than 4096 bytes is capped with "..."', async () => {
    await ok(d, ['run', '-d', '--name', 'loud', '--health-cmd', 'head -c 10000 /dev/zero | tr "\\0" a', '--health-interval', '1s', ...LOOP]);
    const h = await untilStatus('loud', 'healthy');
    const out = h.Log.at(-1)?.Output ?? '';
    assert.ok(Buffer.byteLength(out) <= 4096, `output of ${Buffer.byteLength(out)} bytes`);
    assert.ok(out.endsWith('...'), 'cut output ends with ...');
    assert.match(out, /^a{4000,}\.\.\.$/);
  });

  test('--health-timeout kills a slow probe and counts it as a failure', async () => {
    await ok(d, ['run', '-d', '--name', 'slow', '--health-cmd', 'sleep 30', '--health-interval', '1s', '--health-timeout', '1s', '--health-retries', '1', ...LOOP]);
    const h = await untilStatus('slow', 'unhealthy');
    assert.ok(h.FailingStreak >= 1);
    const last = h.Log.at(-1);
    assert.notEqual(last?.ExitCode, 0);
    assert.match(last?.Output ?? '', /timeout/);
    // the probe ended at its timeout, not after the 30 s sleep
    assert.ok(Date.parse(last?.End ?? '') - Date.parse(last?.Start ?? '') < 25_000);
  });

  test('--health-exit-on-unhealthy stops the container', async () => {
    await ok(d, ['run', '-d', '--name', 'quitter', '--health-cmd', 'exit 1', '--health-interval', '1s', '--health-retries', '1', '--health-exit-on-unhealthy', ...LOOP]);
    await until('quitter to stop', async () => (await inspectField(d, 'quitter', '{{.State.Running}}')) === 'false');
    assert.equal((await health('quitter'))?.Status, 'unhealthy');
  });

  test('--no-healthcheck: no health state at all', async () => {
    await ok(d, ['run', '-d', '--name', 'none', '--no-healthcheck', ...LOOP]);
    const full = JSON.parse((await ok(d, ['inspect', 'none'])).stdout) as Array<{ Config: { Healthcheck?: { Test?: string[] } } }>;
    assert.deepEqual(full[0]?.Config.Healthcheck?.Test, ['NONE']);
    assert.equal(await health('none'), undefined);
    assert.match((await ok(d, ['ps', '--format', '{{.Names}} {{.Status}}'])).stdout, /^none Up [^(]*$/m);
    const r = await d.isula(['run', '-d', '--no-healthcheck', '--health-cmd', 'true', ...LOOP]);
    assert.notEqual(r.code, 0);
  });

  test('probing ends when the container stops, and starts again with start', async () => {
    const count = join(hostDir, 'count');
    await ok(d, ['run', '-d', '--name', 'counted', '-v', `${hostDir}:/h`, '--health-cmd', 'echo x >> /h/count', '--health-interval', '1s', ...LOOP]);
    await untilStatus('counted', 'healthy');
    await ok(d, ['stop', '-t', '1', 'counted']);
    const lines = () => readFileSync(count, 'utf8').split('\n').filter(Boolean).length;
    const atStop = lines();
    await new Promise((r) => setTimeout(r, 3000));
    assert.equal(lines(), atStop, 'no probe ran after stop');
    await ok(d, ['start', 'counted']);
    await until('probes again after start', async () => lines() > atStop);
    await untilStatus('counted', 'healthy');
    // paused: no probes; unpaused: probing again
    await ok(d, ['pause', 'counted']);
    const atPause = lines();
    await new Promise((r) => setTimeout(r, 3000));
    assert.equal(lines(), atPause, 'no probe ran while paused');
    await ok(d, ['unpause', 'counted']);
    await until('probes again after unpause', async () => lines() > atPause);
    // a daemon restart adopts the running container and its healthcheck
    await d.restart();
    const atRestart = lines();
    await until('probes again after a daemon restart', async () => lines() > atRestart);
    assert.equal((await health('counted'))?.Status, 'healthy');
  });
});
