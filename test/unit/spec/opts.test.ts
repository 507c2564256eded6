import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaults, DEFAULT_CAPS } from '../../../src/spec/defaults.ts';
import { buildSpec } from '../../../src/spec/build.ts';
import type { Spec, SpecContext, SpecOpt } from '../../../src/spec/types.ts';
import {
  withArgs, withEnv, withHomeEnv, withHostname, withImageConfig, withStopSignal, stopSignalOf, withUser, withWorkdir,
  withAnnotations, withReadonlyRootfs, withTerminal,
} from '../../../src/spec/opts-process.ts';
import { withCapabilities, withDevices, withNoNewPrivileges, withPrivileged, withSeccomp, withSysctls, parseSeccompProfile, seccompOf } from '../../../src/spec/opts-security.ts';
import { withCgroupsPath, withCpu, withMemory, withOomScoreAdj, withPidsLimit, withUlimits } from '../../../src/spec/opts-resources.ts';
import { parseUlimit } from '../../../src/util/ulimit.ts';
import { withIpcNamespace, withNetwork, withPidNamespace, withUtsNamespace, parseNamespaceMode } from '../../../src/spec/opts-namespaces.ts';
import { withBindMounts, withShmSize, withTmpfs, withMounts } from '../../../src/spec/opts-mounts.ts';
import { isEngineKind } from './helpers.ts';
import { resolveUser, supplementaryGids } from '../../../src/spec/user.ts';
import { specOfSync } from '../../helpers/spec.ts';

const ctx = (): SpecContext => ({
  passwd: 'root:x:0:0:root:/root:/bin/sh\nuser:x:1000:1000::/home/user:/bin/sh\n',
  group: 'root:x:0:\ntty:x:5:user\nuser:x:1000:\n',
  hostLimits: { RLIMIT_NOFILE: { soft: 1024, hard: 20000 }, RLIMIT_NPROC: { soft: 96365, hard: 96365 }, RLIMIT_CORE: { soft: 0, hard: -1 } },
  hostOomScoreAdj: 0,
});
const build = (...opts: SpecOpt[]): Spec => buildSpec(defaults(), ctx(), ...opts);
const env = (s: Spec, k: string) => s.process.env.find((e) => e.startsWith(`${k}=`))?.slice(k.length + 1);

test('defaults: namespaces, caps, masks, mounts, devices, seccomp', () => {
  const s = defaults();
  assert.deepEqual(s.linux.namespaces.map((n) => n.type), ['pid', 'network', 'ipc', 'uts', 'mount']);
  assert.equal(s.process.capabilities.bounding.length, 14);
  assert.deepEqual(s.process.capabilities.bounding, [...DEFAULT_CAPS]);
  assert.ok(s.linux.maskedPaths.includes('/proc/kcore'));
  assert.ok(s.linux.readonlyPaths.includes('/proc/sys'));
  assert.deepEqual(s.mounts.map((m) => m.destination), ['/proc', '/dev', '/dev/pts', '/sys', '/sys/fs/cgroup', '/dev/mqueue', '/dev/shm']);
  assert.deepEqual(s.linux.resources.devices[0], { allow: false, access: 'rwm' });
  assert.equal(s.linux.seccomp?.defaultAction, 'SCMP_ACT_ALLOW');
  assert.ok(s.linux.seccomp?.syscalls[0]?.names.includes('mount'));
  assert.notEqual(defaults().process.env, defaults().process.env, 'fresh objects each call');
});

const image = { Env: ['PATH=/img/bin', 'A=1'], Entrypoint: ['/entry'], Cmd: ['arg'], WorkingDir: '/w', User: 'user', StopSignal: 'SIGQUIT' };

test('image config: env, entrypoint+cmd, workdir, user, stop signal', () => {
  const s = build(withImageConfig(image));
  assert.deepEqual(s.process.args, ['/entry', 'arg']);
  assert.equal(env(s, 'PATH'), '/img/bin');
  assert.equal(env(s, 'A'), '1');
  assert.equal(s.process.cwd, '/w');
  assert.equal(s.process.user.uid, 1000);
  assert.equal(stopSignalOf(s), 3);
});

