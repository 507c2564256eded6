import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaults } from '../../../../src/spec/defaults.ts';
import { buildSpec } from '../../../../src/spec/build.ts';
import type { Spec, SpecContext, SpecOpt } from '../../../../src/spec/types.ts';
import { ALL_CAPS } from '../../../../src/spec/capabilities.ts';
import { withRootfs, withHostname, withUser, withEnv, withWorkdir, withReadonlyRootfs, withArgs } from '../../../../src/spec/opts-process.ts';
import { withCapabilities, withNoNewPrivileges, withPrivileged, withSeccomp, withSysctls, withDevices } from '../../../../src/spec/opts-security.ts';
import { withBlockIO, withCgroupsPath, withCpu, withCpuRealtime, withDeviceCgroupRules, withFilesLimit, withHugepageLimits, withMemory, withOomScoreAdj, withPidsLimit, withUlimits } from '../../../../src/spec/opts-resources.ts';
import { withNetwork, withPidNamespace, withUtsNamespace } from '../../../../src/spec/opts-namespaces.ts';
import { withBindMounts, withTmpfs } from '../../../../src/spec/opts-mounts.ts';
import { withUserRemap } from '../../../../src/spec/opts-system.ts';
import { lxcConfigFromSpec, fstabEscape, hookCommand } from '../../../../src/runtime/lcr/lxc-config.ts';
import type { LxcContext } from '../../../../src/runtime/lcr/lxc-config.ts';

const sctx: SpecContext = {
  passwd: 'root:x:0:0::/root:/bin/sh\nuser:x:1000:1000::/home/user:/bin/sh\n',
  group: 'audio:x:29:user\n',
  hostLimits: { RLIMIT_NOFILE: { soft: 1024, hard: 20000 } },
  hostOomScoreAdj: 0,
};
const kinds: Record<string, 'dir' | 'file'> = { '/srv/data': 'dir', '/etc/hosts.x': 'file', '/proc/acpi': 'dir', '/proc/keys': 'file', '/sys/firmware': 'dir' };
const lctx = (over: Partial<LxcContext> = {}): LxcContext => ({
  rootfsMount: '/run/lcr/.rootfs',
  devScratchMount: '/run/lcr/.devscratch',
  seccompPath: '/lxc/c1/seccomp',
  monitorCgroup: 'isulad.monitor/c1',
  cgroupVersion: 'v1',
  swapAccounting: true,
  hostCaps: [...ALL_CAPS].filter((c) => c !== 'CAP_SYS_RESOURCE'),
  pathKind: (p) => kinds[p] ?? 'missing',
  haltSignal: 15,
  ...over,
});
const spec = (...opts: SpecOpt[]): Spec => buildSpec(defaults(), sctx, withRootfs('/rootfs'), withArgs({ cmd: ['/bin/true'] }), ...opts);
const lines = (s: Spec, c = lctx()) => lxcConfigFromSpec(s, c).split('\n').filter((l) => l !== '');
const values = (s: Spec, key: string, c?: LxcContext) => lines(s, c).filter((l) => l.startsWith(`${key} = `)).map((l) => l.slice(key.length + 3));

test('base config: rootfs, console none, INFO log, autodev, auto mounts', () => {
  const l = lines(spec());
  for (const want of [
    'lxc.rootfs.path = dir:/rootfs',
    'lxc.rootfs.mount = /run/lcr/.rootfs',
    'lxc.console.path = none',
    'lxc.log.level = INFO',
    'lxc.apparmor.profile = unconfined',
    'lxc.autodev = 1',
    'lxc.pty.max = 1024', // a devpts for exec -t ptys (and /dev/pts like docker's)
    'lxc.mount.auto = proc:mixed sys:ro cgroup:ro',
    'lxc.net.0.type = empty',
    'lxc.net.0.flags = up',
    'lxc.signal.halt = 15',
    'lxc.seccomp.profile = /lxc/c1/seccomp',
  ]) assert.ok(l.includes(want), want);
});

