// iSulad CI, container_cases: stats.sh, against our CLI on one real daemon: errors for a missing or
// invalid name, --no-stream with and without -a or a name, and --original's rows with their states
// (without -a only running and paused containers).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Daemon } from '../helpers/daemon.ts';
import { fails, ok, skipReason, suiteDaemon } from './compat-fixture.ts';

describe('iSulad CI container_cases: stats', { skip: skipReason }, () => {
  let d: Daemon;
  suiteDaemon((started) => (d = started), { runtime: 'lcr' });

  test('stats.sh: errors, --no-stream rows, --original rows and states with and without -a', async () => {
    assert.match((await fails(d, ['stats', 'xxxxxx'])).stderr, /No such container/);
    assert.match((await fails(d, ['stats', '-'])).stderr, /Invalid container name/);
    const init = (await ok(d, ['create', '-t', '-n', 'stats_inited', 'busybox', '/bin/sh'])).stdout.trim();
    const running = (await ok(d, ['run', '-td', '-n', 'stats_running', 'busybox', '/bin/sh'])).stdout.trim();
    const short = (id: string) => id.slice(0, 12);

    let out = (await ok(d, ['stats', '--no-stream'])).stdout;
    assert.ok(out.includes(short(running)), out);
    out = (await ok(d, ['stats', '--no-stream', '-a'])).stdout;
    assert.ok(out.includes(short(running)) && out.includes(short(init)), out);
    out = (await ok(d, ['stats', '--no-stream', init])).stdout;
    assert.ok(out.includes(short(init)), out);

    const paused = (await ok(d, ['run', '-td', '-n', 'stats_paused', 'busybox', '/bin/sh'])).stdout.trim();
    await ok(d, ['pause', paused]);
    const stopped = (await ok(d, ['run', '-td', '-n', 'stats_stopped', 'busybox', '/bin/sh'])).stdout.trim();
    await ok(d, ['stop', '-t', '0', stopped]);

    // one row per container: its short id, name and state on the same line
    const row = (text: string, id: string) => text.split('\n').find((l) => l.includes(short(id)));
    const hasRow = (text: string, id: string, st: string, name: string) => {
      const l = row(text, id);
      assert.ok(l?.includes(st) && l.includes(name), `no ${st} row of ${name} in\n${text}`);
    };
    out = (await ok(d, ['stats', '--original'])).stdout;
    assert.equal(row(out, init), undefined, `an inited container is listed without -a:\n${out}`);
    assert.equal(row(out, stopped), undefined, `an exited container is listed without -a:\n${out}`);
    hasRow(out, running, 'running', 'stats_running');
    hasRow(out, paused, 'paused', 'stats_paused');

    out = (await ok(d, ['stats', '--original', '-a'])).stdout;
    hasRow(out, init, 'inited', 'stats_inited');
    hasRow(out, running, 'running', 'stats_running');
    hasRow(out, paused, 'paused', 'stats_paused');
    hasRow(out, stopped, 'exited', 'stats_stopped');

    await ok(d, ['unpause', paused]);
    await ok(d, ['rm', '-f', 'stats_inited', 'stats_running', 'stats_paused', 'stats_stopped']);
  });
});
