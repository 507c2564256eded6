import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFlags } from '../../../../src/cli/flags.ts';
import { validateCreateRequest } from '../../../../src/services/containers/validate.ts';
import type { CreateRequest } from '../../../../src/services/containers/types.ts';
import { createFromFlags, createRequestJson, parseDeviceFlag, parseEnvFile, parseMountFlag, RUN_FLAGS } from '../../../../src/cli/lib/create-flags.ts';

const files: Record<string, string> = {
  '/envs': '# comment\nA=1\n\nB=two words\n',
  '/prof.json': '{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[]}',
};
const read = (p: string) => {
  const t = files[p];
  if (t === undefined) throw new Error('ENOENT');
  return t;
};

function parse(argv: string[]) {
  const f = parseFlags(RUN_FLAGS, argv, { stopAtFirstArg: true });
  return createFromFlags(f, f.args, read);
}

test('run flags map to config and host config (iSulad names)', () => {
  const c = parse([
    '--name', 'web', '-e', 'X=1', '--env-file', '/envs', '-u', '1000:1000', '-w', '/srv', '-h', 'box', '-l', 'a=b', '-l', 'flag',
    '--annotation', 'k=v', '--restart', 'on-failure:2', '--read-only', '--tmpfs', '/run:size=1m', '-v', '/a:/b:ro',
    '--mount', 'type=tmpfs,dst=/t,tmpfs-size=1m', '--shm-size', '128m', '--cap-add', 'NET_ADMIN', '--cap-drop', 'ALL',
    '--security-opt', 'no-new-privileges', '--security-opt', 'seccomp=/prof.json', '--device', '/dev/null:/dev/n:rw',
    '--sysctl', 'net.ipv4.ip_forward=1', '--ulimit', 'nofile=100:200', '-m', '64m', '--memory-swap', '-1', '--cpus', '0.5',
    '--cpu-shares', '512', '--cpuset-cpus', '0', '--pids-limit', '20', '--oom-score-adj', '100', '--stop-signal', 'SIGUSR1',
    '--net', 'none', '--pid', 'host', '--log-opt', 'max-size=1m', '--log-opt', 'max-file=2', '--runtime', 'lcr', '--pull', 'never',
    '-i', '-d', 'busybox', 'sh', '-c', 'echo hi',
  ]);
  assert.equal(c.name, 'web');
  assert.equal(c.image, 'busybox');
  assert.equal(c.pull, 'never');
  assert.equal(c.runtime, 'lcr');
  assert.deepEqual(c.config.Cmd, ['sh', '-c', 'echo hi']);
  assert.deepEqual(c.config.Env, ['A=1', 'B=two words', 'X=1']);
  assert.equal(c.config.User, '1000:1000');
  assert.equal(c.config.WorkingDir, '/srv');
  assert.equal(c.config.Hostname, 'box');
  assert.deepEqual(c.config.Labels, { a: 'b', flag: '' });
  assert.deepEqual(c.config.Annotations, { k: 'v' });
  assert.equal(c.config.StopSignal, 'SIGUSR1');
  assert.equal(c.config.OpenStdin, true);
  const h = c.hostConfig;
  assert.deepEqual(h.RestartPolicy, { Name: 'on-failure', MaximumRetryCount: 2 });
  assert.equal(h.ReadonlyRootfs, true);
  assert.deepEqual(h.Tmpfs, { '/run': 'size=1m' });
  assert.deepEqual(h.Binds, ['/a:/b:ro']);
  assert.deepEqual(h.Mounts, [{ Type: 'tmpfs', Source: '', Target: '/t', ReadOnly: false, TmpfsSize: 1024 * 1024 }]);
  assert.equal(h.ShmSize, 128 * 1024 * 1024);
  assert.deepEqual(h.CapAdd, ['NET_ADMIN']);
  assert.deepEqual(h.CapDrop, ['ALL']);
  assert.deepEqual(h.SecurityOpt, ['no-new-privileges', `seccomp=${files['/prof.json']}`]);
  assert.deepEqual(h.Devices, [{ PathOnHost: '/dev/null', PathInContainer: '/dev/n', CgroupPermissions: 'rw' }]);
  assert.deepEqual(h.Sysctls, { 'net.ipv4.ip_forward': '1' });
  assert.deepEqual(h.Ulimits, [{ Name: 'nofile', Soft: 100, Hard: 200 }]);
  assert.equal(h.Memory, 64 * 1024 * 1024);
  assert.equal(h.MemorySwap, -1);
  assert.equal(h.NanoCpus, 500_000_000);
  assert.equal(h.CpuShares, 512);
  assert.equal(h.CpusetCpus, '0');
  assert.equal(h.PidsLimit, 20);
  assert.equal(h.OomScoreAdj, 100);
  assert.equal(h.NetworkMode, 'none');
  assert.equal(h.PidMode, 'host');
  assert.deepEqual(h.LogConfig, { Type: 'json-file', Config: { 'max-size': '1m', 'max-file': '2' } });
  const json = createRequestJson(c);
  assert.equal(JSON.parse(json.customconfig).Pull, 'never');
  assert.equal(JSON.parse(json.hostconfig).Memory, 64 * 1024 * 1024);
});