const argCases = [
  { name: 'image only', o: {}, want: ['/entry', 'arg'] },
  { name: 'cmd replaces image cmd', o: { cmd: ['x', 'y'] }, want: ['/entry', 'x', 'y'] },
  { name: 'entrypoint drops image cmd', o: { entrypoint: ['/bin/sh'] }, want: ['/bin/sh'] },
  { name: 'entrypoint + cmd', o: { entrypoint: ['/bin/sh'], cmd: ['-c', 'true'] }, want: ['/bin/sh', '-c', 'true'] },
  { name: 'empty entrypoint resets', o: { entrypoint: [''], cmd: ['/bin/true'] }, want: ['/bin/true'] },
];
for (const c of argCases) {
  test(`args: ${c.name}`, () => assert.deepEqual(build(withImageConfig(image), withArgs(c.o)).process.args, c.want));
}
test('args: nothing to run is invalid', () => {
  assert.throws(() => build(withArgs({})), isEngineKind('invalid-argument'));
});

test('env: later wins, key order kept, empty key rejected', () => {
  const s = build(withImageConfig(image), withEnv(['A=2', 'B=3']));
  assert.equal(env(s, 'A'), '2');
  assert.equal(env(s, 'B'), '3');
  assert.throws(() => build(withEnv(['=x'])), isEngineKind('invalid-argument'));
});

// supplementary groups: the user's /etc/group memberships, then the primary gid (iSulad, docker
// since CVE-2022-36109: a newgrp must not shed the user's own group); root gets no primary entry
const userCases = [
  { u: 'user', want: { uid: 1000, gid: 1000, additionalGids: [5, 1000] } },
  { u: '1000', want: { uid: 1000, gid: 1000, additionalGids: [5, 1000] } },
  { u: 'user:tty', want: { uid: 1000, gid: 5, additionalGids: [5] } },
  { u: '4242', want: { uid: 4242, gid: 0, additionalGids: [0] } },
  { u: '4242:4243', want: { uid: 4242, gid: 4243, additionalGids: [4243] } },
  { u: 'root', want: { uid: 0, gid: 0 } },
];
for (const c of userCases) {
  test(`user ${c.u}`, () => {
    const u = build(withUser(c.u)).process.user;
    assert.equal(u.uid, c.want.uid);
    assert.equal(u.gid, c.want.gid);
    assert.deepEqual(u.additionalGids ?? [], c.want.additionalGids ?? []);
  });
}
test('exec user groups: memberships, --group-add (gid or name), the primary gid; an unknown name is an error', () => {
  const group = 'root:x:0:\ntty:x:5:user\nuser:x:1000:\nextra:x:77:\n';
  const u = resolveUser('user', 'user:x:1000:1000::/home/user:/bin/sh\n', group);
  assert.deepEqual(supplementaryGids(u, group), [5, 1000]);
  assert.deepEqual(supplementaryGids(u, group, ['extra', '300', '5']), [5, 77, 300, 1000]);
  assert.deepEqual(supplementaryGids(resolveUser('0', 'root:x:0:0::/root:/bin/sh\n', group), group), []);
  assert.throws(() => supplementaryGids(u, group, ['nogroup']), /Unable to find group nogroup/);
});
test('user: unknown name and group are errors', () => {
  assert.throws(() => build(withUser('nobody')), /unable to find user nobody/);
  assert.throws(() => build(withUser('user:nogroup')), /unable to find group nogroup/);
});
test('HOME from passwd unless set', () => {
  assert.equal(env(build(withUser('user'), withHomeEnv()), 'HOME'), '/home/user');
  assert.equal(env(build(withHomeEnv()), 'HOME'), '/root');
  assert.equal(env(build(withEnv(['HOME=/x']), withHomeEnv()), 'HOME'), '/x');
});

test('workdir must be absolute', () => {
  assert.equal(build(withWorkdir('/srv')).process.cwd, '/srv');
  assert.throws(() => build(withWorkdir('srv')), isEngineKind('invalid-argument'));
});

test('hostname sets HOSTNAME, rejects bad names', () => {
  const s = build(withHostname('edge-1'));
  assert.equal(s.hostname, 'edge-1');
  assert.equal(env(s, 'HOSTNAME'), 'edge-1');
  assert.throws(() => build(withHostname('-bad')), isEngineKind('invalid-argument'));
});

