import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nextBackoff, shouldRestart, validateRestartPolicy } from '../../../../src/services/containers/restart-policy.ts';
import { parseRestartPolicy } from '../../../../src/cli/lib/create-flags.ts';
import { isStaleExit } from '../../../../src/services/containers/exit-handler.ts';
import { inspectStatus } from '../../../../src/services/containers/status.ts';
import { parseVolumeSpec } from '../../../../src/util/volume-spec.ts';
import { mergeEnv, parseLogSize } from '../../../../src/services/containers/create.ts';

test('parseRestartPolicy', () => {
  const ok: Array<[string, string, number]> = [
    ['no', 'no', 0],
    ['always', 'always', 0],
    ['unless-stopped', 'unless-stopped', 0],
    ['on-failure', 'on-failure', 0],
    ['on-failure:3', 'on-failure', 3],
  ];
  for (const [s, name, n] of ok) assert.deepEqual(parseRestartPolicy(s), { Name: name, MaximumRetryCount: n }, s);
  for (const bad of ['sometimes', 'always:2', 'on-failure:x', 'on-failure:1:2']) assert.throws(() => parseRestartPolicy(bad), /restart policy|retry count/, bad);
});

test('validateRestartPolicy guards JSON from clients', () => {
  validateRestartPolicy({ Name: 'on-failure', MaximumRetryCount: 3 });
  assert.throws(() => validateRestartPolicy({ Name: 'always', MaximumRetryCount: 3 }), /cannot be used/);
  assert.throws(() => validateRestartPolicy({ Name: 'on-failure', MaximumRetryCount: -1 }), /non-negative/);
  assert.throws(() => validateRestartPolicy({ Name: 'weekly' as 'no', MaximumRetryCount: 0 }), /invalid restart policy/);
});

test('shouldRestart table', () => {
  const p = (s: string) => parseRestartPolicy(s);
  const cases: Array<[string, number, number, boolean, boolean]> = [
    ['no', 1, 0, false, false],
    ['always', 0, 5, false, true],
    ['always', 1, 0, true, false], // manual stop wins
    ['unless-stopped', 0, 0, false, true],
    ['on-failure', 0, 0, false, false],
    ['on-failure', 1, 100, false, true], // 0 = unlimited
    ['on-failure:2', 1, 1, false, true],
    ['on-failure:2', 1, 2, false, false],
    ['on-reboot', 129, 3, false, true], // the init ended by reboot(2): iSulad's system-container reboot
    ['on-reboot', 1, 0, false, false],
    ['on-reboot', 0, 0, false, false],
    ['on-reboot', 129, 0, true, false],
  ];
  for (const [pol, code, count, manual, want] of cases) {
    assert.equal(shouldRestart(p(pol), { exitCode: code, restartCount: count, manuallyStopped: manual }), want, `${pol} ${code} ${count} ${manual}`);
  }
});

test('back-off doubles from 100 ms to 1 min and resets after a 10 s run', () => {
  let d: number | undefined;
  const seen: number[] = [];
  for (let i = 0; i < 12; i++) seen.push((d = nextBackoff(d, 50)));
  assert.deepEqual(seen.slice(0, 4), [100, 200, 400, 800]);
  assert.equal(seen[11], 60_000);
  assert.equal(nextBackoff(60_000, 10_000), 100);
});

test('stale exits compare at the writer precision', () => {
  assert.equal(isStaleExit({ exitCode: 0, finishedAt: '2026-01-01T00:00:01.5Z' }, '2026-01-01T00:00:01.6Z'), true);
  assert.equal(isStaleExit({ exitCode: 0, finishedAt: '2026-01-01T00:00:01.7Z' }, '2026-01-01T00:00:01.6Z'), false);
  // whole seconds from the writer: same second is not stale
  assert.equal(isStaleExit({ exitCode: 0, finishedAt: '2026-01-01T00:00:01Z' }, '2026-01-01T00:00:01.6Z'), false);
  assert.equal(isStaleExit({ exitCode: 0, finishedAt: '2026-01-01T00:00:00Z' }, '2026-01-01T00:00:01.6Z'), true);
});

test('inspect status: inited until first start', () => {
  const base = { Running: false, Paused: false, Restarting: false, OOMKilled: false, Pid: 0, PStartTime: '', ExitCode: 0, Error: '', ManuallyStopped: false };
  const z = '0001-01-01T00:00:00Z';
  assert.equal(inspectStatus({ ...base, StartedAt: z, FinishedAt: z }), 'inited');
  assert.equal(inspectStatus({ ...base, Running: true, StartedAt: 't', FinishedAt: z }), 'running');
  assert.equal(inspectStatus({ ...base, Running: true, Paused: true, StartedAt: 't', FinishedAt: z }), 'paused');
  assert.equal(inspectStatus({ ...base, Restarting: true, StartedAt: 't', FinishedAt: 't' }), 'restarting');
  assert.equal(inspectStatus({ ...base, StartedAt: 't', FinishedAt: 't' }), 'exited');
});

test('helpers: env merge, log sizes, binds', () => {
  assert.deepEqual(mergeEnv(['A=1', 'B=2'], ['B=3', 'C']), ['A=1', 'B=3', 'C']);
  assert.equal(parseLogSize('10m', 0), 10 * 1024 * 1024);
  assert.equal(parseLogSize('512k', 0), 512 * 1024);
  assert.equal(parseLogSize(undefined, 7), 7);
  assert.deepEqual(parseVolumeSpec('/a:/b:ro,rshared'), { kind: 'bind', source: '/a', destination: '/b', readonly: true, propagation: 'rshared', mode: 'ro,rshared' });
  assert.equal(parseVolumeSpec('vol:/b').kind, 'volume');
  assert.throws(() => parseVolumeSpec('/a:/b:xx'), /invalid mode/);
});
