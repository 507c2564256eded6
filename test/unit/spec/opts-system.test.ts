import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaults } from '../../../src/spec/defaults.ts';
import type { SpecContext } from '../../../src/spec/types.ts';
import { withNsChangeOpt, withSystemContainerMounts, withSystemContainerSecurity, withUserRemap } from '../../../src/spec/opts-system.ts';

const CTX: SpecContext = { passwd: '', group: '', hostLimits: {}, hostOomScoreAdj: 0 };

test('system container mounts: /run, /run/lock, /tmp tmpfs, half of -m each', () => {
  const s = defaults();
  withSystemContainerMounts(64 * 1024 * 1024)(s, CTX);
  const tmp = s.mounts.find((m) => m.destination === '/tmp');
  assert.deepEqual(tmp, { destination: '/tmp', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'noexec', 'nodev', 'mode=1777', 'size=32768k'] });
  assert.deepEqual(s.mounts.find((m) => m.destination === '/run/lock')?.options, ['nosuid', 'noexec', 'nodev', 'mode=755', 'size=32768k']);
  const noLimit = defaults();
  withSystemContainerMounts(0)(noLimit, CTX);
  assert.deepEqual(noLimit.mounts.find((m) => m.destination === '/run')?.options, ['nosuid', 'noexec', 'nodev', 'mode=755']);
});

test('system container security: CAP_SYS_BOOT unless dropped; mount/unshare/reboot let through, the rest still refused', () => {
  const s = defaults();
  withSystemContainerSecurity([])(s, CTX);
  for (const set of ['bounding', 'effective', 'permitted'] as const) assert.ok(s.process.capabilities[set].includes('CAP_SYS_BOOT'), set);
  const denied = (s.linux.seccomp?.syscalls ?? []).filter((r) => r.action === 'SCMP_ACT_ERRNO' && !r.args).flatMap((r) => r.names);
  for (const n of ['mount', 'umount2', 'reboot', 'name_to_handle_at', 'unshare']) assert.ok(!denied.includes(n), n);
  for (const n of ['pivot_root', 'setns', 'open_by_handle_at', 'kexec_load']) assert.ok(denied.includes(n), n);
  const dropped = defaults();
  withSystemContainerSecurity(['sys_boot', 'KILL'])(dropped, CTX);
  assert.ok(!dropped.process.capabilities.bounding.includes('CAP_SYS_BOOT'));
  assert.ok(dropped.process.capabilities.bounding.includes('CAP_KILL'), 'a default capability is not taken away by this option');
  // an allow-list profile gets an explicit allow rule; unconfined stays without a filter
  const allowList = defaults();
  allowList.linux.seccomp = { defaultAction: 'SCMP_ACT_ERRNO', syscalls: [{ names: ['read'], action: 'SCMP_ACT_ALLOW' }] };
  withSystemContainerSecurity([])(allowList, CTX);
  assert.deepEqual(allowList.linux.seccomp.syscalls?.at(-1), { names: ['mount', 'umount2', 'reboot', 'name_to_handle_at', 'unshare'], action: 'SCMP_ACT_ALLOW' });
  const unconfined = defaults();
  delete unconfined.linux.seccomp;
  withSystemContainerSecurity([])(unconfined, CTX);
  assert.equal(unconfined.linux.seccomp, undefined);
});

test('--ns-change-opt: /proc/sys read-only except net and/or the ipc sysctls', () => {
  const entries = { top: ['abi', 'fs', 'kernel', 'net', 'vm'], kernel: ['domainname', 'shmmax', 'sem', 'hostname'], fs: ['file-max', 'mqueue'] };
  const net = defaults();
  withNsChangeOpt(['net'], entries)(net, CTX);
  assert.ok(!net.linux.readonlyPaths.includes('/proc/sys'));
  assert.deepEqual(net.linux.readonlyPaths.filter((p) => p.startsWith('/proc/sys/')), ['/proc/sys/abi', '/proc/sys/fs', '/proc/sys/kernel', '/proc/sys/vm']);
  const both = defaults();
  withNsChangeOpt(['net', 'ipc'], entries)(both, CTX);
  assert.deepEqual(both.linux.readonlyPaths.filter((p) => p.startsWith('/proc/sys/')),
    ['/proc/sys/abi', '/proc/sys/fs/file-max', '/proc/sys/kernel/domainname', '/proc/sys/kernel/hostname', '/proc/sys/vm']);
  // privileged (no read-only paths): nothing to open
  const priv = defaults();
  priv.linux.readonlyPaths = [];
  withNsChangeOpt(['net'], entries)(priv, CTX);
  assert.deepEqual(priv.linux.readonlyPaths, []);
});

test('--user-remap: a user namespace with one uid and one gid range from 0; 0:0 asks for none', () => {
  const s = defaults();
  withUserRemap('100000:200000:65535')(s, CTX);
  assert.ok(s.linux.namespaces.some((n) => n.type === 'user'));
  assert.deepEqual(s.linux.uidMappings, [{ containerID: 0, hostID: 100000, size: 65535 }]);
  assert.deepEqual(s.linux.gidMappings, [{ containerID: 0, hostID: 200000, size: 65535 }]);
  const none = defaults();
  withUserRemap('0:0:100')(none, CTX);
  assert.equal(none.linux.uidMappings, undefined);
  assert.ok(!none.linux.namespaces.some((n) => n.type === 'user'));
});