test('flags after the image belong to the container command', () => {
  const c = parse(['busybox', 'ls', '-l', '--rm']);
  assert.deepEqual(c.config.Cmd, ['ls', '-l', '--rm']);
  assert.equal(c.hostConfig.AutoRemove, undefined);
});

test('bad values are invalid-argument with a clear message', () => {
  const bad: Array<[string[], RegExp]> = [
    [['--restart', 'sometimes', 'busybox'], /restart policy/],
    [['--cpus', 'x', 'busybox'], /--cpus/],
    [['--net', '', 'busybox'], /invalid network mode/],
    [['--log-opt', 'colour=red', 'busybox'], /Invalid log opt/],
    [['--log-driver', 'journald', 'busybox'], /Unsupported log driver/],
    [['--log-driver', 'syslog', '--log-opt', 'max-size=1m', 'busybox'], /Invalid log opt: max-size/],
    [['--log-driver', 'syslog', '--log-opt', 'syslog-facility=bogus', 'busybox'], /Invalid option 'syslog-facility', value:bogus/],
    [['--log-driver', 'syslog', '--log-opt', 'syslog-address=udp://1.2.3.4:514', 'busybox'], /syslog-address/],
    [['--security-opt', 'seccomp=/missing', 'busybox'], /seccomp profile/],
    [['--security-opt', 'apparmor=x', 'busybox'], /Invalid --security-opt/],
    [['--pull', 'sometimes', 'busybox'], /pull/],
    [['-w', 'rel', 'busybox'], /absolute/],
    [['--mount', 'type=squashfs,dst=/x', 'busybox'], /mount type/],
    [['-v', 'rel', 'busybox'], /Invalid volume specification/],
    [[], /image name is required/],
  ];
  for (const [argv, re] of bad) {
    assert.throws(() => parse(argv), (err: Error & { kind?: string }) => re.test(err.message) && err.kind === 'invalid-argument', argv.join(' '));
  }
});