const cases: Array<{ name: string; opts: SpecOpt[]; key: string; want: string[]; ctx?: Partial<LxcContext> }> = [
  { name: 'hostname', opts: [withHostname('edge')], key: 'lxc.uts.name', want: ['edge'] },
  { name: 'uts host: no uts.name', opts: [withUtsNamespace({ mode: 'host' })], key: 'lxc.uts.name', want: [] },
  { name: 'pid host → share own ns', opts: [withPidNamespace({ mode: 'host' })], key: 'lxc.namespace.share.pid', want: ['/proc/self/ns/pid'] },
  { name: 'uts host → share own ns', opts: [withUtsNamespace({ mode: 'host' })], key: 'lxc.namespace.share.uts', want: ['/proc/self/ns/uts'] },
  { name: 'pid path → share', opts: [withPidNamespace({ mode: 'path', path: '/proc/9/ns/pid' })], key: 'lxc.namespace.share.pid', want: ['/proc/9/ns/pid'] },
  { name: 'net host → none', opts: [withNetwork({ mode: 'host' })], key: 'lxc.net.0.type', want: ['none'] },
  { name: 'net path → share', opts: [withNetwork({ mode: 'path', path: '/var/run/netns/x' })], key: 'lxc.namespace.share.net', want: ['/var/run/netns/x'] },
  { name: 'read-only rootfs: remount after mount entries', opts: [withReadonlyRootfs(true)], key: 'lxc.hook.mount', want: [`/bin/sh -c 'mount -o remount,bind,ro "$LXC_ROOTFS_MOUNT"'`] },
  { name: 'no ro hook by default', opts: [], key: 'lxc.hook.mount', want: [] },
  { name: 'user + groups', opts: [withUser('user')], key: 'lxc.init.groups', want: ['29,1000'] },
  { name: 'uid', opts: [withUser('user')], key: 'lxc.init.uid', want: ['1000'] },
  { name: 'cwd', opts: [withWorkdir('/srv')], key: 'lxc.init.cwd', want: ['/srv'] },
  { name: 'env with spaces', opts: [withEnv(['A=b c'])], key: 'lxc.environment', want: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'A=b c'] },
  { name: 'cap keep default list', opts: [withCapabilities([], ['ALL']), withCapabilities(['KILL', 'NET_RAW'], [])], key: 'lxc.cap.keep', want: ['kill net_raw'] },
  { name: 'cap drop ALL → none', opts: [withCapabilities([], ['ALL'])], key: 'lxc.cap.keep', want: ['none'] },
  { name: 'privileged keeps all (no cap.keep)', opts: [withPrivileged()], key: 'lxc.cap.keep', want: [] },
  { name: 'privileged: no seccomp', opts: [withPrivileged()], key: 'lxc.seccomp.profile', want: [] },
  { name: 'privileged: devices allow a', opts: [withPrivileged()], key: 'lxc.cgroup.devices.allow', want: ['a'] },
  { name: 'privileged: rw sys and cgroup', opts: [withPrivileged()], key: 'lxc.mount.auto', want: ['proc:rw sys:rw cgroup:rw'] },
  { name: 'seccomp unconfined', opts: [withSeccomp(undefined)], key: 'lxc.seccomp.profile', want: [] },
  { name: 'no new privs', opts: [withNoNewPrivileges()], key: 'lxc.no_new_privs', want: ['1'] },
  { name: 'ulimit clamped', opts: [withUlimits([{ name: 'nofile', soft: 1 << 20, hard: 1 << 20 }])], key: 'lxc.prlimit.nofile', want: ['20000:20000'] },
  { name: 'oom score adj', opts: [withOomScoreAdj(300)], key: 'lxc.proc.oom_score_adj', want: ['300'] },
  { name: 'sysctl', opts: [withSysctls({ 'net.ipv4.ip_forward': '1' })], key: 'lxc.sysctl.net.ipv4.ip_forward', want: ['1'] },
  { name: 'sysctl makes proc rw', opts: [withSysctls({ 'net.ipv4.ip_forward': '1' })], key: 'lxc.mount.auto', want: ['proc:rw sys:ro cgroup:ro'] },
  { name: 'memory v1', opts: [withMemory({ memory: 64 << 20 })], key: 'lxc.cgroup.memory.limit_in_bytes', want: [String(64 << 20)] },
  { name: 'memsw v1', opts: [withMemory({ memory: 64 << 20 })], key: 'lxc.cgroup.memory.memsw.limit_in_bytes', want: [String(128 << 20)] },
  { name: 'memsw skipped without swap accounting', opts: [withMemory({ memory: 64 << 20 })], key: 'lxc.cgroup.memory.memsw.limit_in_bytes', want: [], ctx: { swapAccounting: false } },
  { name: 'memory v2', opts: [withMemory({ memory: 64 << 20 })], key: 'lxc.cgroup2.memory.max', want: [String(64 << 20)], ctx: { cgroupVersion: 'v2' } },
  { name: 'swap v2 is swap only', opts: [withMemory({ memory: 64 << 20 })], key: 'lxc.cgroup2.memory.swap.max', want: [String(64 << 20)], ctx: { cgroupVersion: 'v2' } },
  { name: 'cpu shares', opts: [withCpu({ shares: 512 })], key: 'lxc.cgroup.cpu.shares', want: ['512'] },
  { name: 'cpu weight v2', opts: [withCpu({ shares: 1024 })], key: 'lxc.cgroup2.cpu.weight', want: ['39'], ctx: { cgroupVersion: 'v2' } },
  { name: 'cpus → quota', opts: [withCpu({ cpus: 0.5 })], key: 'lxc.cgroup.cpu.cfs_quota_us', want: ['50000'] },
  { name: 'cpu.max v2', opts: [withCpu({ cpus: 0.5 })], key: 'lxc.cgroup2.cpu.max', want: ['50000 100000'], ctx: { cgroupVersion: 'v2' } },
  { name: 'cpuset', opts: [withCpu({ cpusetCpus: '0' })], key: 'lxc.cgroup.cpuset.cpus', want: ['0'] },
  { name: 'pids', opts: [withPidsLimit(20)], key: 'lxc.cgroup.pids.max', want: ['20'] },
  { name: 'cgroup dirs', opts: [withCgroupsPath('isulad', 'c1')], key: 'lxc.cgroup.dir.container', want: ['isulad/c1'] },
  { name: 'monitor cgroup dir', opts: [withCgroupsPath('isulad', 'c1')], key: 'lxc.cgroup.dir.monitor', want: ['isulad.monitor/c1'] },
  { name: 'halt signal', opts: [], key: 'lxc.signal.halt', want: ['3'], ctx: { haltSignal: 3 } },
];
for (const c of cases) {
  test(`lxc: ${c.name}`, () => assert.deepEqual(values(spec(...c.opts), c.key, lctx(c.ctx)), c.want));
}

