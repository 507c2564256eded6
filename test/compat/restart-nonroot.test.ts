// iSulad CI, container_cases: restartpolicy.sh and nonroot.sh, against our CLI on one real daemon
// (lcr). The daemon's socket group is an existing group of the host ("daemon", as iSulad's is
// "isula"): nonroot.sh's user is a uid of no account with only that group, and one without it.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, readFileSync } from 'node:fs';
import type { Daemon, RunResult } from '../helpers/daemon.ts';
import { binaryFor } from '../helpers/daemon.ts';
import { inspectField, ok, skipReason, state, suiteDaemon, until } from './compat-fixture.ts';

const GROUP = 'daemon';
const gid = Number(/^daemon:[^:]*:(\d+):/m.exec(readFileSync('/etc/group', 'utf8'))?.[1] ?? NaN);
const NOBODY = 65534;

/** isula as uid NOBODY with primary group `g` and no supplementary groups (libuv drops them). */
function isulaAs(d: Daemon, g: number, args: string[]): Promise<RunResult> {
  const b = binaryFor('isula');
  return new Promise((resolve, reject) => {
    const c = spawn(b.cmd, [...b.prefix, '-H', d.host, ...args], { uid: NOBODY, gid: g, cwd: '/', env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin' }, ...(b.argv0 ? { argv0: b.argv0 } : {}), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    c.stdout.on('data', (x: Buffer) => (stdout += x.toString()));
    c.stderr.on('data', (x: Buffer) => (stderr += x.toString()));
    c.once('error', reject);
    c.once('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

async function restartCount(d: Daemon, ref: string): Promise<number> {
  return Number(await inspectField(d, ref, '{{json .RestartCount}}'));
}

describe('iSulad CI container_cases: restart policies, a non-root user', { skip: skipReason || (Number.isNaN(gid) ? `no "${GROUP}" group in /etc/group` : false) }, () => {
  let d: Daemon;
  suiteDaemon((started) => (d = started), { runtime: 'lcr', config: { group: GROUP } });

  test('restartpolicy.sh: on-failure:3 restarts three times; always and unless-stopped come back after kill -9; stop, restart and kill end them', async () => {
    const onFailure = 'test_rp_on_failure';
    await ok(d, ['run', '--name', onFailure, '-td', '--restart', 'on-failure:3', 'busybox', '/bin/sh', '-c', 'exit 2']);
    await until('three restarts, then exited', async () => (await restartCount(d, onFailure)) === 3 && (await state(d, onFailure)) === 'exited');
    assert.equal(await inspectField(d, onFailure, '{{.State.ExitCode}}'), '2');
    await ok(d, ['stop', '-t', '0', onFailure]);
    assert.equal(await state(d, onFailure), 'exited');
    await ok(d, ['rm', onFailure]);

    for (const policy of ['always', 'unless-stopped']) {
      const name = `test_rp_${policy}`;
      await ok(d, ['run', '--name', name, '-td', '--restart', policy, 'busybox', '/bin/sh']);
      assert.equal(await state(d, name), 'running');
      const pid = Number(await inspectField(d, name, '{{json .State.Pid}}'));
      process.kill(pid, 'SIGKILL');
      await until(`${policy}: running again under a new pid`, async () => (await state(d, name)) === 'running' && Number(await inspectField(d, name, '{{json .State.Pid}}')) !== pid);
      assert.equal(await restartCount(d, name), 1);
      await ok(d, ['stop', '-t', '0', name]);
      assert.equal(await state(d, name), 'exited');
      await ok(d, ['restart', name]);
      assert.equal(await state(d, name), 'running');
      await ok(d, ['kill', name]);
      assert.equal(await state(d, name), 'exited');
      await ok(d, ['rm', name]);
    }

    // unless-stopped on a command that fails: restarted until stopped
    const failing = 'test_rp_unless_stopped';
    await ok(d, ['run', '--name', failing, '-td', '--restart', 'unless-stopped', 'busybox', '/bin/sh', '-c', 'exit 2']);
    await until('restarted at least once', async () => (await restartCount(d, failing)) >= 1);
    await ok(d, ['stop', '-t', '0', failing]);
    assert.equal(await state(d, failing), 'exited');
    await ok(d, ['rm', failing]);
  });

  test(`nonroot.sh: a user of the socket's group (${GROUP}) runs, inspects, restarts, execs, stops and removes; a user outside it is refused`, async () => {
    chmodSync(d.dir, 0o711); // the socket lives in the suite's temp dir (0700 from mkdtemp)
    const c = 'test_nonroot_user';
    const as = async (args: string[]) => {
      const r = await isulaAs(d, gid, args);
      assert.equal(r.code, 0, `isula ${args.join(' ')} as ${NOBODY}:${gid}: ${r.stderr}`);
      return r.stdout;
    };
    assert.match(await as(['run', '-tid', '--name', c, 'busybox', '/bin/sh']), /^[0-9a-f]{64}\n$/);
    assert.equal(JSON.parse(await as(['inspect', c]))[0].State.Status, 'running');
    await as(['restart', c]);
    assert.equal(await as(['exec', c, 'pwd']), '/\n');
    await as(['stop', c]);
    assert.equal(await state(d, c), 'exited');
    await as(['rm', c]);
    const outside = await isulaAs(d, NOBODY, ['ps']);
    assert.notEqual(outside.code, 0);
    assert.match(outside.stderr, /EACCES/);
  });
});
