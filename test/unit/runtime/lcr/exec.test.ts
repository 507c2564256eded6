import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

test('scriptArgs: raw pty of the given size, announced by the mark, every argument single-quoted, run (not exec) by the shell', () => {
  const mark = `printf '\\033Pisulad-raw\\033\\\\'; `;
  const a = scriptArgs(['lxc-attach', '-n', "it's", '--', 'sh'], { rows: 30, cols: 100 });
  assert.deepEqual(a, ['-q', '-e', '-c', `stty raw -echo rows 30 cols 100 2>/dev/null; ${mark}'lxc-attach' '-n' 'it'\\''s' '--' 'sh'; exit $?`, '/dev/null']);
  assert.equal(scriptArgs(['x'])[3], `stty raw -echo 2>/dev/null; ${mark}'x'; exit $?`);
  assert.equal(scriptArgs(['x'], { rows: 0, cols: 80 })[3], `stty raw -echo 2>/dev/null; ${mark}'x'; exit $?`, 'no size: the pty keeps its own');
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
  const { proc } = await spawnExec('c1', 'script', scriptArgs(['od', '-An', '-tx1', '-N', '2']), { stdin: true, tty: true, holdInput: true }, { PATH: process.env['PATH'] ?? '/usr/bin:/bin' });
  proc.stdin!.end('a');
  const out = await text(proc.stdout!);
  assert.equal(await proc.exit, 0);
  assert.equal(out.trim(), '61 04', 'the data, then ^D; no echo of the input, no NUL');
});

test('stripRawMark: the mark taken out, split or whole, ready once it passed; other output passes untouched', async () => {
  const run = async (chunks: string[]) => {
    let ready = 0;
    const out = await text(Readable.from(chunks.map((c) => Buffer.from(c, 'latin1'))).pipe(stripRawMark(() => ready++)));
    return { out, ready: ready > 0 };
  };
  assert.deepEqual(await run([TTY_RAW_MARK + '/tmp\r\n']), { out: '/tmp\r\n', ready: true });
  assert.deepEqual(await run([TTY_RAW_MARK.slice(0, 3), TTY_RAW_MARK.slice(3) + 'x']), { out: 'x', ready: true });
  assert.deepEqual(await run(['no mark']), { out: 'no mark', ready: true });
  assert.deepEqual(await run([TTY_RAW_MARK.slice(0, 4)]), { out: '', ready: true });
  // lcr: input that reached script's pty before the shell's stty is echoed ahead of the mark
  assert.deepEqual(await run(['\r\n', TTY_RAW_MARK.slice(0, 5), TTY_RAW_MARK.slice(5) + '20 70\r\n']), { out: '\r\n20 70\r\n', ready: true });
  assert.deepEqual(await run(['a\x1b[1m', 'b']), { out: 'a\x1b[1mb', ready: true }, 'an escape that is not the mark');
  // ready() comes with the mark, not with whatever output came first
  let early = 0;
  const t = stripRawMark(() => early++);
  t.resume();
  t.write(Buffer.from('echoed input\r\n'));
  await new Promise((r) => setImmediate(r));
  assert.equal(early, 0, 'not before the mark');
  t.write(Buffer.from(TTY_RAW_MARK));
  await new Promise((r) => setImmediate(r));
  assert.equal(early, 1);
});

test('exec -t resize: a size asked for at once waits for script\'s pty, the latest of several wins', { timeout: 60_000 }, async () => {
  // script's shell sets the first size (`stty rows 20 cols 70`); a resize applied before that
  // was undone by it (or failed: no child yet), and a lost size is never sent again by the
  // client. A slow stty in the shell's PATH (not the daemon's) holds that window open.
  const real = ['/usr/bin/stty', '/bin/stty'].find((f) => existsSync(f)) as string;
  const dir = mkdtempSync(join(tmpdir(), 'slow-stty-'));
  writeFileSync(join(dir, 'stty'), `#!/bin/sh\nsleep 0.3\nexec ${real} "$@"\n`, { mode: 0o755 });
  const { proc } = await spawnExec('c1', 'script', scriptArgs(['sh', '-c', 'read x; stty size'], { rows: 20, cols: 70 }), { stdin: true, tty: true, holdInput: true }, { PATH: `${dir}:${process.env['PATH'] ?? '/usr/bin:/bin'}` });
  try {
    const out = text(proc.stdout!);
    await Promise.all([proc.resize({ rows: 30, cols: 90 }), proc.resize({ rows: 35, cols: 100 }), proc.resize({ rows: 40, cols: 120 })]);
    proc.stdin!.write('\n');
    assert.equal(await proc.exit, 0);
    assert.equal((await out).trim(), '40 120');
    await assert.rejects(proc.resize({ rows: 10, cols: 10 }), /has ended/, 'after the exit: an error that says so');
  } finally {
    proc.kill('SIGKILL');
  }
  // lcr (input not held): typed before the shell's stty, input is echoed ahead of the mark; that
  // echo was taken for the go-ahead, and the resize found script's child without its pty yet
  const lcr = await spawnExec('c1', 'script', scriptArgs(['sh', '-c', 'read x; stty size'], { rows: 20, cols: 70 }), { stdin: true, tty: true }, { PATH: `${dir}:${process.env['PATH'] ?? '/usr/bin:/bin'}` });
  try {
    const out = text(lcr.proc.stdout!);
    lcr.proc.stdin!.write('x');
    await lcr.proc.resize({ rows: 40, cols: 120 });
    lcr.proc.stdin!.write('\n');
    assert.equal(await lcr.proc.exit, 0);
    assert.match(await out, /40 120/);
  } finally {
    lcr.proc.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});

test('exec -t resize: sizes asked for together land in order, the latest last', { timeout: 60_000 }, async () => {
  // two resizes in flight ran two stty that could land in either order (`stty rows 40 cols 120`
  // on the client's terminal is itself two changes, so two Resizes could come at once): a stty
  // in the daemon's PATH that is slow for the older size makes that order certain
  const real = ['/usr/bin/stty', '/bin/stty'].find((f) => existsSync(f)) as string;
  const dir = mkdtempSync(join(tmpdir(), 'slow-stty-'));
  writeFileSync(join(dir, 'stty'), `#!/bin/sh\ncase "$*" in *"rows 30 "*) sleep 0.3;; esac\nexec ${real} "$@"\n`, { mode: 0o755 });
  const path = process.env['PATH'] ?? '/usr/bin:/bin';
  const { proc } = await spawnExec('c1', 'script', scriptArgs(['sh', '-c', 'echo up; read x; stty size'], { rows: 20, cols: 70 }), { stdin: true, tty: true, holdInput: true }, { PATH: path });
  let out = '';
  proc.stdout!.on('data', (b: Buffer) => (out += b.toString()));
  try {
    while (!out.includes('up')) await new Promise((r) => setTimeout(r, 20));
    process.env['PATH'] = `${dir}:${path}`;
    await Promise.all([proc.resize({ rows: 30, cols: 90 }), proc.resize({ rows: 40, cols: 120 })]);
    proc.stdin!.write('\n');
    assert.equal(await proc.exit, 0);
    assert.match(out, /40 120/);
  } finally {
    process.env['PATH'] = path;
    proc.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});