test('oom witness hook only with a memory limit', () => {
  const c = lctx({ oom: { eventsFile: '/sys/fs/cgroup/memory/isulad/c1/memory.oom_control', recordPath: '/run/lcr/c1/oom' } });
  assert.deepEqual(values(spec(), 'lxc.hook.stop', c), []);
  const h = values(spec(withMemory({ memory: 64 << 20 })), 'lxc.hook.stop', c);
  assert.equal(h.length, 1);
  assert.ok(h[0]!.includes('oom_kill') && h[0]!.includes('>/run/lcr/c1/oom') && h[0]!.includes('</sys/fs/cgroup/memory/isulad/c1/memory.oom_control'), h[0]);
  assert.throws(() => values(spec(withMemory({ memory: 64 << 20 })), 'lxc.hook.stop', lctx({ oom: { eventsFile: "/a'b", recordPath: '/x' } })), /quotes/);
});

test('host caps missing from the bounding set are not kept', () => {
  const l = values(spec(withCapabilities(['SYS_RESOURCE'], [])), 'lxc.cap.keep')[0] ?? '';
  assert.ok(!l.includes('sys_resource'));
  assert.ok(l.includes('chown'));
});

test('mount entries: binds by kind, tmpfs, masked, read-only paths', () => {
  const m = values(
    spec(withBindMounts([{ source: '/srv/data', destination: '/data', readonly: true }, { source: '/etc/hosts.x', destination: '/etc/hosts', readonly: false }]), withTmpfs([{ destination: '/run', options: ['size=1m'] }])),
    'lxc.mount.entry',
  );
  assert.ok(m.includes('/srv/data data none rbind,ro,create=dir 0 0'));
  assert.ok(m.includes('/etc/hosts.x etc/hosts none rbind,rw,create=file 0 0'));
  assert.ok(m.includes('tmpfs run tmpfs size=1m,noexec,nosuid,nodev,create=dir 0 0'));
  assert.ok(m.includes('tmpfs proc/acpi tmpfs ro,nosuid,nodev,noexec,size=0,optional 0 0'));
  assert.ok(m.includes('/dev/null proc/keys none bind,optional 0 0'));
  assert.ok(m.includes('/run/lcr/.rootfs/proc/bus proc/bus none bind,ro,optional 0 0'));
  assert.ok(!m.some((e) => e.includes('proc/sys ')), 'proc:mixed covers /proc/sys');
  assert.ok(!m.some((e) => e.includes('proc/kcore')), 'missing host paths skipped');
});