test('terminal sets TERM unless given', () => {
  const s = build(withTerminal());
  assert.equal(s.process.terminal, true);
  assert.equal(env(s, 'TERM'), 'xterm');
  assert.equal(env(build(withEnv(['TERM=vt100']), withTerminal()), 'TERM'), 'vt100');
});

test('annotations, read-only rootfs', () => {
  const s = build(withAnnotations({ a: 'b' }), withReadonlyRootfs(true));
  assert.equal(s.annotations.a, 'b');
  assert.equal(s.root.readonly, true);
});

test('stop signal: names and numbers, invalid rejected', () => {
  assert.equal(stopSignalOf(build(withStopSignal('SIGUSR1'))), 10);
  assert.equal(stopSignalOf(build(withStopSignal('9'))), 9);
  assert.equal(stopSignalOf(build()), 15);
  assert.throws(() => build(withStopSignal('SIGNOPE')), isEngineKind('invalid-argument'));
});

const capCases = [
  { name: 'add one', add: ['NET_ADMIN'], drop: [], has: ['CAP_NET_ADMIN', 'CAP_CHOWN'], hasNot: [] as string[] },
  { name: 'drop one (cap_ prefix, lower case)', add: [], drop: ['cap_chown'], has: ['CAP_KILL'], hasNot: ['CAP_CHOWN'] },
  { name: 'drop ALL, add one', add: ['KILL'], drop: ['ALL'], has: ['CAP_KILL'], hasNot: ['CAP_CHOWN'] },
  { name: 'add ALL', add: ['ALL'], drop: [], has: ['CAP_SYS_ADMIN', 'CAP_BPF'], hasNot: [] },
];
for (const c of capCases) {
  test(`caps: ${c.name}`, () => {
    const caps = build(withCapabilities(c.add, c.drop)).process.capabilities;
    for (const h of c.has) assert.ok(caps.bounding.includes(h), h);
    for (const h of c.hasNot) assert.ok(!caps.bounding.includes(h), h);
    assert.deepEqual(caps.effective, caps.bounding);
  });
}
test('caps: drop ALL gives none; unknown cap rejected', () => {
  assert.deepEqual(build(withCapabilities([], ['ALL'])).process.capabilities.bounding, []);
  assert.throws(() => build(withCapabilities(['NOPE'], [])), /unknown capability/);
});

test('privileged: all caps, no seccomp, no masks, all devices, rw sys', () => {
  const s = build(withPrivileged());
  assert.equal(s.process.capabilities.bounding.length, 41);
  assert.equal(s.linux.seccomp, undefined);
  assert.deepEqual(s.linux.maskedPaths, []);
  assert.deepEqual(s.linux.readonlyPaths, []);
  assert.deepEqual(s.linux.resources.devices, [{ allow: true, access: 'rwm' }]);
  assert.ok(!s.mounts.find((m) => m.destination === '/sys')?.options.includes('ro'));
});

test('no-new-privileges, seccomp unconfined and profile', () => {
  assert.equal(build(withNoNewPrivileges()).process.noNewPrivileges, true);
  assert.equal(build(withSeccomp(undefined)).linux.seccomp, undefined);
  const p = parseSeccompProfile(JSON.stringify({ defaultAction: 'SCMP_ACT_ERRNO', syscalls: [{ names: ['read', 'write'], action: 'SCMP_ACT_ALLOW' }] }));
  assert.deepEqual(build(withSeccomp(p)).linux.seccomp, { defaultAction: 'SCMP_ACT_ERRNO', syscalls: [{ names: ['read', 'write'], action: 'SCMP_ACT_ALLOW' }] });
  assert.throws(() => parseSeccompProfile('{'), isEngineKind('invalid-argument'));
  assert.throws(() => parseSeccompProfile('{"defaultAction":"NOPE"}'), isEngineKind('invalid-argument'));
  // several seccomp= options: the last wins, as in iSulad (seccomp.sh runs with two profiles)
  const deny = (n: string) => JSON.stringify({ defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ names: [n], action: 'SCMP_ACT_ERRNO' }] });
  const last = seccompOf([`seccomp=${deny('uname')}`, 'no-new-privileges', `seccomp=${deny('getcwd')}`]);
  assert.ok(last !== undefined && last !== 'unconfined');
  assert.deepEqual(last.syscalls?.[0]?.names, ['getcwd']);
  assert.equal(seccompOf([`seccomp=${deny('uname')}`, 'seccomp=unconfined']), 'unconfined');
  assert.equal(seccompOf(['no-new-privileges']), undefined);
});

