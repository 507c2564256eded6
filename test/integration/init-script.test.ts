// packaging/isulad.init (boards without systemd): start brings the daemon up and returns once the
// socket exists, status reports it, stop ends the daemon but not its containers, and start again
// restores them. Own root, state, socket and pidfile under a temp dir.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { binaryFor, removeEmptyCgroups, runIsula, unmountUnder } from '../helpers/daemon.ts';

const INIT = resolve(import.meta.dirname, '../../packaging/isulad.init');
const dir = mkdtempSync(join(tmpdir(), 'isulad-init-'));
const sock = join(dir, 'isulad.sock');
const pidfile = join(dir, 'isulad.pid');
const cgroupParent = `isulad-test-init-${process.pid}`;
const host = `unix://${sock}`;

function isuladPath(): string {
  const b = binaryFor('isulad');
  if (b.prefix.length === 0) return b.cmd; // the SEA executable, named isulad
  const wrapper = join(dir, 'isulad');
  writeFileSync(wrapper, `#!/bin/sh\nexec ${[b.cmd, ...b.prefix].map((a) => `'${a}'`).join(' ')} "$@"\n`);
  chmodSync(wrapper, 0o755);
  return wrapper;
}

const config = join(dir, 'daemon.json');
writeFileSync(config, JSON.stringify({
  hosts: [host], graph: join(dir, 'root'), state: join(dir, 'state'), pidfile,
  'cgroup-parent': cgroupParent, 'log-opts': { 'log-path': dir },
  // no default bridge network, as in test/helpers/daemon.ts: nothing here needs one, and it would stay on the host
  bridge: 'none',
}));
const env: NodeJS.ProcessEnv = { ...process.env, ISULAD: isuladPath(), ISULAD_OPTS: `--config-file ${config}`, PIDFILE: pidfile, SOCKET: sock };
delete env['NODE_OPTIONS'];
delete env['NODE_TEST_CONTEXT'];

function init(action: string) {
  return spawnSync('sh', [INIT, action], { env, encoding: 'utf8', timeout: 360_000 });
}

after(() => {
  init('stop');
  unmountUnder(dir);
  removeEmptyCgroups(cgroupParent);
  rmSync(dir, { recursive: true, force: true });
});

test('start, status, stop and start again; the container outlives the stop', async () => {
  const s = init('start');
  assert.equal(s.status, 0, s.stdout + s.stderr);
  assert.match(s.stdout, /^isulad started \(pid \d+\)$/m);
  const pid = /pid (\d+)/.exec(s.stdout)![1];
  assert.match(readFileSync(`/proc/${pid}/environ`, 'latin1'), /(^|\0)MALLOC_ARENA_MAX=2\0/, 'two malloc arenas, as the unit');
  assert.equal(init('status').status, 0);
  assert.equal(init('start').status, 0, 'start of a running daemon is a no-op');

  const run = await runIsula(['-H', host, 'run', '-d', '--name', 'keep', 'busybox', 'sleep', '600']);
  assert.equal(run.code, 0, run.stderr);

  const st = init('stop');
  assert.equal(st.status, 0, st.stdout + st.stderr);
  const down = init('status');
  assert.equal(down.status, 3);
  assert.match(down.stdout, /not running/);

  assert.equal(init('start').status, 0);
  const ps = await runIsula(['-H', host, 'ps', '--format', '{{.Names}} {{.Status}}']);
  assert.equal(ps.code, 0, ps.stderr);
  assert.match(ps.stdout, /^keep Up/m, 'the container kept running across stop and start');
  const rm = await runIsula(['-H', host, 'rm', '-f', 'keep']);
  assert.equal(rm.code, 0, rm.stderr);
  assert.equal(init('stop').status, 0);
});
