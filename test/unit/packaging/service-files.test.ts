// The files the package installs besides the executable: the systemd unit (checked by
// systemd-analyze where it exists, and for the settings the daemon relies on), the SysV/BusyBox
// init script (parses in sh) and the default daemon.json (accepted by the daemon's own loader).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseFlags } from '../../../src/util/flags.ts';
import { DAEMON_FLAGS, loadDaemonConfig } from '../../../src/daemon/config.ts';

const PKG = resolve(import.meta.dirname, '../../../packaging');
const unit = readFileSync(join(PKG, 'isulad.service'), 'utf8');

function setting(key: string): string[] {
  return [...unit.matchAll(new RegExp(`^${key}=(.*)$`, 'gm'))].map((m) => m[1] as string);
}

test('the unit: notify, process kill mode, delegation, fd limit, restart on failure', () => {
  assert.deepEqual(setting('Type'), ['notify']);
  assert.deepEqual(setting('NotifyAccess'), ['all'], 'READY=1 comes from the daemon\'s relay process');
  assert.deepEqual(setting('KillMode'), ['process'], 'containers outlive the daemon');
  assert.deepEqual(setting('Delegate'), ['yes']);
  assert.ok(Number(setting('LimitNOFILE')[0]) >= 65536);
  assert.deepEqual(setting('Restart'), ['on-failure']);
  assert.deepEqual(setting('ExecStart'), ['/usr/bin/isulad']);
  assert.deepEqual(setting('WantedBy'), ['multi-user.target']);
  assert.deepEqual(setting('Environment'), ['MALLOC_ARENA_MAX=2'], 'two malloc arenas (docs/performance.md)');
});

test('systemd-analyze verify accepts the unit', (t) => {
  if (spawnSync('sh', ['-c', 'command -v systemd-analyze']).status !== 0) {
    t.skip('systemd-analyze not installed');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'unit-'));
  try {
    // Verify against an executable that exists here; the unit text is otherwise the shipped one.
    const file = join(dir, 'isulad.service');
    writeFileSync(file, unit.replace('ExecStart=/usr/bin/isulad', `ExecStart=${process.execPath}`));
    const r = spawnSync('systemd-analyze', ['verify', '--man=no', file], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /isulad\.service/, r.stderr);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the init script parses and has an LSB header', () => {
  const r = spawnSync('sh', ['-n', join(PKG, 'isulad.init')], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const text = readFileSync(join(PKG, 'isulad.init'), 'utf8');
  assert.match(text, /^### BEGIN INIT INFO\n# Provides: +isulad$/m);
});

test('the default daemon.json is accepted and gives the documented defaults', async () => {
  const file = join(PKG, 'daemon.json');
  const c = await loadDaemonConfig({ parsed: parseFlags(DAEMON_FLAGS, ['--config-file', file]), env: {} });
  assert.deepEqual(c.hosts, ['unix:///var/run/isulad.sock']);
  assert.equal(c.group, 'isula');
  assert.equal(c.graph, '/var/lib/isulad');
  assert.equal(c.logDriver, 'file');
});
