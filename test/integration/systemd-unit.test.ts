// packaging/isulad.service under a real systemd, where the machine runs one as PID 1 (elsewhere
// this file skips, saying so; the notify protocol itself is tested everywhere by
// daemon-notify.test.ts against a socket the test owns). The shipped unit is installed as a
// transient copy in /run/systemd/system with ExecStart pointing at the executable under test and
// its own root, state, socket and pidfile: `systemctl start` returns only after READY=1, a restart
// keeps a running container (KillMode=process), stop ends the daemon.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { binaryFor, removeEmptyCgroups, runIsula, unmountUnder } from '../helpers/daemon.ts';

const REPO = resolve(import.meta.dirname, '../..');
const hasSystemd = (() => {
  try {
    return statSync('/run/systemd/system').isDirectory();
  } catch {
    return false;
  }
})();
const UNIT = `isulad-test-${process.pid}.service`;
const UNIT_FILE = join('/run/systemd/system', UNIT);
const dir = mkdtempSync(join(tmpdir(), 'isulad-systemd-'));
const host = `unix://${join(dir, 'isulad.sock')}`;
const cgroupParent = `isulad-test-systemd-${process.pid}`;

function systemctl(...args: string[]) {
  const r = spawnSync('systemctl', args, { encoding: 'utf8', timeout: 360_000 });
  return { code: r.status, out: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}

before(() => {
  if (!hasSystemd) return;
  const config = join(dir, 'daemon.json');
  writeFileSync(config, JSON.stringify({
    hosts: [host], graph: join(dir, 'root'), state: join(dir, 'state'), pidfile: join(dir, 'isulad.pid'),
    'cgroup-parent': cgroupParent, 'log-opts': { 'log-path': dir },
  }));
  const b = binaryFor('isulad');
  const exec = [b.cmd, ...b.prefix, '--config-file', config].join(' ');
  const unit = readFileSync(join(REPO, 'packaging/isulad.service'), 'utf8')
    .replace(/^ExecStart=.*$/m, `ExecStart=${exec}`)
    .replace(/^\[Install\][\s\S]*$/m, '');
  writeFileSync(UNIT_FILE, unit);
  assert.equal(systemctl('daemon-reload').code, 0);
});

after(async () => {
  if (hasSystemd) {
    // a container left running by the restart test goes with a last start/rm/stop round
    if (systemctl('start', UNIT).code === 0) await runIsula(['-H', host, 'rm', '-f', 'keep']);
    systemctl('stop', UNIT);
    rmSync(UNIT_FILE, { force: true });
    systemctl('daemon-reload');
    unmountUnder(dir);
    removeEmptyCgroups(cgroupParent);
  }
  rmSync(dir, { recursive: true, force: true });
});

test('start waits for READY=1, restart keeps containers, stop ends the daemon', async (t) => {
  if (!hasSystemd) return t.skip('systemd is not PID 1 on this machine');
  const s = systemctl('start', UNIT);
  assert.equal(s.code, 0, s.out);
  assert.equal(systemctl('is-active', UNIT).out.trim(), 'active');
  // start returned after READY=1: the socket serves now, no retry
  const v = await runIsula(['-H', host, 'version']);
  assert.equal(v.code, 0, v.stderr);

  const run = await runIsula(['-H', host, 'run', '-d', '--name', 'keep', 'busybox', 'sleep', '600']);
  assert.equal(run.code, 0, run.stderr);
  const r = systemctl('restart', UNIT);
  assert.equal(r.code, 0, r.out);
  const ps = await runIsula(['-H', host, 'ps', '--format', '{{.Names}} {{.Status}}']);
  assert.match(ps.stdout, /^keep Up/m, 'the container survived the restart');

  assert.equal(systemctl('stop', UNIT).code, 0);
  assert.notEqual(systemctl('is-active', UNIT).out.trim(), 'active');
  assert.equal(existsSync(join(dir, 'isulad.sock')), false, 'socket removed on stop');
});
