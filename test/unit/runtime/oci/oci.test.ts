// Pure parts of the OCI runtime driver: conmon's command line, the sync-pipe reply, the bundle's
// config.json, the resources after an update and the exec process.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { attachSocketPath, conmonArgs, parseSyncLine } from '../../../../src/runtime/oci/conmon.ts';
import { bundleConfig, createOciRuntime } from '../../../../src/runtime/oci/driver.ts';
import { DEV_STAGE, stageDevBind } from '../../../../src/runtime/oci/dev-stage.ts';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resourcesAfterUpdate } from '../../../../src/runtime/oci/update.ts';
import { execFailureCode, execProcess } from '../../../../src/runtime/oci/exec.ts';
import { refusalFromStderr } from '../../../../src/runtime/oci/probe.ts';
import { defaults as defaultSpec } from '../../../../src/spec/defaults.ts';

const files = { bundle: '/s/c1', pidFile: '/s/c1/pid', conmonPid: '/s/c1/conmon.pid', persist: '/s/c1/persist' };

test('conmonArgs: absolute paths, socket dir, exit dir, k8s-file log, runtime args', () => {
  const a = conmonArgs({ id: 'c1', runtime: '/usr/sbin/runc', runtimeArgs: ['--root', '/s/root'], files, exitDir: '/s/exits', socketDir: '/s/sock', logPath: '/l/console.log', logMaxSize: 0, terminal: false });
  const at = (flag: string) => a[a.indexOf(flag) + 1];
  assert.equal(at('-c'), 'c1');
  assert.equal(at('-r'), '/usr/sbin/runc');
  assert.equal(at('-b'), '/s/c1');
  assert.equal(at('--exit-dir'), '/s/exits');
  assert.equal(at('--persist-dir'), '/s/c1/persist');
  assert.equal(at('--socket-dir-path'), '/s/sock');
  assert.equal(at('-l'), 'k8s-file:/l/console.log');
  assert.ok(!a.includes('-t') && !a.includes('--log-size-max'));
  assert.deepEqual(a.slice(-4), ['--runtime-arg', '--root', '--runtime-arg', '/s/root']);
  const t = conmonArgs({ id: 'c1', runtime: 'r', runtimeArgs: [], files, exitDir: '/e', socketDir: '/k', logPath: '/l', logMaxSize: 1024, terminal: true });
  assert.ok(t.includes('-t'));
  assert.equal(t[t.indexOf('--log-size-max') + 1], '1024');
});

test('conmonArgs: log driver none (the pause container) makes conmon drop the output', () => {
  const a = conmonArgs({ id: 'c1', runtime: 'r', runtimeArgs: [], files, exitDir: '/e', socketDir: '/k', logPath: '/l/console.log', logNone: true, logMaxSize: 0, terminal: false });
  assert.equal(a[a.indexOf('-l') + 1], 'none');
});

test('conmonArgs: the attach socket name stays short for a 64-char id', () => {
  const id = 'a'.repeat(64);
  const a = conmonArgs({ id, runtime: 'r', runtimeArgs: [], files, exitDir: '/e', socketDir: '/k', logPath: '/l', logMaxSize: 0, terminal: false });
  assert.equal(a[a.indexOf('-u') + 1], 'a'.repeat(16));
});

test('parseSyncLine: pid, failure with message, foreign lines', () => {
  const cases = [
    { line: '{"data": 25972}', want: { pid: 25972 } },
    { line: '{"data": -1, "message": "runc create failed: oops\\n"}', want: { error: 'runc create failed: oops' } },
    { line: '{"data": -1}', want: { error: 'conmon reported -1' } },
    { line: 'not json', want: undefined },
    { line: '{"other": 1}', want: undefined },
  ];
  for (const c of cases) assert.deepEqual(parseSyncLine(c.line), c.want, c.line);
});

