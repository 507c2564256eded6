import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execRequestFrom } from '../../../../src/api/isula/exec.ts';

test('execRequestFrom: iSulad ExecRequest fields to the service request', () => {
  const wire = { container_id: 'c1', tty: true, open_stdin: true, attach_stdin: true, argv: ['sh', '-c', 'x'], env: ['A=1', 5], user: 'nobody', workdir: '/tmp' };
  assert.deepEqual(execRequestFrom(wire, false, { rows: 24, cols: 80 }), {
    id: 'c1',
    req: { args: ['sh', '-c', 'x'], env: ['A=1'], user: 'nobody', workdir: '/tmp', tty: true, stdin: true, detach: false, size: { rows: 24, cols: 80 } },
  });
  // detached: never a stdin; empty user/workdir and a 0x0 size are left out
  assert.deepEqual(execRequestFrom({ ...wire, user: '', workdir: '' }, true, { rows: 0, cols: 0 }), {
    id: 'c1',
    req: { args: ['sh', '-c', 'x'], env: ['A=1'], tty: true, stdin: false, detach: true },
  });
});

test('execRequestFrom: a container id and a command are required', () => {
  assert.throws(() => execRequestFrom({ argv: ['ls'] }, false), /missing container id/);
  assert.throws(() => execRequestFrom({ container_id: 'c1', argv: [] }, false), /no command specified/);
});
