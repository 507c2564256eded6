import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { CD_AND_EXEC, canSwitchUser, HELPER_FD, lxcAttachArgs, needsWorkdir } from '../../../../src/runtime/lcr/exec.ts';
import { collapseDoubleCr, scriptArgs, shellExitCode, spawnExec, stripRawMark, TTY_RAW_MARK } from '../../../../src/runtime/exec-child.ts';

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
  assert.equal(scriptArgs(['x'], undefined, true)[3], `stty raw -echo 2>/dev/null; printf '\\033Pisulad-raw\\033\\\\'; 'x'; exit $?`);
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

test('exec -t: the end of the input reaches the terminal as ^D after the data, never as script(1)\'s NUL', async () => {
  // od reads script's raw pty; before, script answered the end of its stdin with a NUL ("^@")
  const { proc } = await spawnExec('c1', 'script', scriptArgs(['od', '-An', '-tx1', '-N', '2'], undefined, true), { stdin: true, tty: true, rawMark: true }, { PATH: process.env['PATH'] ?? '/usr/bin:/bin' });
  proc.stdin!.end('a');
  const out = await text(proc.stdout!);
  assert.equal(await proc.exit, 0);
  assert.equal(out.trim(), '61 04', 'the data, then ^D; no echo of the input, no NUL');
});

test('stripRawMark: the mark off the front, split or whole; other output passes untouched', async () => {
  const run = async (chunks: string[]) => {
    let ready = 0;
    const out = await text(Readable.from(chunks.map((c) => Buffer.from(c, 'latin1'))).pipe(stripRawMark(() => ready++)));
    return { out, ready: ready > 0 };
  };
  assert.deepEqual(await run([TTY_RAW_MARK + '/tmp\r\n']), { out: '/tmp\r\n', ready: true });
  assert.deepEqual(await run([TTY_RAW_MARK.slice(0, 3), TTY_RAW_MARK.slice(3) + 'x']), { out: 'x', ready: true });
  assert.deepEqual(await run(['no mark']), { out: 'no mark', ready: true });
  assert.deepEqual(await run([TTY_RAW_MARK.slice(0, 4)]), { out: '', ready: true });
});