test('bundleConfig drops capabilities the host cannot grant and non-OCI fields', () => {
  const s = defaultSpec();
  s.process.capabilities = { bounding: ['CAP_CHOWN', 'CAP_SYS_RESOURCE'], effective: ['CAP_CHOWN', 'CAP_SYS_RESOURCE'], permitted: ['CAP_SYS_RESOURCE'] };
  s.process.user = { uid: 1, gid: 2, username: 'bob' };
  s.linux.devices = [{ path: '/dev/x', type: 'c', major: 1, minor: 3, hostPath: '/dev/null' }];
  const out = bundleConfig(s, ['chown', 'kill']);
  assert.deepEqual(out.process.capabilities, { bounding: ['CAP_CHOWN'], effective: ['CAP_CHOWN'], permitted: [] });
  assert.deepEqual(out.process.user, { uid: 1, gid: 2 });
  assert.deepEqual(out.linux.devices, [{ path: '/dev/x', type: 'c', major: 1, minor: 3 }]);
  assert.equal(s.linux.devices[0]?.hostPath, '/dev/null', 'the input spec is left alone');
});

test('resourcesAfterUpdate: sets and clears limits for the next start', () => {
  const base = { devices: [], memory: { limit: 1, swap: 2 }, cpu: { shares: 3 }, pids: { limit: 4 } };
  assert.deepEqual(resourcesAfterUpdate(base, { memory: 10, cpuQuota: 5000, pidsLimit: 0 }), { devices: [], memory: { limit: 10, swap: 2 }, cpu: { shares: 3, quota: 5000 } });
  assert.deepEqual(resourcesAfterUpdate(base, { memory: -1 }), { devices: [], memory: { swap: 2 }, cpu: { shares: 3 }, pids: { limit: 4 } });
  assert.deepEqual(base.memory, { limit: 1, swap: 2 }, 'the input is left alone');
});

test('execProcess: exact env, user, cwd and terminal; caps and rlimits from the container', () => {
  const s = defaultSpec();
  s.process.env = ['FROM=container'];
  s.process.rlimits = [{ type: 'RLIMIT_NOFILE', soft: 1, hard: 1 }];
  const p = execProcess(s.process, { args: ['id'], env: ['A=b'], uid: 1000, gid: 1000, tty: true, stdin: false });
  assert.deepEqual(p.env, ['A=b']);
  assert.deepEqual(p.args, ['id']);
  assert.deepEqual(p.user, { uid: 1000, gid: 1000 });
  assert.equal(p.cwd, '/');
  assert.equal(p.terminal, true);
  assert.deepEqual(p.capabilities, s.process.capabilities);
  assert.deepEqual(p.rlimits, [{ type: 'RLIMIT_NOFILE', soft: 1, hard: 1 }], "runc and docker give an exec the container's rlimits");
  assert.equal(execProcess(s.process, { args: ['x'], env: [], uid: 0, gid: 0, tty: false, stdin: false, cwd: '/tmp' }).cwd, '/tmp');
  assert.equal(p.consoleSize, undefined);
  const sized = execProcess(s.process, { args: ['x'], env: [], uid: 0, gid: 0, tty: true, stdin: true, size: { rows: 20, cols: 70 } });
  assert.deepEqual(sized.consoleSize, { height: 20, width: 70 }, 'on the pty before the process runs');
});

test("execProcess: the container's user keeps its supplementary groups, another user gets none", () => {
  const s = defaultSpec();
  s.process.user = { uid: 1000, gid: 1000, additionalGids: [1234, 50000] };
  const same = execProcess(s.process, { args: ['id', '-G'], env: [], uid: 1000, gid: 1000, tty: false, stdin: false });
  assert.deepEqual(same.user, { uid: 1000, gid: 1000, additionalGids: [1234, 50000] });
  const other = execProcess(s.process, { args: ['id', '-G'], env: [], uid: 0, gid: 0, tty: false, stdin: false });
  assert.deepEqual(other.user, { uid: 0, gid: 0 });
});

test('execFailureCode: a command the runtime could not start is 127 or 126, as in a shell', () => {
  const line = (msg: string) => JSON.stringify({ level: 'error', msg, time: 't' });
  const cases = [
    { log: line('exec failed: unable to start container process: exec: "nope": executable file not found in $PATH'), want: 127 },
    { log: line('exec failed: unable to start container process: exec: "/x": stat /x: no such file or directory'), want: 127 },
    { log: line('exec failed: unable to start container process: exec: "/etc/passwd": permission denied'), want: 126 },
    { log: line('container not running'), want: undefined },
    { log: '', want: undefined },
  ];
  for (const c of cases) assert.equal(execFailureCode(c.log), c.want, c.log);
});