test('devices add the node and a cgroup rule', () => {
  const s = build(withDevices([{ path: '/dev/xnull', hostPath: '/dev/null', type: 'c', major: 1, minor: 3, permissions: 'rw' }]));
  assert.equal(s.linux.devices[0]?.path, '/dev/xnull');
  assert.deepEqual(s.linux.resources.devices.at(-1), { allow: true, type: 'c', major: 1, minor: 3, access: 'rw' });
  assert.throws(() => build(withDevices([{ path: '/dev/x', type: 'c', major: 1, minor: 3, permissions: 'q' }])), /invalid device mode/);
});

const sysctlCases: Array<{ name: string; opts: SpecOpt[]; kv: Record<string, string>; ok: boolean }> = [
  { name: 'net in private netns', opts: [] as SpecOpt[], kv: { 'net.ipv4.ip_forward': '1' }, ok: true },
  { name: 'ipc key', opts: [], kv: { 'kernel.shmmax': '1000' }, ok: true },
  { name: 'mqueue', opts: [], kv: { 'fs.mqueue.msg_max': '20' }, ok: true },
  { name: 'non-namespaced', opts: [], kv: { 'kernel.panic': '1' }, ok: false },
  { name: 'net with host network', opts: [withNetwork({ mode: 'host' })], kv: { 'net.ipv4.ip_forward': '1' }, ok: false },
  { name: 'ipc with host ipc', opts: [withIpcNamespace({ mode: 'host' })], kv: { 'kernel.shmmax': '1' }, ok: false },
];
for (const c of sysctlCases) {
  test(`sysctl: ${c.name}`, () => {
    if (c.ok) assert.deepEqual(build(...c.opts, withSysctls(c.kv)).linux.sysctl, c.kv);
    else assert.throws(() => build(...c.opts, withSysctls(c.kv)), isEngineKind('invalid-argument'));
  });
}