test('ranges are not the CLI\'s: the flags parse, the daemon\'s one validator refuses with iSulad\'s words', () => {
  const cases: Array<[string[], RegExp]> = [
    [['-m', '1k', 'busybox'], /Minimum memory limit allowed is 4MB/],
    [['--memory-swap', '1g', 'busybox'], /You should always set the Memory limit when using Memoryswap limit/],
    [['-m', '64m', '--memory-swap', '32m', 'busybox'], /Minimum memoryswap limit should be larger than memory limit/],
    [['--oom-score-adj', '2000', 'busybox'], /range for oom score adj is \[-1000, 1000\]/],
    [['--cpus', '1', '--cpu-quota', '1000', 'busybox'], /Conflicting options: Nano CPUs and CPU Quota cannot both be set/],
    [['--cpu-period', '10', 'busybox'], /CPU cfs period can not be less than 1ms/],
    [['--cpus', '9999', 'busybox'], /Range of CPUs is from 0.01 to 2.00/],
    [['--cpuset-cpus', 'zero', 'busybox'], /Invalid value zero for cpuset cpus/],
    // issue 13: the last four the CLI used to range-check itself
    [['--cpus', '0.001', 'busybox'], /Range of CPUs is from 0.01 to 2.00, as there are only 2 CPUs available/],
    [['--memory-swappiness', '101', 'busybox'], /Invalid value: 101, valid memory swappiness range is 0-100/],
    [['--memory-swappiness', '-2', 'busybox'], /Invalid value: -2, valid memory swappiness range is 0-100/],
    [['--blkio-weight', '5', 'busybox'], /Range of blkio weight is from 10 to 1000\./],
    [['--blkio-weight', '1001', 'busybox'], /Range of blkio weight is from 10 to 1000\./],
  ];
  // a weight that is not a uint16 is the client's parse error, as iSulad's (blkio_weight.sh: -1)
  for (const w of ['70000', '-1']) assert.throws(() => parse(['--blkio-weight', w, 'busybox']), new RegExp(`Invalid value "${w}" for flag --blkio-weight: Numerical result out of range`));
  for (const [argv, re] of cases) {
    const wire = createRequestJson(parse(argv));
    const req = { image: 'busybox', config: JSON.parse(wire.customconfig), hostConfig: JSON.parse(wire.hostconfig) } as unknown as CreateRequest;
    assert.throws(() => validateCreateRequest(req, 2), (err: Error & { kind?: string }) => re.test(err.message) && err.kind === 'invalid-argument', argv.join(' '));
  }
});

test('--cpus 0 and --shm-size 0 parse (no limit, the default size: iSulad) and pass the validator', () => {
  const c = parse(['--cpus', '0', '--shm-size', '0', '--memory-swappiness', '-1', '--blkio-weight', '0', 'busybox']);
  assert.equal(c.hostConfig.NanoCpus, 0);
  assert.equal(c.hostConfig.ShmSize, 0);
  const wire = createRequestJson(c);
  validateCreateRequest({ image: 'busybox', config: JSON.parse(wire.customconfig), hostConfig: JSON.parse(wire.hostconfig) } as unknown as CreateRequest, 2);
});

test('small parsers', () => {
  assert.deepEqual(parseEnvFile('A=1\n#x\n  B=2\nHOMEX', { HOMEX: '/h' }), ['A=1', 'B=2', 'HOMEX=/h']);
  assert.deepEqual(parseDeviceFlag('/dev/fuse'), { PathOnHost: '/dev/fuse', PathInContainer: '/dev/fuse', CgroupPermissions: 'rwm' });
  assert.deepEqual(parseDeviceFlag('/dev/fuse:r'), { PathOnHost: '/dev/fuse', PathInContainer: '/dev/fuse', CgroupPermissions: 'r' });
  assert.deepEqual(parseMountFlag('type=bind,source=/a,target=/b,readonly'), { Type: 'bind', Source: '/a', Target: '/b', ReadOnly: true });
  assert.throws(() => parseMountFlag('type=bind,dst=/b'), /source is required/);
});

