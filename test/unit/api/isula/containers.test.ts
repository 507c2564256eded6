import { test } from 'node:test';
import assert from 'node:assert/strict';
import { containerToProto, createRequestFrom, eventToProto } from '../../../../src/api/isula/containers.ts';
import type { ContainerRecord } from '../../../../src/services/containers/types.ts';
import { defaultHostConfig } from '../../../../src/services/containers/create.ts';

test('CreateRequest JSON blobs become the service request (Pull is lifted out of customconfig)', () => {
  const r = createRequestFrom({
    id: 'web',
    image: 'busybox',
    runtime: 'lcr',
    customconfig: JSON.stringify({ Cmd: ['true'], Env: ['A=1'], Pull: 'never' }),
    hostconfig: JSON.stringify({ Memory: 1024, AutoRemove: true }),
  });
  assert.deepEqual(r, { name: 'web', image: 'busybox', runtime: 'lcr', pull: 'never', config: { Cmd: ['true'], Env: ['A=1'] }, hostConfig: { Memory: 1024, AutoRemove: true } });
  assert.throws(() => createRequestFrom({ id: '', image: 'b', runtime: '', customconfig: '{', hostconfig: '' }), /invalid customconfig JSON/);
  assert.throws(() => createRequestFrom({ id: '', image: 'b', runtime: '', customconfig: '[]', hostconfig: '' }), /not an object/);
});

test('container records map to the List message', () => {
  const rec: ContainerRecord = {
    Id: 'a'.repeat(64), Name: 'web', Created: '2026-01-01T00:00:10.5Z', Image: 'busybox', ImageId: 'b'.repeat(64), Runtime: 'lcr',
    Path: 'sh', Args: ['-c', 'exit 3'], LogPath: '/x', RestartCount: 2, HostConfig: defaultHostConfig(),
    Config: { Hostname: '', User: '', Env: [], Tty: false, OpenStdin: false, Cmd: [], Entrypoint: [], Labels: {}, Annotations: {}, Volumes: {}, Image: 'busybox', ImageRef: '', WorkingDir: '', StopSignal: 'SIGTERM' },
    State: { Running: false, Paused: false, Restarting: false, OOMKilled: false, Pid: 0, PStartTime: '', ExitCode: -1, Error: '', StartedAt: '2026-01-01T00:00:11Z', FinishedAt: '2026-01-01T00:00:12Z', ManuallyStopped: false },
  };
  const c = containerToProto(rec);
  assert.equal(c.status, 4);
  assert.equal(c.command, 'sh -c exit 3');
  assert.equal(c.exit_code, 255, 'a negative code travels as its low byte (uint32 field)');
  assert.equal(c.created, String(Date.parse('2026-01-01T00:00:10Z') / 1000));
  assert.equal(c.restartcount, 2);
  assert.equal(containerToProto({ ...rec, State: { ...rec.State, StartedAt: '0001-01-01T00:00:00Z', FinishedAt: '0001-01-01T00:00:00Z' } }).status, 1);
  assert.equal(containerToProto({ ...rec, State: { ...rec.State, Running: true, Paused: true } }).status, 5);
});

test('bus events map to iSulad Event messages', () => {
  const e = eventToProto({ type: 'container', action: 'die', id: 'x', attributes: { exitCode: '3' }, time: 1_767_225_600_123_456_789n });
  assert.deepEqual(e, { timestamp: { seconds: '1767225600', nanos: 123_456_789 }, opt: 'container die', id: 'x', annotations: { exitCode: '3' } });
});
