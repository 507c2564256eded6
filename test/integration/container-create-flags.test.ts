// The create/run flags of issue 17 beyond resources: --cgroupns (read from /proc/<pid>/ns) and
// --no-pivot (the monitor's command line in /proc), on every runtime of RUNTIMES.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Daemon } from '../helpers/daemon.ts';
import { cgroupsUnder, inspectField, mountsUnder, ok, skipReason, until, RUNTIMES, suiteDaemon } from './container-fixture.ts';

const ARCH = process.arch === 'arm64' ? 'arm64' : 'amd64';
const FIXTURES = resolve(import.meta.dirname, '../../rootfs-fixtures/out');

for (const rt of RUNTIMES) describe(`create flags on ${rt.name}`, { skip: skipReason || rt.skip }, () => {
  let d: Daemon;
  suiteDaemon((started) => (d = started), { runtime: rt.name });

  test('--cgroupns host|private: the container init\'s cgroup namespace is the host\'s, or its own', async () => {
    const hostNs = readlinkSync('/proc/self/ns/cgroup');
    if (rt.name === 'lcr') {
      const r = await d.isula(['create', '--cgroupns', 'host', 'busybox', 'true']);
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, /--cgroupns host is not supported by lcr/);
    }
    const modes = rt.name === 'lcr' ? ([['private', false]] as const) : ([['host', true], ['private', false]] as const);
    for (const [mode, same] of modes) {
      const id = (await ok(d, ['run', '-d', '--cgroupns', mode, 'busybox', 'sleep', '1000'])).stdout.trim();
      const pid = await inspectField(d, id, '{{.State.Pid}}');
      assert.equal(readlinkSync(`/proc/${pid}/ns/cgroup`) === hostNs, same, `--cgroupns ${mode}`);
      assert.equal(await inspectField(d, id, '{{.HostConfig.CgroupnsMode}}'), mode);
      // what the container sees: its own cgroup as "/" only in a private namespace
      const self = (await ok(d, ['exec', id, 'cat', '/proc/self/cgroup'])).stdout;
      assert.equal(/:memory:\/$/m.test(self), !same, self);
      await ok(d, ['rm', '-f', id]);
    }
    const r = await d.isula(['create', '--cgroupns', 'none', 'busybox', 'true']);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /Invalid value "none" for flag --cgroupns/);
  });

  test('--no-pivot: handed to the runtime\'s create through conmon; refused on lcr', async () => {
    if (rt.name === 'lcr') {
      const r = await d.isula(['create', '--no-pivot', 'busybox', 'true']);
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, /--no-pivot is only supported by OCI runtimes/);
      return;
    }
    // The mount tables of both look the same from any root (setns follows the moved rootfs stacked
    // on the old root); what the kernel shows is the monitor's command line: conmon, the init's
    // parent, hands --no-pivot to the runtime's create.
    const monitorArgs = async (args: string[]) => {
      const id = (await ok(d, ['run', '-d', ...args, 'busybox', 'sleep', '1000'])).stdout.trim();
      const pid = await inspectField(d, id, '{{.State.Pid}}');
      const ppid = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ')[1];
      const cmd = readFileSync(`/proc/${ppid}/cmdline`, 'utf8').split('\0');
      await ok(d, ['rm', '-f', id]);
      return cmd;
    };
    assert.ok(!(await monitorArgs([])).includes('--no-pivot'));
    assert.ok((await monitorArgs(['--no-pivot'])).includes('--no-pivot'));
    assert.equal(await inspectField(d, (await ok(d, ['create', '--no-pivot', 'busybox', 'true'])).stdout.trim(), '{{.HostConfig.NoPivotRoot}}'), 'true');
  });

  test('--env-target-file: the container environment in a file of its rootfs', async () => {
    const out = (await ok(d, ['run', '--rm', '-e', 'FOO=bar baz', '--env-target-file', '/etc/profile.d/env.sh', 'busybox', 'cat', '/etc/profile.d/env.sh'])).stdout;
    const lines = out.trim().split('\n');
    assert.ok(lines.includes('FOO=bar baz'), out);
    assert.ok(lines.some((l) => l.startsWith('PATH=')), out);
    const id = (await ok(d, ['create', '--env-target-file', '/env', 'busybox', 'true'])).stdout.trim();
    assert.equal(await inspectField(d, id, '{{.HostConfig.EnvTargetFile}}'), '/env');
    await ok(d, ['rm', id]);
    const r = await d.isula(['create', '--env-target-file', 'relative', 'busybox', 'true']);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /env target file path must be absolute/);
  });

  test('--storage-opt: size needs project quotas on the backing filesystem; other keys are unknown', async () => {
    const bad = async (args: string[], re: RegExp) => {
      const r = await d.isula(['create', ...args, 'busybox', 'true']);
      assert.notEqual(r.code, 0, args.join(' '));
      assert.match(r.stderr, re);
    };
    await bad(['--storage-opt', 'x'], /Invalid storage option 'x'/);
    await bad(['--storage-opt', 'foo=1'], /Unknown storage option: foo/);
    // this engine sets no project quotas: refused on any backing filesystem, saying why
    await bad(['--storage-opt', 'size=10m'], /--storage-opt (is supported only for overlay over xfs with 'pquota'|size: project quotas)/);
    assert.deepEqual(cgroupsUnder(d.cgroupParent), [], 'nothing left of the refused creates');
  });

  test('--userns: host kept in HostConfig.UsernsMode (it opts out of a remapping daemon: test/compat/userns-remap.test.ts), anything else refused with iSulad\'s words', { skip: rt.name !== 'lcr' ? 'runtime independent: checked once' : false }, async () => {
    const r = await d.isula(['create', '--userns', 'private', 'busybox', 'true']);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /Unsupported user mode private/);
    const id = (await ok(d, ['create', '--userns', 'host', 'busybox', 'true'])).stdout.trim();
    assert.equal((await ok(d, ['inspect', '-f', '{{.HostConfig.UsernsMode}}', id])).stdout.trim(), 'host');
    await ok(d, ['rm', id]);
  });

  test('--external-rootfs: the directory itself is the rootfs (no overlay), read-write, kept by rm', async () => {
    const dir = join(d.dir, `ext-${rt.name}`);
    mkdirSync(dir);
    execFileSync('tar', ['-xf', join(FIXTURES, `busybox-${ARCH}.rootfs.tar`), '-C', dir]);
    const before = readdirSync(dir).sort();
    // IMAGE "none": no config image, the command is given
    const id = (await ok(d, ['run', '-d', '--external-rootfs', dir, 'none', 'sh', '-c', 'echo from-inside > /written; sleep 1000'])).stdout.trim();
    await until('the container to write into its rootfs', async () => existsSync(join(dir, 'written')));
    assert.equal(readFileSync(join(dir, 'written'), 'utf8'), 'from-inside\n', 'a file written inside is in the directory');
    writeFileSync(join(dir, 'from-host'), 'host');
    assert.equal((await ok(d, ['exec', id, 'cat', '/from-host'])).stdout, 'host', 'and a file written there is seen inside');
    // the kernel's view: the init's "/" is a bind of the directory, not an overlay
    const pid = await inspectField(d, id, '{{.State.Pid}}');
    const root = readFileSync(`/proc/${pid}/mountinfo`, 'utf8').split('\n').map((l) => l.split(' ')).find((f) => f[4] === '/');
    assert.ok(root, 'a mount on / in the container');
    const fstype = root[root.indexOf('-') + 1];
    assert.notEqual(fstype, 'overlay', root.join(' '));
    assert.ok(dir.endsWith(root[3] as string) && root[3] !== '/', `the root mount is the directory: ${root.join(' ')}`);
    assert.match(root[5] as string, /^rw/, 'read-write');
    assert.equal(await inspectField(d, id, '{{.HostConfig.ExternalRootfs}}'), dir);
    assert.equal(await inspectField(d, id, '{{.Image}}'), '', 'no image of the store');
    assert.equal(await inspectField(d, id, '{{.Config.Image}}'), 'none');
    assert.equal(await inspectField(d, id, '{{.Config.ImageRef}}'), '');
    await ok(d, ['rm', '-f', id]);
    assert.ok(existsSync(join(dir, 'bin/busybox')) && existsSync(join(dir, 'written')), 'rm keeps the directory and its content');
    for (const n of before) assert.ok(existsSync(join(dir, n)), n);
    assert.deepEqual(mountsUnder(dir), [], 'nothing left mounted on the directory');

    // a config image lends its config (Env, Cmd) but not its layers; --read-only makes the bind read-only
    const out = (await ok(d, ['run', '--rm', '--read-only', '--external-rootfs', dir, 'busybox', 'sh', '-c', 'cat /written; echo $PATH; touch /x 2>&1; grep " / " /proc/self/mounts'])).stdout;
    assert.match(out, /^from-inside\n\/usr\/local\/sbin:/, out);
    assert.match(out, /Read-only file system/, out);
    assert.match(out, / \/ \S+ ro[,\s]/, out);
    assert.equal(existsSync(join(dir, 'x')), false);

    // kept across a daemon restart; no layer of changes to commit
    const kept = (await ok(d, ['create', '--external-rootfs', dir, 'none', 'sh', '-c', 'echo again > /again'])).stdout.trim();
    const commit = await d.isula(['commit', kept, 'ext:1']);
    assert.notEqual(commit.code, 0);
    assert.match(commit.stderr, /external rootfs/);
    await d.restart();
    await ok(d, ['start', '-a', kept]);
    assert.equal(readFileSync(join(dir, 'again'), 'utf8'), 'again\n');
    await ok(d, ['rm', kept]);
    assert.ok(existsSync(join(dir, 'bin/busybox')));

    const bad = async (args: string[], re: RegExp) => {
      const r = await d.isula(['create', ...args, 'true']);
      assert.notEqual(r.code, 0, args.join(' '));
      assert.match(r.stderr, re, args.join(' '));
    };
    await bad(['--external-rootfs', join(d.dir, 'no-such-dir'), 'none'], /Failed to get rootfs '.*no-such-dir'/);
    await bad(['--external-rootfs', join(dir, 'bin/busybox'), 'none'], /is not a directory/);
    await bad(['--read-only', '--external-rootfs', '/', 'none'], /external rootfs \/ \(the host's own root\) is not supported/);
    assert.deepEqual(cgroupsUnder(d.cgroupParent), [], 'nothing left of the refused creates');
  });

  test('--host-channel: a tmpfs of the given size on the host path, shared with the container, gone with it', async () => {
    const host = join(d.dir, 'channel');
    const mounted = () => readFileSync('/proc/self/mountinfo', 'utf8').split('\n').find((l) => l.split(' ')[4] === host);
    const id = (await ok(d, ['run', '-d', '--host-channel', `${host}:/chan:rw:1m`, 'busybox', 'sh', '-c', 'echo from-container > /chan/x; sleep 1000'])).stdout.trim();
    await until('the container to write into the channel', async () => existsSync(join(host, 'x')));
    const line = mounted() ?? '';
    assert.match(line, / - tmpfs tmpfs .*size=1024k/, line);
    assert.equal(readFileSync(join(host, 'x'), 'utf8'), 'from-container\n');
    writeFileSync(join(host, 'y'), 'from-host');
    assert.equal((await ok(d, ['exec', id, 'cat', '/chan/y'])).stdout, 'from-host');
    assert.equal(await inspectField(d, id, '{{json .HostConfig.HostChannel}}'), JSON.stringify({ PathOnHost: host, PathInContainer: '/chan', Permissions: 'rw', Size: 1048576 }));
    const again = await d.isula(['create', '--host-channel', `${host}:/chan:rw:1m`, 'busybox', 'true']);
    assert.notEqual(again.code, 0);
    assert.match(again.stderr, /Host path '.*channel' already exists/);
    await ok(d, ['rm', '-f', id]);
    assert.equal(mounted(), undefined, 'the tmpfs is unmounted with the container');
    assert.equal(existsSync(host), false);
    const bad = await d.isula(['create', '--host-channel', `${host}:/chan:rx:1m`, 'busybox', 'true']);
    assert.match(bad.stderr, /Invalid mount mode for host channel/);
  });

  test('--hook-spec: prestart, poststart and poststop run on the host with the OCI state on stdin', async () => {
    const out = join(d.dir, `hooks-${rt.name}`);
    mkdirSync(out);
    const hook = (name: string) => [{ path: '/bin/sh', args: ['sh', '-c', `/bin/cat > ${out}/${name}.json; echo "$HOOK_VAR" > ${out}/${name}.env`], env: ['HOOK_VAR=from-spec'], timeout: 30 }];
    const file = join(d.dir, `hooks-${rt.name}.json`);
    writeFileSync(file, JSON.stringify({ prestart: hook('prestart'), poststart: hook('poststart'), poststop: hook('poststop') }));
    const id = (await ok(d, ['run', '-d', '--hook-spec', file, 'busybox', 'sleep', '1000'])).stdout.trim();
    const pid = Number(await inspectField(d, id, '{{.State.Pid}}'));
    await until('prestart and poststart hooks', async () => existsSync(join(out, 'prestart.json')) && existsSync(join(out, 'poststart.json')));
    for (const name of ['prestart', 'poststart']) {
      const st = JSON.parse(readFileSync(join(out, `${name}.json`), 'utf8')) as { id: string; pid: number };
      assert.equal(st.id, id, name);
      assert.equal(st.pid, pid, `${name}: the state names the container's init`);
      assert.equal(readFileSync(join(out, `${name}.env`), 'utf8'), 'from-spec\n', `${name}: the hook's own env`);
    }
    assert.equal(existsSync(join(out, 'poststop.json')), false);
    assert.equal(await inspectField(d, id, '{{.HostConfig.HookSpec}}'), file);
    await ok(d, ['rm', '-f', id]);
    await until('the poststop hook', async () => existsSync(join(out, 'poststop.json')));
    assert.equal((JSON.parse(readFileSync(join(out, 'poststop.json'), 'utf8')) as { id: string }).id, id);
    const bad = join(d.dir, 'bad-hooks.json');
    writeFileSync(bad, JSON.stringify({ prestart: [{ path: '/no/such/hook' }] }));
    const r = await d.isula(['create', '--hook-spec', bad, 'busybox', 'true']);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /Cann't find path: \/no\/such\/hook/);
  });
});