test('refusalFromStderr: the cgroup refusal in the runtime\'s words; a rootfs error is no refusal', () => {
  assert.equal(refusalFromStderr('cgroups in hybrid mode not supported, drop all controllers from cgroupv2\n'), 'cgroups in hybrid mode not supported, drop all controllers from cgroupv2');
  assert.equal(refusalFromStderr('time="2026" level=error msg="runc run failed: invalid rootfs: stat /x: no such file or directory"\n'), undefined);
  assert.equal(refusalFromStderr(''), undefined);
});

test('conmonArgs: -it asks conmon for stdin through the attach socket, kept open between clients', () => {
  const a = conmonArgs({ id: 'c1', runtime: 'r', runtimeArgs: [], files, exitDir: '/e', socketDir: '/k', logPath: '/l', logMaxSize: 0, terminal: true, attachStdin: true });
  assert.ok(a.includes('-t') && a.includes('-i') && a.includes('--leave-stdin-open'));
  assert.equal(attachSocketPath('/k', 'b'.repeat(64)), `/k/${'b'.repeat(16)}/attach`);
});

test("create leaves the caller's spec as it was; the bundle gets -t and the cgroup path", async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'oci-create-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const rt = await createOciRuntime(
    { name: 'runc', runtimePath: '/bin/false', runtimeArgs: [], conmon: '/bin/false', stateDir: dir, cgroupParent: 'isulad' },
    { layout: { version: 'v2', v1: {}, unified: '/sys/fs/cgroup' }, hostCaps: ['CAP_CHOWN', 'CAP_KILL'], script: undefined, swap: false },
  );
  const spec = defaultSpec();
  spec.process.args = ['sh'];
  const before = structuredClone(spec);
  // no -i and no log size: nothing to mkfifo, so no process is spawned
  await rt.create({ id: 'c1', spec, logPath: join(dir, 'logs', 'console.log'), logMaxSize: 0, logMaxFile: 1, openStdin: false, terminal: true });
  assert.deepEqual(spec, before, 'the spec passed in is unchanged');
  const config = JSON.parse(await readFile(join(dir, 'c1', 'config.json'), 'utf8'));
  assert.equal(config.process.terminal, true);
  assert.equal(config.linux.cgroupsPath, '/isulad/c1');
  await rt.close();
});

test('stageDevBind: a /dev bind waits in the runtime\'s own tmpfs, later /dev mounts ride under it; none: unchanged', () => {
  const s = defaultSpec();
  assert.equal(stageDevBind(s), undefined, 'no /dev bind, nothing staged');
  // what the spec layer makes of -v /h/d:/dev -v /h/e:/dev/sub: the bind replaced the /dev tmpfs
  s.mounts = [
    ...s.mounts.filter((m) => m.destination !== '/dev'),
    { destination: '/dev', type: 'bind', source: '/h/d', options: ['rbind', 'rw'] },
    { destination: '/dev/sub', type: 'bind', source: '/h/e', options: ['rbind', 'ro'] },
  ];
  const before = JSON.stringify(s);
  const out = stageDevBind(s);
  assert.ok(out);
  assert.equal(JSON.stringify(s), before, 'the input spec is left alone');
  const dests = out.mounts.map((m) => `${m.destination}:${m.type}`);
  const tmpfs = dests.indexOf('/dev:tmpfs');
  assert.ok(tmpfs >= 0, dests.join(' '));
  assert.ok(dests.every((d, i) => !d.startsWith('/dev/') || i > tmpfs), `the tmpfs comes before every mount under /dev: ${dests.join(' ')}`);
  assert.ok(!out.mounts.some((m) => m.destination === '/dev' && m.type === 'bind'), 'no bind left at /dev: the runtime sets up its own /dev');
  assert.deepEqual(out.mounts.filter((m) => m.source.startsWith('/h/')).map((m) => [m.destination, m.source]), [[DEV_STAGE, '/h/d'], [`${DEV_STAGE}/sub`, '/h/e']]);
  assert.ok(dests.includes('/dev/pts:devpts'), 'the defaults under /dev stay in the tmpfs (ptmx for -t)');
});
