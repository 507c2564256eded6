// The container's Config/HostConfig straight to the OCI spec (src/spec/container.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { containerSpec } from '../../../src/spec/container.ts';
import type { HostValues } from '../../../src/spec/container.ts';
import type { SpecContext } from '../../../src/spec/types.ts';
import { defaultHostConfig } from '../../../src/services/containers/create.ts';
import { EMPTY_CONFIG } from '../../helpers/spec.ts';

const ctx = (): SpecContext => ({
  passwd: 'root:x:0:0:root:/root:/bin/sh\nuser:x:1000:1000::/home/user:/bin/sh\n',
  group: 'root:x:0:\nuser:x:1000:\n',
  hostLimits: { RLIMIT_NOFILE: { soft: 1024, hard: 20000 } },
  hostOomScoreAdj: 0,
});
const ID = 'x'.repeat(64);
const host: HostValues = { cgroupParent: 'isulad', devices: [] };

test('HostConfig and Config fields reach the spec', () => {
  const hostConfig = {
    ...defaultHostConfig(),
    Binds: ['/srv:/data:ro'],
    Tmpfs: { '/run': 'size=1m' },
    Mounts: [{ Type: 'tmpfs' as const, Source: '', Target: '/t', ReadOnly: true, TmpfsSize: 4096 }],
    SecurityOpt: ['no-new-privileges', 'seccomp=unconfined'],
    Memory: 64 << 20,
    NanoCpus: 1_500_000_000,
    PidsLimit: 20,
    NetworkMode: 'host',
    Ulimits: [{ Name: 'nofile', Soft: 100, Hard: 200 }],
  };
  const config = { ...EMPTY_CONFIG, Hostname: 'h1', User: '1000', Env: ['A=1'], Cmd: ['echo'], Annotations: { k: 'v' }, WorkingDir: '/w', StopSignal: 'SIGUSR1' };
  const s = containerSpec({ id: ID, rootfs: '/r', config, hostConfig, image: { Entrypoint: ['/ep'], Cmd: ['img'] } }, host, ctx());
  const m = (dst: string) => s.mounts.find((x) => x.destination === dst);
  assert.deepEqual(m('/data'), { destination: '/data', type: 'bind', source: '/srv', options: ['rbind', 'ro', 'rprivate'] }, 'a -v bind without a mode is rprivate');
  assert.deepEqual(m('/run')?.options.includes('size=1m'), true);
  assert.ok(m('/t')?.options.includes('ro') && m('/t')?.options.includes('size=4096'));
  assert.equal(s.process.noNewPrivileges, true);
  assert.equal(s.linux.seccomp, undefined, 'seccomp=unconfined');
  assert.equal(s.linux.resources.memory?.limit, 64 << 20);
  assert.equal(s.linux.resources.cpu?.quota, 150000);
  assert.equal(s.linux.resources.pids?.limit, 20);
  assert.equal(s.linux.namespaces.find((n) => n.type === 'network'), undefined, 'NetworkMode host');
  assert.deepEqual(s.process.args, ['echo'], 'an empty Entrypoint resets the image\'s');
  assert.deepEqual(s.process.rlimits?.find((r) => r.type === 'RLIMIT_NOFILE'), { type: 'RLIMIT_NOFILE', soft: 100, hard: 200 });
  assert.deepEqual([s.process.user.uid, s.process.cwd], [1000, '/w']);
  assert.ok(s.process.env.includes('A=1'));
  assert.equal(s.annotations?.['k'], 'v');
  assert.equal(s.linux.cgroupsPath, `/isulad/${ID}`);
  assert.equal(s.hostname, 'h1');
});

test('HostConfig.CgroupParent wins over the daemon\'s; the short id is the default hostname', () => {
  const s = containerSpec({ id: ID, rootfs: '/r', config: { ...EMPTY_CONFIG, Cmd: ['true'] }, hostConfig: { ...defaultHostConfig(), CgroupParent: 'pod1' } }, host, ctx());
  assert.equal(s.linux.cgroupsPath, `/pod1/${ID}`);
  assert.equal(s.hostname, ID.slice(0, 12));
});

test('an unknown --security-opt is refused', () => {
  const input = { id: ID, rootfs: '/r', config: { ...EMPTY_CONFIG, Cmd: ['true'] }, hostConfig: { ...defaultHostConfig(), SecurityOpt: ['apparmor=x'] } };
  assert.throws(() => containerSpec(input, host, ctx()), /Invalid --security-opt/);
});

test('the generated /etc files are bound unless a -v bind or volume covers them (an anonymous -v /dst covers only /dst)', () => {
  const networkFiles = [{ source: '/c/hosts', destination: '/etc/hosts' }, { source: '/c/resolv.conf', destination: '/etc/resolv.conf' }];
  const specOf = (Binds: string[]) =>
    containerSpec({ id: ID, rootfs: '/r', config: { ...EMPTY_CONFIG, Cmd: ['true'] }, hostConfig: { ...defaultHostConfig(), Binds }, networkFiles }, host, ctx());
  const hosts = (Binds: string[]) => specOf(Binds).mounts.filter((m) => m.destination === '/etc/hosts').map((m) => m.source);
  assert.deepEqual(hosts(['/data']), ['/c/hosts'], 'an anonymous volume at /data');
  assert.deepEqual(hosts(['vol:/data:ro']), ['/c/hosts'], 'a named volume at /data');
  assert.deepEqual(hosts(['/srv:/etc']), [], 'a bind over /etc keeps its own content');
  assert.deepEqual(hosts(['/h:/etc/hosts:ro']), ['/h'], 'a bind at the file itself');
});

test("the daemon's default ulimits reach the spec, clamped; a container's own --ulimit of a type wins", () => {
  const daemonHost: HostValues = { ...host, defaultUlimits: [{ name: 'nofile', soft: 1024, hard: 40960 }, { name: 'nproc', soft: 2048, hard: 8192 }] };
  const input = (ulimits: Array<{ Name: string; Soft: number; Hard: number }>) => ({ id: ID, rootfs: '/r', config: { ...EMPTY_CONFIG, Cmd: ['true'] }, hostConfig: { ...defaultHostConfig(), Ulimits: ulimits } });
  const byType = (ulimits: Array<{ Name: string; Soft: number; Hard: number }>) => Object.fromEntries(containerSpec(input(ulimits), daemonHost, ctx()).process.rlimits.map((r) => [r.type, [r.soft, r.hard]]));
  assert.deepEqual(byType([]), { RLIMIT_NOFILE: [1024, 20000], RLIMIT_NPROC: [2048, 8192] }, 'nofile hard lowered to the daemon\'s 20000');
  assert.deepEqual(byType([{ Name: 'nofile', Soft: 100, Hard: 200 }]), { RLIMIT_NOFILE: [100, 200], RLIMIT_NPROC: [2048, 8192] });
  assert.deepEqual(containerSpec(input([]), host, ctx()).process.rlimits, [], 'no defaults, no rlimits');
});