test('sysctls leave /proc/sys writable (written after mounts)', () => {
  const m = values(spec(withSysctls({ 'net.ipv4.ip_forward': '1' })), 'lxc.mount.entry');
  assert.ok(!m.some((e) => e.includes(' proc/sys ')));
  assert.ok(m.some((e) => e.includes(' proc/bus ')));
});

test('devices are bound from the host node', () => {
  const m = values(spec(withDevices([{ path: '/dev/xnull', hostPath: '/dev/null', type: 'c', major: 1, minor: 3 }])), 'lxc.mount.entry');
  assert.ok(m.includes('/dev/null dev/xnull none bind,optional,create=file 0 0'));
});

test('bad input: newline in env, missing bind source', () => {
  assert.throws(() => lines(spec(withEnv(['A=x\nlxc.hook.pre-start=/evil']))), /newline/);
  assert.throws(() => lines(spec(withBindMounts([{ source: '/nope', destination: '/x', readonly: false }]))), /does not exist/);
});

test('terminal keeps the console (a pty) on', () => {
  const t = spec();
  t.process.terminal = true;
  assert.deepEqual(values(t, 'lxc.console.path'), []);
  assert.deepEqual(values(spec(), 'lxc.console.path'), ['none']);
});

test('fstab escaping', () => {
  assert.equal(fstabEscape('/a b\\c'), '/a\\040b\\134c');
});

test('mount plan: resolved destinations without create=, a bound /dev turns autodev and devpts off', () => {
  const s = spec(withBindMounts([{ source: '/srv/data', destination: '/evil/x', readonly: false }]));
  const n = s.mounts.filter((m) => !['/proc', '/sys', '/sys/fs/cgroup', '/dev'].includes(m.destination)).length;
  const placements = Array.from({ length: n }, (_, i) => (i === n - 1 ? { dest: '/tmp/victim/x' } : { dest: `/p${i}`, create: 'dir' as const }));
  const l = lines(s, lctx({ plan: { mounts: placements, devices: [], devBound: false, made: [] } }));
  assert.ok(l.includes('lxc.mount.entry = /srv/data tmp/victim/x none rbind,rw 0 0'), l.join('\n'));
  assert.ok(l.includes('lxc.mount.entry = shm p2 tmpfs nosuid,noexec,nodev,mode=1777,size=67108864,create=dir 0 0'), l.join('\n'));
  assert.ok(l.includes('lxc.autodev = 1'));
  const bound = lines(s, lctx({ plan: { mounts: placements, devices: [], devBound: true, made: [] } }));
  assert.ok(bound.includes('lxc.autodev = 0') && bound.includes('lxc.pty.max = 0'), bound.join('\n'));
  // LXC's /dev links and console go to a scratch tmpfs mounted last over /dev, which the mount hook moves aside
  const entries = bound.filter((l) => l.startsWith('lxc.mount.entry = '));
  assert.equal(entries.at(-1), 'lxc.mount.entry = tmpfs dev tmpfs nosuid,noexec,mode=700,size=64k 0 0');
  assert.deepEqual(values(s, 'lxc.hook.mount', lctx({ plan: { mounts: placements, devices: [], devBound: true, made: [] } })), [`/bin/sh -c 'mount --move "$LXC_ROOTFS_MOUNT"/'\\''dev'\\'' '\\''/run/lcr/.devscratch'\\'''`]);
  assert.ok(!l.some((x) => x.startsWith('lxc.hook.mount') || x.includes(' dev tmpfs ')), 'no scratch without a bound /dev');
  const tty = { ...s, process: { ...s.process, terminal: true } };
  assert.equal(values(tty, 'lxc.hook.mount', lctx({ plan: { mounts: placements, devices: [], devBound: true, made: [] } })).length, 1, 'the scratch with a terminal too');
});

