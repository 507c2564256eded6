// What the spec asks is what the container gets: read back from inside with busybox applets and
// from the host's cgroup files.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, mkdirSync, writeFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { canRun, skipReason, setupSuite, runToExit, sh, waitStopped } from './lcr-fixture.ts';
import type { Suite } from './lcr-fixture.ts';
import { parseProcLimits } from '../../src/spec/build.ts';

describe('lcr config applied', { skip: skipReason }, () => {
  let s: Suite;
  before(async () => {
    if (canRun) s = await setupSuite('cfg');
  });
  after(async () => {
    if (canRun) await s.cleanup();
  });

  test('env, cwd and user from image config and options', async () => {
    const r = await runToExit(s, 'who', {
      image: { Env: ['FROM_IMAGE=1', 'OVER=image'], WorkingDir: '/tmp', User: 'user' },
      Env: ['OVER=option', 'SPACED=a b'],
      ...sh('id; pwd; env | sort'),
    });
    assert.equal(r.code, 0, r.err);
    const [id, pwd, ...env] = r.out.trim().split('\n');
    // the primary gid is among the groups too (the spec lists it, as exec -u does; the kernel sorts them)
    assert.match(id!, /^uid=1000\(user\) gid=1000\(user\) groups=5\(tty\),29\(audio\),1000\(user\)$/);
    assert.equal(pwd, '/tmp');
    for (const kv of ['FROM_IMAGE=1', 'OVER=option', 'SPACED=a b', 'HOME=/home/user', 'HOSTNAME=who']) assert.ok(env.includes(kv), kv);
    assert.ok(!env.some((e) => e.startsWith('NODE') || e.startsWith('LCR_') || e.startsWith('LOG_')), 'no host env leaks');
  });

  test('numeric user without passwd entry', async () => {
    const r = await runToExit(s, 'num', { User: '4242:4343', ...sh('id -u; id -g') });
    assert.equal(r.out, '4242\n4343\n');
  });

  test('hostname', async () => {
    const r = await runToExit(s, 'hn', { Hostname: 'edge-node-1', Cmd: ['hostname'] });
    assert.equal(r.out, 'edge-node-1\n');
  });

  test('read-only rootfs and a writable tmpfs', async () => {
    const r = await runToExit(s, 'ro', { ReadonlyRootfs: true, Tmpfs: { '/scratch': '' }, ...sh('touch /x 2>/dev/null && echo rootfs-rw || echo rootfs-ro; touch /scratch/y && echo tmpfs-rw') });
    assert.equal(r.out, 'rootfs-ro\ntmpfs-rw\n');
  });

  test('bind mounts ro and rw', async () => {
    const host = join(s.root, 'vol');
    mkdirSync(host);
    writeFileSync(join(host, 'in.txt'), 'from-host\n');
    const r = await runToExit(s, 'binds', {
      Binds: [`${host}:/rw`, `${host}:/ro:ro`],
      ...sh('cat /ro/in.txt; echo written > /rw/out.txt; touch /ro/z 2>/dev/null || echo ro-denied'),
    });
    assert.equal(r.out, 'from-host\nro-denied\n');
    assert.equal(readFileSync(join(host, 'out.txt'), 'utf8'), 'written\n');
  });

  test('memory and pids limits are set in the cgroup (seen inside through cgroupns)', async () => {
    const r = await runToExit(s, 'lim', {
      Memory: 64 << 20,
      PidsLimit: 20,
      CpuShares: 512,
      ...sh('cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/pids/pids.max /sys/fs/cgroup/cpu/cpu.shares'),
    });
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(r.out.trim().split('\n'), [String(64 << 20), '20', '512']);
  });

  test('OOM kill under a memory limit is reported (oomKilled), and only then', async () => {
    await s.create('oom', { Memory: 16 << 20, ...sh('dd if=/dev/zero bs=64M count=1 | tail -c 1 >/dev/null; echo after') });
    await s.rt.start('oom');
    const st = await waitStopped(s.rt, 'oom');
    assert.equal(st.oomKilled, true, JSON.stringify(st));
    await s.create('nooom', { Memory: 16 << 20, Cmd: ['true'] });
    await s.rt.start('nooom');
    assert.equal((await waitStopped(s.rt, 'nooom')).oomKilled, false);
  });

  test('pids limit is enforced', async () => {
    const script = 'for i in 1 2 3 4 5 6 7 8; do sleep 1 & done; echo all-forked; wait';
    const limited = await runToExit(s, 'forkbomb', { PidsLimit: 5, ...sh(script) });
    assert.notEqual(limited.code, 0);
    assert.match(limited.err, /can't fork/);
    assert.doesNotMatch(limited.out, /all-forked/);
    const free = await runToExit(s, 'forkfree', sh(script));
    assert.equal(free.out, 'all-forked\n');
  });

  test('ulimits are clamped to the daemon hard limit', async () => {
    const host = parseProcLimits(readFileSync('/proc/self/limits', 'utf8')).RLIMIT_NOFILE!;
    const r = await runToExit(s, 'ulim', { Ulimits: [{ Name: 'nofile', Soft: 1 << 20, Hard: 1 << 20 }], ...sh('ulimit -n; ulimit -Hn') });
    assert.equal(r.code, 0, r.err);
    const want = host.hard < 0 ? String(1 << 20) : String(host.hard);
    assert.deepEqual(r.out.trim().split('\n'), [want, want]);
  });

  test('default capabilities, seccomp and no_new_privs from inside', async () => {
    const r = await runToExit(s, 'sec', { SecurityOpt: ['no-new-privileges'], ...sh('grep -E "^(CapBnd|Seccomp|NoNewPrivs):" /proc/self/status; mount -t tmpfs t /mnt 2>/dev/null && echo mounted || echo mount-denied') });
    assert.match(r.out, /CapBnd:\s+00000000a80425fb/);
    assert.match(r.out, /Seccomp:\s+2/);
    assert.match(r.out, /NoNewPrivs:\s+1/);
    assert.match(r.out, /mount-denied/);
  });

  test('the default seccomp profile denies what capabilities do not (user namespaces)', async () => {
    const script = 'unshare -U true && echo userns-ok || echo userns-denied';
    assert.equal((await runToExit(s, 'userns', sh(script))).out, 'userns-denied\n');
    assert.equal((await runToExit(s, 'userns-unconfined', { SecurityOpt: ['seccomp=unconfined'], ...sh(script) })).out, 'userns-ok\n');
  });

  test('privileged and seccomp unconfined', async () => {
    const r = await runToExit(s, 'priv', { Privileged: true, ...sh('grep -E "^Seccomp:" /proc/self/status; mkdir -p /mnt/t; mount -t tmpfs t /mnt/t && echo mounted') });
    assert.match(r.out, /Seccomp:\s+0/);
    assert.match(r.out, /mounted/);
  });

  test('masked and read-only paths', async () => {
    const r = await runToExit(s, 'mask', sh('cat /proc/keys | wc -c; ls /proc/acpi 2>/dev/null | wc -l; echo 1 > /proc/sys/kernel/domainname 2>/dev/null || echo sys-ro'));
    assert.deepEqual(r.out.trim().split('\n'), ['0', '0', 'sys-ro']);
  });

  test('network none: only lo, up', async () => {
    const r = await runToExit(s, 'net', sh('ls /sys/class/net; cat /sys/class/net/lo/operstate'));
    assert.equal(r.out.trim().split('\n')[0], 'lo');
  });

  test('network host: the host interfaces are visible', async () => {
    const r = await runToExit(s, 'nethost', { NetworkMode: 'host', ...sh('ls /sys/class/net | wc -l') });
    const hostCount = readdirSync('/sys/class/net').length;
    assert.equal(Number(r.out.trim()), hostCount);
  });

  test('--device: the host node appears under the new path and is usable', async () => {
    const r = await runToExit(s, 'dev', { Devices: [{ PathOnHost: '/dev/null', PathInContainer: '/dev/xnull', CgroupPermissions: 'rw' }], ...sh('echo x > /dev/xnull && echo usable; ls -l /dev/xnull') });
    assert.match(r.out, /usable/);
    assert.match(r.out, /^c.* 1,\s+3 /m);
  });

  test('sysctl in the container network namespace', async () => {
    const r = await runToExit(s, 'sysctl', { Sysctls: { 'net.ipv4.ip_forward': '1' }, Cmd: ['cat', '/proc/sys/net/ipv4/ip_forward'] });
    assert.equal(r.out, '1\n');
  });
});
