// iSulad CI, container_cases: lcr_exec.sh, runc_exec.sh, cp.sh, re-expressed against our CLI on
// one real daemon (lcr by default; runc_exec.sh's row asks for --runtime runc on the same daemon).
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, linkSync, lstatSync, mkdirSync, readdirSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Daemon } from '../helpers/daemon.ts';
import { RUNTIMES } from '../integration/container-fixture.ts';
import { canRun, fails, ok, skipReason, until, suiteDaemon } from './compat-fixture.ts';

const runc = RUNTIMES.find((r) => r.name === 'runc');

describe('iSulad CI container_cases: exec and cp', { skip: skipReason }, () => {
  let d: Daemon;
  let host: string; // a host directory of this test (iSulad's scripts use /tmp/subcmdcp)
  suiteDaemon((started) => (d = started), { runtime: 'lcr' });
  before(() => {
    if (!canRun) return;
    host = join(d.dir, 'subcmdcp');
    mkdirSync(host);
  });

  test('lcr_exec.sh: --workdir (made when missing), HOME of root, exit codes, -d exits 0', async () => {
    await ok(d, ['run', '-tid', '--runtime', 'lcr', '-n', 'cont_workdir', 'busybox', 'sh']);
    assert.equal((await ok(d, ['exec', '-ti', '--workdir', '/workdir', 'cont_workdir', 'pwd'])).stdout.trim(), '/workdir');
    assert.equal((await ok(d, ['exec', 'cont_workdir', 'sh', '-c', 'echo $HOME'])).stdout, '/root\n');
    await fails(d, ['exec', '-ti', 'cont_workdir', '/bin/sh', '-c', 'exit 1'], 1);
    await fails(d, ['exec', '-ti', 'cont_workdir', '/bin/sh', '-c', 'exit 2'], 2);
    await ok(d, ['exec', '-tid', 'cont_workdir', '/bin/sh', '-c', 'exit 2']);
    await ok(d, ['rm', '-f', 'cont_workdir']);
  });

  for (const rt of ['lcr', 'runc'] as const) {
    test(`runc_exec.sh on ${rt}: codes, workdir, a failed exec, a large output whole, a background child`, { skip: rt === 'runc' ? runc?.skip ?? 'no runc' : false }, async () => {
      const name = `exec_${rt}`;
      await ok(d, ['run', '-itd', '-n', name, '--runtime', rt, 'busybox', 'sh']);
      await ok(d, ['exec', '-it', name, 'date']);
      await fails(d, ['exec', '-ti', name, '/bin/sh', '-c', 'exit 1'], 1);
      await fails(d, ['exec', '-ti', name, '/bin/sh', '-c', 'exit 2'], 2);
      await ok(d, ['exec', '-tid', name, '/bin/sh', '-c', 'exit 2']);
      assert.equal((await ok(d, ['exec', '-ti', '--workdir', '/tmp', name, 'pwd'])).stdout.trim(), '/tmp');
      await fails(d, ['exec', '-it', name, 'datee']);
      // iSulad writes 2 GB and checks the copy; 32 MiB shows the same (nothing lost or added)
      await ok(d, ['exec', name, 'dd', 'if=/dev/zero', 'of=/test2', 'bs=1M', 'count=32']);
      const big = await d.isula(['exec', name, 'cat', '/test2'], { timeoutMs: 120_000 });
      assert.equal(big.code, 0, big.stderr);
      assert.equal(Buffer.byteLength(big.stdout, 'latin1'), 32 * 1024 * 1024);
      // the exec returns when its process exits, although a background child holds the output
      // (runc: the exec's process is reaped by conmon, whose exit ends the exec)
      const bg = await d.isula(['exec', name, 'sh', '-c', 'echo before; sleep 999 & exit 3'], { timeoutMs: 60_000 });
      assert.equal(bg.code, 3, bg.stderr);
      assert.equal(bg.stdout, 'before\n');
      await ok(d, ['exec', '-ti', name, 'sh', '-c', 'sleep 999 & exit']);
      // the same with stdin open (-i): the runtime must not wait for the sleep's copies either
      const bgi = await d.isula(['exec', '-i', name, 'sh', '-c', 'read l; echo got $l; sleep 997 & exit 5'], { input: 'line\n', timeoutMs: 60_000 });
      assert.equal(bgi.code, 5, bgi.stderr);
      assert.equal(bgi.stdout, 'got line\n');
      await ok(d, ['rm', '-f', name]);
    });
  }

  test('cp.sh from a container: files, dirs, renames, "/.", errors', async () => {
    await ok(d, ['run', '-n', 'test_cmd_cp', '-itd', 'busybox']);
    await ok(d, ['exec', 'test_cmd_cp', 'mkdir', '-p', '/subcmdcp']);
    assert.match((await fails(d, ['cp', 'nonexists:etc', host])).stderr, /No such container/);
    assert.match((await fails(d, ['cp', 'nonexists:etc', 'test_cmd_cp:/tmp'])).stderr, /copying between containers is not supported/);
    await ok(d, ['cp', 'test_cmd_cp:etc/passwd', host]);
    assert.ok(statSync(join(host, 'passwd')).isFile());
    await ok(d, ['cp', 'test_cmd_cp:../etc/passwd', join(host, 'passwd_renamed')]);
    assert.ok(statSync(join(host, 'passwd_renamed')).isFile());
    await fails(d, ['cp', 'test_cmd_cp:/etc/../etc/passwd/', host]);
    await fails(d, ['cp', 'test_cmd_cp:/etc/nonexists', host]);
    writeFileSync(join(host, 'etc'), '');
    assert.match((await fails(d, ['cp', 'test_cmd_cp:/etc', join(host, 'etc')])).stderr, /cannot copy directory to file/);
    rmSync(join(host, 'etc'));
    assert.match((await fails(d, ['cp', 'test_cmd_cp:/etc/passwd', join(host, 'nonexists') + '/'])).stderr, /no such directory/);
    await ok(d, ['cp', 'test_cmd_cp:etc', host]);
    assert.ok(statSync(join(host, 'etc')).isDirectory());
    await ok(d, ['cp', 'test_cmd_cp:../etc', join(host, 'etc_renamed')]);
    assert.ok(statSync(join(host, 'etc_renamed', 'passwd')).isFile());
    mkdirSync(join(host, 'etcfiles'));
    await ok(d, ['cp', 'test_cmd_cp:/etc/.', join(host, 'etcfiles')]);
    assert.ok(statSync(join(host, 'etcfiles', 'passwd')).isFile());
    await fails(d, ['cp', 'test_cmd_cp:/nonexists', host]);
  });

  test('cp.sh into a container: files, dirs, hardlinks, modes, errors', async () => {
    const c = 'test_cmd_cp';
    const ls = async (p: string) => (await d.isula(['exec', c, 'ls', p])).code === 0;
    assert.match((await fails(d, ['cp', '/etc/passwd', 'nonexists:/subcmdcp'])).stderr, /No such container/);
    await ok(d, ['cp', '/etc/passwd', `${c}:./subcmdcp`]);
    assert.ok(await ls('/subcmdcp/passwd'));
    await ok(d, ['cp', '/etc/passwd', `${c}:../subcmdcp/passwd_renamed`]);
    assert.ok(await ls('/subcmdcp/passwd_renamed'));
    assert.match((await fails(d, ['cp', '/etc/passwd', `${c}:/etc/passwd/`])).stderr, /no such directory/);
    assert.match((await fails(d, ['cp', '/etc/../etc/passwd', `${c}:/etc/passwd/nonexists`])).stderr, /extraction point is not a directory/);
    assert.match((await fails(d, ['cp', '/etc/passwd', `${c}:/subcmdcp/nonexists/`])).stderr, /no such directory/);
    await fails(d, ['cp', '/etc/passwd', `${c}:/subcmdcp/nonexists/nonexists`]);
    await fails(d, ['cp', '/etc/nonexists', `${c}:/subcmdcp`]);
    await ok(d, ['exec', c, 'sh', '-c', 'rm -rf /subcmdcp/etc; touch /subcmdcp/etc']);
    assert.match((await fails(d, ['cp', '/etc', `${c}:/subcmdcp/etc`])).stderr, /cannot copy directory/);
    await ok(d, ['exec', c, 'rm', '-f', '/subcmdcp/etc']);
    await ok(d, ['cp', '/etc', `${c}:/subcmdcp`]);
    assert.ok(await ls('/subcmdcp/etc/passwd'));
    await ok(d, ['cp', '/etc', `${c}:/subcmdcp/etc_renamed`]);
    assert.ok(await ls('/subcmdcp/etc_renamed/passwd'));
    // a tree with a hard link keeps both names with the content
    mkdirSync(join(host, 'a', 'a'), { recursive: true });
    mkdirSync(join(host, 'a', 'b'));
    writeFileSync(join(host, 'a', 'a', 'a'), 'test_hardlink_a\n');
    linkSync(join(host, 'a', 'a', 'a'), join(host, 'a', 'b', 'b'));
    await ok(d, ['cp', join(host, 'a'), `${c}:/c`]);
    assert.equal((await ok(d, ['exec', c, 'cat', '/c/a/a'])).stdout, 'test_hardlink_a\n');
    assert.equal((await ok(d, ['exec', c, 'cat', '/c/b/b'])).stdout, 'test_hardlink_a\n');
    // a directory onto "/" of the container; "." and "./" as sources; a 0700 mode kept
    mkdirSync(join(host, 'dst'));
    await ok(d, ['exec', c, 'touch', '/dst']);
    await ok(d, ['cp', join(host, 'dst'), `${c}:/`]);
    assert.match((await ok(d, ['exec', c, 'stat', '/'])).stdout, /directory/);
    mkdirSync(join(host, 'cur'));
    writeFileSync(join(host, 'cur', 'current'), '');
    const fromDir = (args: string[]) => d.isula(args, { timeoutMs: 60_000 });
    for (const [src, dst] of [['.', '/current1'], ['./', '/current2']] as const) {
      const r = await runIn(join(host, 'cur'), () => fromDir(['cp', src, `${c}:${dst}`]));
      assert.equal(r.code, 0, r.stderr);
      assert.ok(await ls(`${dst}/current`), dst);
    }
    mkdirSync(join(host, 'perm'));
    chmodSync(join(host, 'perm'), 0o700);
    await ok(d, ['cp', join(host, 'perm'), `${c}:/`]);
    assert.match((await ok(d, ['exec', c, 'stat', '-c', '%a %F', '/perm'])).stdout, /^700 directory/);
  });

  test('cp.sh symlinks: a link is copied as a link; a destination link chain is followed', async () => {
    const c = 'test_cmd_cp';
    symlinkSync('../../subcmdcp/linkto', join(host, 'l1'));
    await ok(d, ['cp', join(host, 'l1'), `${c}:/subcmdcp`]);
    assert.equal((await ok(d, ['exec', c, 'readlink', '/subcmdcp/l1'])).stdout.trim(), '../../subcmdcp/linkto');
    // onto the link just made: it is followed, so the copy lands on its (missing) target
    await ok(d, ['cp', join(host, 'l1'), `${c}:/subcmdcp/l1`]);
    assert.equal((await ok(d, ['exec', c, 'readlink', '/subcmdcp/linkto'])).stdout.trim(), '../../subcmdcp/linkto');
    // t2 -> t1 -> target (target missing): the file is written at target, the links stay
    await ok(d, ['exec', c, 'sh', '-c', 'cd /subcmdcp; rm -rf t1 t2 target; ln -s ./t1 t2; ln -s target t1']);
    await ok(d, ['cp', '/etc/passwd', `${c}:/subcmdcp/t2`]);
    assert.match((await ok(d, ['exec', c, 'cat', '/subcmdcp/target'])).stdout, /^root:/);
    assert.equal((await ok(d, ['exec', c, 'readlink', '/subcmdcp/t2'])).stdout.trim(), './t1');
    // a host link whose target shares a prefix with the destination name
    symlinkSync(join(host, 'abc'), join(host, 'ab'));
    await ok(d, ['cp', join(host, 'ab'), `${c}:/b`]);
    assert.equal((await ok(d, ['exec', c, 'readlink', '/b'])).stdout.trim(), join(host, 'abc'));
    // from the container: a link is copied as the link itself
    await ok(d, ['exec', c, 'sh', '-c', 'cd /subcmdcp; rm -rf s1 s2 starget; touch starget; ln -s starget s1; ln -s s1 s2']);
    await ok(d, ['cp', `${c}:/subcmdcp/s1`, host]);
    assert.ok(lstatSync(join(host, 's1')).isSymbolicLink());
    assert.equal(readlinkSync(join(host, 's1')), 'starget');
  });

  test('cp.sh invalid: between containers and host to host are refused; the daemon keeps its fds', async () => {
    const fds = () => readdirCount(`/proc/${d.pid}/fd`);
    const before = fds();
    assert.match((await fails(d, ['cp', 'nonexists1:/111', 'nonexists2:/222'])).stderr, /copying between containers is not supported/);
    assert.match((await fails(d, ['cp', '111', '222'])).stderr, /must specify at least one container source/);
    for (let i = 0; i < 5; i++) await ok(d, ['cp', 'test_cmd_cp:/etc/passwd', join(d.dir, `fd-${i}`)]);
    await until('the daemon fd count back where it was', async () => fds() <= before + 2, 30_000);
    await ok(d, ['rm', '-f', 'test_cmd_cp']);
  });
});

function readdirCount(dir: string): number {
  return readdirSync(dir).length;
}

async function runIn<T>(cwd: string, fn: () => Promise<T>): Promise<T> {
  const old = process.cwd();
  process.chdir(cwd);
  try {
    return await fn();
  } finally {
    process.chdir(old);
  }
}