// issue 17: the finer resource flags, v1 and v2 keys
test('finer resources: kmem, OOM killer, rt, blkio, hugetlb, files, device rules', () => {
  const s = spec(
    withMemory({ memory: 64 << 20, reservation: 32 << 20, swappiness: 30, kernel: 16 << 20, disableOOMKiller: true }),
    withCpuRealtime({ period: 1000000, runtime: 10000 }),
    withBlockIO({ weight: 300, weightDevice: [{ major: 8, minor: 0, weight: 200 }], throttleReadBpsDevice: [{ major: 8, minor: 0, rate: 1048576 }], throttleWriteIOPSDevice: [{ major: 8, minor: 0, rate: 100 }] }),
    withHugepageLimits([{ pageSize: '2MB', limit: 32 << 20 }]),
    withFilesLimit(-1),
    withDeviceCgroupRules(['c 42:* rwm', 'a']),
  );
  const want: Array<[string, string]> = [
    ['lxc.cgroup.memory.soft_limit_in_bytes', String(32 << 20)], ['lxc.cgroup.memory.swappiness', '30'],
    ['lxc.cgroup.memory.kmem.limit_in_bytes', String(16 << 20)], ['lxc.cgroup.memory.oom_control', '1'],
    ['lxc.cgroup.cpu.rt_period_us', '1000000'], ['lxc.cgroup.cpu.rt_runtime_us', '10000'],
    ['lxc.cgroup.blkio.weight', '300'], ['lxc.cgroup.blkio.weight_device', '8:0 200'],
    ['lxc.cgroup.blkio.throttle.read_bps_device', '8:0 1048576'], ['lxc.cgroup.blkio.throttle.write_iops_device', '8:0 100'],
    ['lxc.cgroup.hugetlb.2MB.limit_in_bytes', String(32 << 20)], ['lxc.cgroup.files.limit', 'max'],
  ];
  for (const [k, v] of want) assert.deepEqual(values(s, k), [v], k);
  assert.ok(values(s, 'lxc.cgroup.devices.allow').includes('c 42:* rwm'));
  assert.ok(values(s, 'lxc.cgroup.devices.allow').includes('a'));
  const v2 = lctx({ cgroupVersion: 'v2' });
  assert.deepEqual(values(s, 'lxc.cgroup2.memory.low', v2), [String(32 << 20)]);
  assert.deepEqual(values(s, 'lxc.cgroup2.io.max', v2), ['8:0 rbps=1048576', '8:0 wiops=100']);
  assert.deepEqual(values(s, 'lxc.cgroup2.hugetlb.2MB.max', v2), [String(32 << 20)]);
  // no v2 files for these: nothing written
  for (const k of ['memory.swappiness', 'memory.kmem.limit_in_bytes', 'memory.oom_control', 'cpu.rt_runtime_us']) assert.deepEqual(values(s, `lxc.cgroup2.${k}`, v2), [], k);
});

