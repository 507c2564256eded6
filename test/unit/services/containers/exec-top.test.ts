import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mergeEnv } from '../../../../src/services/containers/exec.ts';
import { filterPsOutput } from '../../../../src/services/containers/top.ts';

test('mergeEnv: -e overrides the container env in place, defaults only when missing', () => {
  assert.deepEqual(mergeEnv(['PATH=/bin', 'A=1', 'B=2'], ['A=3', 'C=4', 'junk', '=x'], false), ['PATH=/bin', 'A=3', 'B=2', 'C=4', 'HOME=/']);
  assert.deepEqual(mergeEnv([], [], true), ['TERM=xterm', 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'HOME=/']);
  assert.deepEqual(mergeEnv(['TERM=vt100', 'HOME=/root'], [], true), ['TERM=vt100', 'HOME=/root', 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin']);
});

const PS = `UID          PID    PPID  C STIME TTY          TIME CMD
root           1       0  0 10:00 ?        00:00:01 /sbin/init
root         200       1  0 10:01 ?        00:00:00 sh -c while true; do sleep 1; done
root         201     200  0 10:01 ?        00:00:00 sleep 1
`;

test('filterPsOutput keeps the header and the rows of the given pids', () => {
  assert.deepEqual(filterPsOutput(PS, new Set([200, 201])), {
    titles: 'UID          PID    PPID  C STIME TTY          TIME CMD',
    processes: [
      'root         200       1  0 10:01 ?        00:00:00 sh -c while true; do sleep 1; done',
      'root         201     200  0 10:01 ?        00:00:00 sleep 1',
    ],
  });
  assert.deepEqual(filterPsOutput('  PID COMMAND\n    7 sh\n    8 x\n', new Set([7])).processes, ['    7 sh']);
});

test('filterPsOutput: no PID column is an invalid argument', () => {
  assert.throws(() => filterPsOutput('USER COMMAND\nroot sh\n', new Set([1])), /Couldn't find PID field in ps output/);
});
