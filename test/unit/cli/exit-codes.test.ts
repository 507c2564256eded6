import { test } from 'node:test';
import assert from 'node:assert/strict';
import { status } from '@grpc/grpc-js';
import { exitCodeOf, exitCodeOfError, kindOfStatus, startFailureCode } from '../../../src/cli/exit-codes.ts';
import { statusOfKind } from '../../../src/api/status.ts';
import type { ErrorKind } from '../../../src/util/errors.ts';

test('the CLI reads back the kind the daemon sent (status round trip)', () => {
  for (const [kind, code] of Object.entries(statusOfKind)) {
    assert.equal(kindOfStatus(code), kind, `kind ${kind} → status ${code}`);
  }
});

test('status numbers match grpc-js', () => {
  assert.equal(kindOfStatus(status.NOT_FOUND), 'not-found');
  assert.equal(kindOfStatus(status.UNAVAILABLE), 'unavailable');
  assert.equal(kindOfStatus(status.UNAUTHENTICATED), 'permission-denied');
  assert.equal(kindOfStatus(status.ABORTED), 'conflict');
  assert.equal(kindOfStatus(99), 'internal');
});

const cases: Array<{ kind: ErrorKind; profile?: 'default' | 'image' | 'run'; want: number }> = [
  { kind: 'invalid-argument', want: 125 },
  { kind: 'permission-denied', want: 126 },
  { kind: 'not-found', want: 1 },
  { kind: 'internal', want: 1 },
  { kind: 'not-found', profile: 'image', want: 20 },
  { kind: 'already-exists', profile: 'image', want: 3 },
  { kind: 'conflict', profile: 'image', want: 2 },
  { kind: 'failed-precondition', profile: 'image', want: 2 },
  { kind: 'not-found', profile: 'run', want: 125 },
  { kind: 'unavailable', profile: 'run', want: 125 },
];
for (const c of cases) {
  test(`${c.kind} (${c.profile ?? 'default'}) exits ${c.want}`, () => assert.equal(exitCodeOf(c.kind, c.profile), c.want));
}

test('iSulad: whatever the daemon refuses exits 1 for plain commands (create, start without -a), 125 for run and start -a', () => {
  assert.equal(exitCodeOf('invalid-argument', 'default', true), 1);
  assert.equal(exitCodeOf('not-found', 'default', true), 1);
  assert.equal(exitCodeOf('invalid-argument', 'default', false), 125, 'the CLI\'s own argument checks');
  assert.equal(exitCodeOf('invalid-argument', 'run', true), 125);
  assert.equal(exitCodeOf('not-found', 'image', true), 20);
});

function daemonError(message: string, kind: ErrorKind): Error {
  const e = Object.assign(new Error(message), { kind });
  e.name = 'DaemonError';
  return e;
}

test('iSulad\'s run and start -a: 127/126 when the daemon says the command could not be run, else 125', () => {
  assert.equal(startFailureCode('exec: "nope": executable file not found in $PATH'), 127);
  assert.equal(startFailureCode('exec /bin/nope: No such file or directory'), 127);
  assert.equal(startFailureCode('exec /etc/passwd/x: not a directory'), 127);
  assert.equal(startFailureCode('hook /hooks/h.sh: Permission denied'), 126);
  assert.equal(startFailureCode('Cannot start a paused container, try unpause instead.'), undefined);
  assert.equal(exitCodeOfError(daemonError('exec: /bin/nope: no such file or directory', 'internal'), 'start'), 127);
  assert.equal(exitCodeOfError(daemonError('hook: permission denied', 'internal'), 'start'), 126);
  assert.equal(exitCodeOfError(daemonError('Cannot start a paused container, try unpause instead.', 'failed-precondition'), 'start'), 125);
  // start without -a and create: 1 whatever the message
  assert.equal(exitCodeOfError(daemonError('exec: /bin/nope: no such file or directory', 'internal'), 'default'), 1);
});