test('finer resources: rt runtime above the period is refused', () => {
  assert.throws(() => spec(withCpuRealtime({ period: 1000, runtime: 2000 })), /rt runtime cannot be higher than rt period/);
  assert.throws(() => spec(withBlockIO({ weight: 5 })), /Range of blkio weight is from 10 to 1000/);
  assert.throws(() => spec(withDeviceCgroupRules(['x 1:1 r'])), /Invalid device cgroup rule x 1:1 r/);
});

// issue 17: --hook-spec on lcr
test('OCI hooks: prestart → lxc.hook.start-host, poststop → lxc.hook.post-stop; the script feeds the state', async () => {
  const s = spec();
  const c = lctx({ hookScripts: { prestart: ['/lxc/c1/hook-prestart-0.sh'], poststop: ['/lxc/c1/hook-poststop-0.sh'] } });
  assert.deepEqual(values(s, 'lxc.hook.start-host', c), ["/bin/sh '/lxc/c1/hook-prestart-0.sh'"]);
  assert.deepEqual(values(s, 'lxc.hook.post-stop', c), ["/bin/sh '/lxc/c1/hook-poststop-0.sh'"]);
  const { hookScript } = await import('../../../../src/runtime/lcr/hooks.ts');
  const text = hookScript({ path: '/bin/hook', args: ['hook', "it's"], env: ['A=1'], timeout: 5 }, 'created', '/lxc/c1');
  assert.match(text, /"\$LXC_NAME" "\$\{LXC_PID:-0\}"/);
  assert.ok(text.endsWith(`| exec '/usr/bin/env' '-i' 'A=1' '/usr/bin/timeout' '-s' 'KILL' '5' '/bin/hook' 'it'\\''s'\n`), text);
});

test('an rshared bind: a start-host hook re-attaches it through the helper (only with a helper; rslave gets none)', () => {
  const s = spec(withBindMounts([{ source: '/srv/data', destination: '/data', readonly: false, propagation: 'rshared' }, { source: '/srv/data', destination: '/s', readonly: false, propagation: 'rslave' }]));
  assert.deepEqual(values(s, 'lxc.hook.start-host', lctx({ helper: '/var/lib/isulad/engines/lcr/.lcr-helper' })), ["/var/lib/isulad/engines/lcr/.lcr-helper 'mount' '/srv/data' '/data'"]);
  assert.deepEqual(values(s, 'lxc.hook.start-host'), []);
});

test('hookCommand: never starts with a quote (LXC strips quotes around a whole value)', () => {
  assert.equal(hookCommand(['/a/b', "it's"]), "/a/b 'it'\\''s'");
  assert.equal(hookCommand(['/a b/h', 'x']), `/bin/sh -c 'exec "$0" "$@"' '/a b/h' 'x'`);
});

test('a user namespace: lxc.idmap u/g lines from the spec\'s uid and gid mappings; none without one; a mapping-less or joined one refused', () => {
  const mapped = spec(withUserRemap('100000:200000:65535'));
  assert.deepEqual(values(mapped, 'lxc.idmap'), ['u 0 100000 65535', 'g 0 200000 65535']);
  const two = spec((s) => {
    s.linux.namespaces.push({ type: 'user' });
    s.linux.uidMappings = [{ containerID: 0, hostID: 1000, size: 1 }, { containerID: 1, hostID: 100000, size: 65535 }];
    s.linux.gidMappings = [{ containerID: 0, hostID: 1000, size: 1 }];
  });
  assert.deepEqual(values(two, 'lxc.idmap'), ['u 0 1000 1', 'u 1 100000 65535', 'g 0 1000 1']);
  assert.deepEqual(values(spec(), 'lxc.idmap'), []);
  assert.throws(() => lines(spec((s) => void s.linux.namespaces.push({ type: 'user' }))), /a user namespace needs uid and gid mappings/);
  assert.throws(() => lines(spec((s) => void s.linux.namespaces.push({ type: 'user', path: '/proc/1/ns/user' }))), /joining an existing user namespace/);
});
