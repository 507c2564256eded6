import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  clampOomScoreAdj, containerName, containerRequest, matchesLabels, resolvConf, rfc3339ToNs, sandboxName, sandboxRequest, seccompOpt, userOf, validatePodMetadata,
} from '../../../../src/services/pods/translate.ts';
import type { ContainerConfigIn, PodConfigIn, SandboxRecord } from '../../../../src/services/pods/types.ts';

const pod = { name: 'web', uid: 'u-1', namespace: 'default', attempt: 2 };

test('k8s_ names', () => {
  assert.equal(sandboxName(pod), 'k8s_POD_web_default_u-1_2');
  assert.equal(containerName({ name: 'nginx', attempt: 0 }, pod), 'k8s_nginx_web_default_u-1_0');
});

test('resolv.conf from DNSConfig; none = the host copy', () => {
  assert.equal(resolvConf(null), undefined);
  assert.equal(resolvConf({ servers: [], searches: [], options: [] }), undefined);
  assert.equal(resolvConf({ servers: ['1.1.1.1', '8.8.8.8'], searches: ['a.b', 'c'], options: ['ndots:5'] }), 'search a.b c\nnameserver 1.1.1.1\nnameserver 8.8.8.8\noptions ndots:5\n');
});

test('seccomp profiles', () => {
  const rows: Array<[Parameters<typeof seccompOpt>[0], string, string | undefined]> = [
    [null, '', 'seccomp=unconfined'],
    [{ profile_type: 0, localhost_ref: '' }, '', undefined],
    [{ profile_type: 1, localhost_ref: '' }, '', 'seccomp=unconfined'],
    [{ profile_type: 2, localhost_ref: '/p.json' }, '', 'seccomp=/p.json'],
    [null, 'runtime/default', undefined],
    [null, 'docker/default', undefined],
    [null, 'unconfined', 'seccomp=unconfined'],
    [null, 'localhost//x.json', 'seccomp=/x.json'],
  ];
  for (const [p, legacy, want] of rows) assert.equal(seccompOpt(p, legacy), want, JSON.stringify([p, legacy]));
  assert.throws(() => seccompOpt({ profile_type: 2, localhost_ref: 'rel.json' }, ''), /absolute/);
});

test('run-as user and group', () => {
  assert.equal(userOf({ run_as_user: null, run_as_group: null }), '');
  assert.equal(userOf({ run_as_user: { value: '1000' }, run_as_group: null }), '1000');
  assert.equal(userOf({ run_as_user: { value: 0 }, run_as_group: { value: '50' } }), '0:50');
  assert.equal(userOf({ run_as_user: null, run_as_group: { value: 3 }, run_as_username: 'www-data' }), 'www-data:3');
  assert.throws(() => userOf({ run_as_user: null, run_as_group: { value: 3 } }), /run_as_group/);
});

test('oom_score_adj is clamped to what the daemon may set', () => {
  assert.equal(clampOomScoreAdj(-998, 0), 0);
  assert.equal(clampOomScoreAdj(-998, -1000), -998);
  assert.equal(clampOomScoreAdj(1000, 0), 1000);
});

test('labels selector, timestamps', () => {
  assert.ok(matchesLabels({ a: '1', b: '2' }, { a: '1' }));
  assert.ok(!matchesLabels({ a: '1' }, { a: '2' }));
  assert.ok(matchesLabels({}, undefined));
  assert.equal(rfc3339ToNs('1970-01-01T00:00:01.000000005Z'), '1000000005');
  assert.equal(rfc3339ToNs('2026-01-01T00:00:00Z'), String(BigInt(Date.parse('2026-01-01T00:00:00Z')) * 1_000_000n));
  assert.equal(rfc3339ToNs('0001-01-01T00:00:00Z'), '0');
});