// issue 17: the finer resource flags → iSulad's HostConfig keys
test('resource flags map to iSulad HostConfig keys', () => {
  files['/labels'] = '# c\nteam=edge\nsite=a\n';
  const c = parse([
    '--memory-reservation', '32m', '--memory-swappiness', '30', '--kernel-memory', '16m', '--oom-kill-disable', '--cpuset-mems', '0',
    '--cpu-rt-period', '1000000', '--cpu-rt-runtime', '10000', '--blkio-weight', '300', '--blkio-weight-device', '/dev/sda:200',
    '--device-read-bps', '/dev/sda:1mb', '--device-write-bps', '/dev/sda:2m', '--device-read-iops', '/dev/sda:100', '--device-write-iops', '/dev/sda:200',
    '--hugetlb-limit', '2MB:32MB', '--hugetlb-limit', '1g', '--files-limit', '-1', '--cgroup-parent', 'edge', '--device-cgroup-rule', 'c 42:* rwm',
    '--group-add', 'audio', '--label-file', '/labels', '-l', 'site=b', 'busybox',
  ]);
  const h = c.hostConfig;
  assert.equal(h.MemoryReservation, 32 << 20);
  assert.equal(h.MemorySwappiness, 30);
  assert.equal(h.KernelMemory, 16 << 20);
  assert.equal(h.OomKillDisable, true);
  assert.equal(h.CpusetMems, '0');
  assert.equal(h.CPURealtimePeriod, 1000000);
  assert.equal(h.CPURealtimeRuntime, 10000);
  assert.equal(h.BlkioWeight, 300);
  assert.deepEqual(h.BlkioWeightDevice, [{ Path: '/dev/sda', Weight: 200 }]);
  assert.deepEqual(h.BlkioDeviceReadBps, [{ Path: '/dev/sda', Rate: 1 << 20 }]);
  assert.deepEqual(h.BlkioDeviceWriteBps, [{ Path: '/dev/sda', Rate: 2 << 20 }]);
  assert.deepEqual(h.BlkioDeviceReadIops, [{ Path: '/dev/sda', Rate: 100 }]);
  assert.deepEqual(h.BlkioDeviceWriteIops, [{ Path: '/dev/sda', Rate: 200 }]);
  assert.deepEqual(h.Hugetlbs, [{ PageSize: '2MB', Limit: 32 << 20 }, { PageSize: '', Limit: 1 << 30 }]);
  assert.equal(h.FilesLimit, -1);
  assert.equal(h.CgroupParent, 'edge');
  assert.deepEqual(h.DeviceCgroupRules, ['c 42:* rwm']);
  assert.deepEqual(h.GroupAdd, ['audio']);
  assert.deepEqual(c.config.Labels, { team: 'edge', site: 'b' });
});

test('resource flag syntax errors use iSulad\'s client messages', () => {
  const cases: Array<[string[], RegExp]> = [
    [['--memory-swappiness', '1.5'], /Invalid value "1.5" for flag --memory-swappiness. Valid memory swappiness range is 0-100/],
    [['--cpus', '-1'], /Invalid value "-1" for flag --cpus/],
    [['--shm-size', '-1'], /--shm-size/],
    [['--blkio-weight', 'x'], /--blkio-weight/],
    [['--blkio-weight-device', '/dev/sda'], /Bad blkio weight device format: \/dev\/sda/],
    [['--blkio-weight-device', 'sda:100'], /Bad format for device path: sda:100/],
    [['--blkio-weight-device', '/dev/sda:5'], /Invalid weight for device: \/dev\/sda:5/],
    [['--device-read-bps', '/dev/sda:x'], /invalid rate for device: \/dev\/sda:x/],
    [['--device-write-iops', '/dev/sda:1k'], /invalid rate for device: \/dev\/sda:1k/],
    [['--hugetlb-limit', '2MB:1MB:3'], /too many colons/],
    [['--device-cgroup-rule', 'x 1:2 r'], /Invalid value "x 1:2 r" for flag --device-cgroup-rule/],
    [['--label-file', '/missing'], /label file not exists: \/missing/],
  ];
  for (const [args, re] of cases) assert.throws(() => parse([...args, 'busybox']), re, args.join(' '));
});

test('--network is --net (the last of the two wins); several networks stay one comma-joined mode', () => {
  assert.equal(parse(['--network', 'a,b,c', 'busybox']).hostConfig.NetworkMode, 'a,b,c');
  assert.equal(parse(['--network=x', 'busybox']).hostConfig.NetworkMode, 'x');
  assert.equal(parse(['--net', 'none', '--network', 'x', 'busybox']).hostConfig.NetworkMode, 'x');
  assert.equal(parse(['--network', 'x', '--net', 'host', 'busybox']).hostConfig.NetworkMode, 'host');
  assert.throws(() => parse(['--network', 'n'.repeat(201 * 1024), 'busybox']), /Network mode "n+" is too long/);
  assert.ok(RUN_FLAGS.some((f) => f.long === 'network' && !f.hidden), '--network is listed in --help, as in iSulad');
});