const ulimitCases = [
  { name: 'within host', u: 'nofile=1024:4096', want: { type: 'RLIMIT_NOFILE', soft: 1024, hard: 4096 } },
  { name: 'hard clamped to host hard', u: 'nofile=1048576:1048576', want: { type: 'RLIMIT_NOFILE', soft: 20000, hard: 20000 } },
  { name: 'soft only', u: 'nproc=512', want: { type: 'RLIMIT_NPROC', soft: 512, hard: 512 } },
  { name: 'unlimited host keeps value', u: 'core=-1', want: { type: 'RLIMIT_CORE', soft: -1, hard: -1 } },
  { name: 'unlimited asked, clamped', u: 'nproc=-1:-1', want: { type: 'RLIMIT_NPROC', soft: 96365, hard: 96365 } },
];
for (const c of ulimitCases) {
  test(`ulimit: ${c.name}`, () => assert.deepEqual(build(withUlimits([parseUlimit(c.u)].map((u) => ({ name: u.Name, soft: u.Soft, hard: u.Hard })))).process.rlimits, [c.want]));
}
test('ulimit: bad input', () => {
  assert.throws(() => parseUlimit('nofile'), isEngineKind('invalid-argument'));
  assert.throws(() => parseUlimit('bogus=1'), isEngineKind('invalid-argument'));
  assert.throws(() => parseUlimit('nofile=10:5'), isEngineKind('invalid-argument'));
});
test("ulimit: iSulad's messages (ulimit.sh)", () => {
  const cases: Array<[string, RegExp]> = [
    ['nproc=', /delimiter '=' can't be the first or the last character/],
    ['nproc=1024:', /delimiter ':' can't be the first or the last character/],
    ['npro=1024:2048', /^Invalid ulimit type: npro$/],
    ['nproc=4096:2048', /^Ulimit soft limit must be less than or equal to hard limit: 4096 > 2048$/],
    ['nproc=2048:4096.5', /^Invalid ulimit hard value: "nproc=2048:4096.5"/],
    ['nproc=x', /^Invalid ulimit soft value/],
    ['nproc==2048:4096', /^Invalid ulimit argument: nproc==2048:4096$/],
    ['nproc=2048::4096', /^Too many limit value arguments - 2048::4096/],
  ];
  for (const [raw, re] of cases) assert.throws(() => parseUlimit(raw), (e: Error) => re.test(e.message), raw);
  assert.deepEqual(parseUlimit('nofile=-1'), { Name: 'nofile', Soft: -1, Hard: -1 });
});

const memCases = [
  { name: 'memory only: swap = 2x', o: { memory: 64 << 20 }, want: { limit: 64 << 20, swap: 128 << 20 } },
  { name: 'memory + swap', o: { memory: 64 << 20, memorySwap: 100 << 20 }, want: { limit: 64 << 20, swap: 100 << 20 } },
  { name: 'unlimited swap', o: { memory: 64 << 20, memorySwap: -1 }, want: { limit: 64 << 20, swap: -1 } },
];
for (const c of memCases) test(`memory: ${c.name}`, () => assert.deepEqual(build(withMemory(c.o)).linux.resources.memory, c.want));
test('memory: invalid combinations', () => {
  assert.throws(() => build(withMemory({ memory: 1024 })), /Minimum memory limit/);
  assert.throws(() => build(withMemory({ memorySwap: 1 << 30 })), /always set the Memory limit/);
  assert.throws(() => build(withMemory({ memory: 64 << 20, memorySwap: 32 << 20 })), /larger than memory/);
});

const cpuCases = [
  { name: 'cpus 1.5', o: { cpus: 1.5 }, want: { period: 100000, quota: 150000 } },
  { name: 'shares', o: { shares: 512 }, want: { shares: 512 } },
  { name: 'quota/period', o: { quota: 50000, period: 200000 }, want: { quota: 50000, period: 200000 } },
  { name: 'cpuset', o: { cpusetCpus: '0-1,3' }, want: { cpus: '0-1,3' } },
];
for (const c of cpuCases) test(`cpu: ${c.name}`, () => assert.deepEqual(build(withCpu(c.o)).linux.resources.cpu, c.want));
test('cpu: invalid', () => {
  assert.throws(() => build(withCpu({ cpusetCpus: 'a' })), isEngineKind('invalid-argument'));
  assert.throws(() => build(withCpu({ cpus: 1, quota: 5000 })), /Conflicting/);
  assert.throws(() => build(withCpu({ period: 10 })), isEngineKind('invalid-argument'));
});

test('pids limit', () => {
  assert.deepEqual(build(withPidsLimit(20)).linux.resources.pids, { limit: 20 });
  assert.equal(build(withPidsLimit(-1)).linux.resources.pids, undefined);
});

test('oom score adj: raise only', () => {
  assert.equal(build(withOomScoreAdj(500)).process.oomScoreAdj, 500);
  assert.throws(() => build(withOomScoreAdj(-100)), /CAP_SYS_RESOURCE/);
  assert.throws(() => build(withOomScoreAdj(2000)), isEngineKind('invalid-argument'));
});

test('cgroups path', () => {
  assert.equal(build(withCgroupsPath('isulad', 'abc')).linux.cgroupsPath, '/isulad/abc');
  assert.equal(build(withCgroupsPath('/a/b/', 'abc')).linux.cgroupsPath, '/a/b/abc');
  assert.throws(() => build(withCgroupsPath('../x', 'abc')), isEngineKind('invalid-argument'));
});

const nsCases = [
  { name: 'net host removes netns', opt: withNetwork({ mode: 'host' }), type: 'network', want: undefined },
  { name: 'net none keeps private netns', opt: withNetwork(parseNamespaceMode('none', 'network')), type: 'network', want: { type: 'network' } },
  { name: 'net path joins', opt: withNetwork({ mode: 'path', path: '/proc/1/ns/net' }), type: 'network', want: { type: 'network', path: '/proc/1/ns/net' } },
  { name: 'pid host', opt: withPidNamespace({ mode: 'host' }), type: 'pid', want: undefined },
  { name: 'ipc path', opt: withIpcNamespace({ mode: 'path', path: '/proc/2/ns/ipc' }), type: 'ipc', want: { type: 'ipc', path: '/proc/2/ns/ipc' } },
  { name: 'uts host', opt: withUtsNamespace({ mode: 'host' }), type: 'uts', want: undefined },
];
for (const c of nsCases) {
  test(`namespaces: ${c.name}`, () => assert.deepEqual(build(c.opt).linux.namespaces.find((n) => n.type === c.type), c.want));
}
test('a shared UTS namespace (--net host, a host-network pod) keeps $HOSTNAME but no spec hostname (runc refuses one)', () => {
  const base = { Hostname: 'myhost', Cmd: ['sh'] };
  const shared = specOfSync('a'.repeat(64), '/r', 'isulad', { ...base, UTSMode: 'host' }, ctx());
  assert.equal(shared.hostname, '');
  assert.equal(env(shared, 'HOSTNAME'), 'myhost');
  assert.equal(specOfSync('a'.repeat(64), '/r', 'isulad', base, ctx()).hostname, 'myhost');
});

test('namespaces: uts host conflicts with hostname; bad mode', () => {
  assert.throws(() => build(withHostname('x'), withUtsNamespace({ mode: 'host' })), /Conflicting/);
  assert.throws(() => parseNamespaceMode('bogus', 'pid'), isEngineKind('invalid-argument'));
});

test('bind mounts ro/rw replace same destination', () => {
  const s = build(withBindMounts([{ source: '/srv/a', destination: '/data', readonly: true }, { source: '/srv/b', destination: '/data/', readonly: false }]));
  const m = s.mounts.filter((x) => x.destination === '/data');
  assert.deepEqual(m, [{ destination: '/data', type: 'bind', source: '/srv/b', options: ['rbind', 'rw'] }]);
  assert.throws(() => build(withBindMounts([{ source: 'rel', destination: '/x', readonly: false }])), isEngineKind('invalid-argument'));
  assert.throws(() => build(withBindMounts([{ source: '/a', destination: '/x/../..', readonly: false }])), isEngineKind('invalid-argument'));
});

test('a shared bind makes the root mount tree rshared (else the bind could not propagate back)', () => {
  assert.equal(build(withBindMounts([{ source: '/srv/a', destination: '/a', readonly: false, propagation: 'rslave' }])).linux.rootfsPropagation, undefined);
  const s = build(withBindMounts([{ source: '/srv/a', destination: '/a', readonly: false, propagation: 'rshared' }]));
  assert.equal(s.linux.rootfsPropagation, 'rshared');
  assert.deepEqual(s.mounts.at(-1)?.options, ['rbind', 'rw', 'rshared']);
});

test('Mount[] from storage/volumes', () => {
  const s = build(withMounts([{ type: 'bind', source: '/v', target: '/vol', options: ['rbind', 'rw'] }]));
  assert.deepEqual(s.mounts.at(-1), { destination: '/vol', type: 'bind', source: '/v', options: ['rbind', 'rw'] });
});

test('tmpfs gets docker defaults unless overridden', () => {
  const s = build(withTmpfs([{ destination: '/run', options: ['size=1m'] }, { destination: '/x', options: ['exec'] }]));
  assert.deepEqual(s.mounts.find((m) => m.destination === '/run')?.options, ['size=1m', 'noexec', 'nosuid', 'nodev']);
  assert.deepEqual(s.mounts.find((m) => m.destination === '/x')?.options, ['exec', 'nosuid', 'nodev']);
});

test('shm size', () => {
  const s = build(withShmSize(128 << 20));
  assert.ok(s.mounts.find((m) => m.destination === '/dev/shm')?.options.includes(`size=${128 << 20}`));
  assert.throws(() => build(withShmSize(0)), isEngineKind('invalid-argument'));
});

test('a user mount at / or in /proc is refused by the spec layer, for every runtime (issue 13 item 2)', () => {
  for (const dest of ['/proc', '/proc/', '//proc/sys/x', '/']) {
    assert.throws(() => build(withBindMounts([{ source: '/srv/a', destination: dest, readonly: false }])), /not allowed/, dest);
  }
  assert.throws(() => build(withTmpfs([{ destination: '/proc', options: [] }])), /mount destination "\/proc" is not allowed: inside \/proc/);
  assert.throws(() => build(withMounts([{ type: 'bind', source: '/v', target: '/proc/x', options: ['rbind'] }])), /not allowed/);
  // what lxcfs serves stays possible, and the defaults' own procfs is untouched
  const s = build(withBindMounts([{ source: '/var/lib/lxcfs/proc/meminfo', destination: '/proc/meminfo', readonly: true }]));
  assert.ok(s.mounts.some((m) => m.destination === '/proc' && m.type === 'proc'));
});