test('container request: namespaces, security, mounts, resources, log path', () => {
  const sb = {
    id: 'p'.repeat(64), metadata: pod, logDirectory: '/var/log/pods/x', netMode: 0, pidMode: 1, ipcMode: 0, netnsPath: '',
    cgroupParent: '/kubepods/podu-1', runtimeHandler: '',
  } as unknown as SandboxRecord;
  const c: ContainerConfigIn = {
    metadata: { name: 'app', attempt: 1 }, image: { image: 'busybox' }, command: ['sh'], args: ['-c', 'x'], working_dir: '/w',
    envs: [{ key: 'A', value: 'b' }], devices: [], labels: { l: '1' }, annotations: { a: '2' }, log_path: 'app/1.log',
    stdin: false, stdin_once: false, tty: false,
    mounts: [{ container_path: '/data', host_path: '/srv', readonly: true, selinux_relabel: false, propagation: 2 }],
    linux: {
      resources: { cpu_period: '100000', cpu_quota: '50000', cpu_shares: '512', memory_limit_in_bytes: '67108864', oom_score_adj: '-999', cpuset_cpus: '', cpuset_mems: '', memory_swap_limit_in_bytes: '0' },
      security_context: {
        capabilities: { add_capabilities: ['NET_ADMIN'], drop_capabilities: ['ALL'] }, privileged: false,
        namespace_options: { network: 0, pid: 0, ipc: 0, target_id: '' }, run_as_user: { value: '1000' }, run_as_group: null,
        run_as_username: '', readonly_rootfs: true, supplemental_groups: ['5', 6], no_new_privs: true, masked_paths: ['/proc/kcore'],
        readonly_paths: [], seccomp: { profile_type: 1, localhost_ref: '' }, seccomp_profile_path: '',
      },
    },
  };
  const { request: r, meta } = containerRequest(c, sb, { hostOomAdj: 0, files: { resolvConf: '/r', hostname: '/h' } });
  assert.equal(r.name, 'k8s_app_web_default_u-1_1');
  assert.deepEqual(r.config?.Entrypoint, ['sh']);
  assert.deepEqual(r.config?.Cmd, ['-c', 'x']);
  assert.deepEqual(r.config?.Env, ['A=b']);
  assert.equal(r.config?.User, '1000');
  const h = r.hostConfig!;
  assert.equal(h.NetworkMode, `container:${sb.id}`);
  assert.equal(h.PidMode, `container:${sb.id}`);
  assert.equal(h.IpcMode, `container:${sb.id}`);
  assert.deepEqual(h.CapAdd, ['CAP_NET_ADMIN']);
  assert.deepEqual(h.CapDrop, ['ALL']);
  assert.deepEqual(h.SecurityOpt, ['seccomp=unconfined', 'no-new-privileges']);
  assert.deepEqual(h.GroupAdd, ['5', '6']);
  assert.deepEqual(h.MaskedPaths, ['/proc/kcore']);
  assert.equal(h.ReadonlyRootfs, true);
  assert.equal(h.OomScoreAdj, 0, 'clamped');
  assert.equal(h.Memory, 64 << 20);
  assert.equal(h.CpuQuota, 50000);
  assert.equal(h.CgroupParent, '/kubepods/podu-1');
  assert.deepEqual(h.LogConfig, { Type: 'cri', Config: { path: '/var/log/pods/x/app/1.log' } });
  assert.deepEqual(h.Mounts?.[0], { Type: 'bind', Source: '/srv', Target: '/data', ReadOnly: true, BindPropagation: 'rshared' });
  assert.ok(h.Mounts?.some((m) => m.Target === '/etc/resolv.conf' && m.Source === '/r'));
  assert.equal(meta.logPath, '/var/log/pods/x/app/1.log');
  assert.deepEqual(meta.labels, { l: '1' });
});

test('pod and container metadata that cannot make a container name are refused up front (found by the CRI wire fuzz)', () => {
  assert.deepEqual(validatePodMetadata(pod), pod);
  for (const bad of [{ namespace: '\u0000' }, { name: 'a b' }, { uid: 'x;K8S_POD_NAME=y' }, { namespace: 'a/b' }]) {
    assert.throws(() => validatePodMetadata({ ...pod, ...bad }), /Invalid sandbox name/, JSON.stringify(bad));
  }
  const sb = { id: 'p'.repeat(64), metadata: pod } as unknown as SandboxRecord;
  const c = { metadata: { name: 'a\u0000b', attempt: 0 }, image: { image: 'busybox' } } as unknown as ContainerConfigIn;
  assert.throws(() => containerRequest(c, sb, { hostOomAdj: 0, files: { resolvConf: '/r', hostname: '/h' } }), /Invalid container name/);
});

test('sandbox request: the pause container logs nothing (log driver none: no copier, FIFO or writer on its start)', () => {
  const cfg = { metadata: pod, hostname: '', log_directory: '', dns_config: null, port_mappings: [], labels: {}, annotations: {}, linux: null } as unknown as PodConfigIn;
  const meta = { kind: 'sandbox' as const, sandboxId: '', name: 'web', attempt: 2, labels: {}, annotations: {}, logPath: '', image: 'pause:3.9', mounts: [] };
  const r = sandboxRequest(cfg, { name: 'k8s_POD_web_default_u-1_2', image: 'pause:3.9', netnsPath: '/run/netns/x', hostOomAdj: 0, runtime: '', meta });
  assert.deepEqual(r.hostConfig?.LogConfig, { Type: 'none', Config: {} });
  assert.equal(r.hostConfig?.NetworkMode, '/run/netns/x');
});
