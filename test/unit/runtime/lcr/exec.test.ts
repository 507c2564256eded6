import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { CD_AND_EXEC, canSwitchUser, HELPER_FD, lxcAttachArgs, needsWorkdir } from '../../../../src/runtime/lcr/exec.ts';
import { collapseDoubleCr, scriptArgs, shellExitCode } from '../../../../src/runtime/exec-child.ts';

const base = { id: 'c1', lxcPath: '/var/lib/isulad/engines/lcr', env: ['PATH=/bin', 'A=b c'], uid: 1000, gid: 100 };

const cases = [
  {
    name: 'no workdir: the command as is, env cleared then set, uid and gid',
    in: { ...base, args: ['ls', '-l'] },
    want: ['-n', 'c1', '-P', '/var/lib/isulad/engines/lcr', '--clear-env', '-v', 'PATH=/bin', '-v', 'A=b c', '-u', '1000', '-g', '100', '--', 'ls', '-l'],
  },
  { name: 'workdir "/" needs no shell', in: { ...base, env: [], args: ['pwd'], cwd: '/' }, want: ['-n', 'c1', '-P', base.lxcPath, '--clear-env', '-u', '1000', '-g', '100', '--', 'pwd'] },
  {
    name: 'a workdir goes through sh: dir is $0, the command is "$@" (no re-quoting)',
    in: { ...base, env: [], args: ['echo', 'a b', '$HOME'], cwd: '/tmp/x y' },
    want: ['-n', 'c1', '-P', base.lxcPath, '--clear-env', '-u', '1000', '-g', '100', '--', '/bin/sh', '-c', CD_AND_EXEC, '/tmp/x y', 'echo', 'a b', '$HOME'],
  },
];
for (const c of cases) test(`lxcAttachArgs: ${c.name}`, () => assert.deepEqual(lxcAttachArgs(c.in), c.want));

test('needsWorkdir', () => {
  assert.equal(needsWorkdir(undefined), false);
  assert.equal(needsWorkdir(''), false);
  assert.equal(needsWorkdir('/'), false);
  assert.equal(needsWorkdir('//'), false);
  assert.equal(needsWorkdir('/tmp'), true);
});

test('scriptArgs: raw pty of the given size, every argument single-quoted, run (not exec) by the shell', () => {
  const a = scriptArgs(['lxc-attach', '-n', "it's", '--', 'sh'], { rows: 30, cols: 100 });
  assert.deepEqual(a, ['-q', '-e', '-c', `stty raw -echo rows 30 cols 100 2>/dev/null; 'lxc-attach' '-n' 'it'\\''s' '--' 'sh'; exit $?`, '/dev/null']);
  assert.equal(scriptArgs(['x'])[3], `stty raw -echo 2>/dev/null; 'x'; exit $?`);
  assert.equal(scriptArgs(['x'], { rows: 0, cols: 80 })[3], `stty raw -echo 2>/dev/null; 'x'; exit $?`, 'no size: the pty keeps its own');
});

test('shellExitCode: the code, else 128 + the signal number, else 255', () => {
  assert.equal(shellExitCode(3, null), 3);
  assert.equal(shellExitCode(null, 'SIGKILL'), 137);
  assert.equal(shellExitCode(null, 'SIGUSR1'), 138);
  assert.equal(shellExitCode(null, null), 255);
});

test('collapseDoubleCr: \\r\\r\\n becomes \\r\\n, also across chunk boundaries', async () => {
  const chunks = ['a\r\r\nb\r', '\r\nc\r\r', '\nd\r\n', 'e\r'].map((s) => Buffer.from(s));
  assert.equal(await text(Readable.from(chunks).pipe(collapseDoubleCr())), 'a\r\nb\r\nc\r\nd\r\ne\r');
});

test('lxcAttachArgs with supplementary groups: lxc-attach runs the helper (fd 3) as root, it switches to the user', () => {
  assert.deepEqual(lxcAttachArgs({ id: 'c', lxcPath: '/l', args: ['id'], env: ['A=1'], uid: 1000, gid: 100, groups: [5, 50000] }), [
    '-n', 'c', '-P', '/l', '--clear-env', '-v', 'A=1', '-u', '0', '-g', '0', '--', `/proc/self/fd/${HELPER_FD}`, 'exec', '3', '1000', '100', '5,50000', 'id',
  ]);
});

test('canSwitchUser: CapBnd must hold CAP_SETGID and CAP_SETUID', () => {
  assert.equal(canSwitchUser('CapBnd:\t00000000a80425fb\n'), true); // docker's default set
  assert.equal(canSwitchUser('CapBnd:\t0000000000000000\n'), false);
  assert.equal(canSwitchUser('CapBnd:\t0000000000000040\n'), false, 'SETGID only');
  assert.equal(canSwitchUser('no such line'), false);
});
