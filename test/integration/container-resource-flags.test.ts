// The finer resource flags of iSulad's create/run (issue 17), each checked from the kernel side:
// the container's cgroup files, /proc/<pid>/status, devices.list, on every runtime of the
// RUNTIMES table. Flags this host's kernel cannot apply (blkio weight without BFQ, hugetlb only
// on the hybrid's cgroup2 mount, openEuler's files cgroup) must be refused with iSulad's message;
// where the host can apply them, their effect is checked instead.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Daemon } from '../helpers/daemon.ts';
import { cgroupsUnder, inspectField, ok, removeCgroupParents, skipReason, RUNTIMES, suiteDaemon } from './container-fixture.ts';

const MiB = 1024 * 1024;
const CG = '/sys/fs/cgroup';

function cgroupFile(parent: string, controller: string, id: string, file: string): string {
  return readFileSync(`${CG}/${controller}/${parent}/${id}/${file}`, 'utf8').trim();
}

/** A whole block device of this host (the throttle files take disks, not partitions). */
function blockDevice(): { path: string; majmin: string } | undefined {
  const names = readdirSync('/sys/block').sort((a, b) => Number(/^(loop|zram|ram)/.test(a)) - Number(/^(loop|zram|ram)/.test(b)));
  for (const n of names) {
    if (existsSync(`/dev/${n}`)) return { path: `/dev/${n}`, majmin: readFileSync(`/sys/block/${n}/dev`, 'utf8').trim() };
  }
  return undefined;
}

const v1 = (controller: string, file: string) => existsSync(`${CG}/${controller}/${file}`);

async function refused(d: Daemon, args: string[], message: string): Promise<void> {
  const r = await d.isula(['create', ...args, 'busybox', 'true']);
  assert.notEqual(r.code, 0, `isula create ${args.join(' ')} should fail`);
  assert.ok(r.stderr.includes(message), `isula create ${args.join(' ')}: want "${message}", got: ${r.stderr}`);
}

for (const rt of RUNTIMES) describe(`resource flags on ${rt.name}`, { skip: skipReason || rt.skip }, () => {
  let d: Daemon;
  // a budget for real-time groups: the daemon writes it into the container's parent cgroups
  suiteDaemon((started) => (d = started), { runtime: rt.name, config: { 'cpu-rt-period': 1000000, 'cpu-rt-runtime': 95000 } });

  test('--memory-reservation, --memory-swappiness, --oom-kill-disable, --kernel-memory: memory cgroup files and inspect', async () => {
    const id = (await ok(d, ['run', '-d', '-m', '64m', '--memory-reservation', '32m', '--memory-swappiness', '30', '--oom-kill-disable',
      '--kernel-memory', '16m', 'busybox', 'sleep', '1000'])).stdout.trim();
    const p = d.cgroupParent;
    assert.equal(cgroupFile(p, 'memory', id, 'memory.soft_limit_in_bytes'), String(32 * MiB));
    assert.equal(cgroupFile(p, 'memory', id, 'memory.swappiness'), '30');
    assert.match(cgroupFile(p, 'memory', id, 'memory.oom_control'), /^oom_kill_disable 1$/m);
    assert.equal(await inspectField(d, id, '{{.HostConfig.MemoryReservation}}'), String(32 * MiB));
    assert.equal(await inspectField(d, id, '{{.HostConfig.MemorySwappiness}}'), '30');
    assert.equal(await inspectField(d, id, '{{.HostConfig.OomKillDisable}}'), 'true');
    // recorded as given; on a kernel that ignores kmem limits it is dropped with iSulad's warning
    assert.equal(await inspectField(d, id, '{{.HostConfig.KernelMemory}}'), String(16 * MiB));
    await ok(d, ['rm', '-f', id]);
  });

  test('memory rules: reservation minimum and above the limit, swappiness range', async () => {
    await refused(d, ['--memory-reservation', '1m'], 'Minimum memory reservation allowed is 4MB');
    await refused(d, ['-m', '8m', '--memory-reservation', '16m'], 'Minimum memory limit should be larger than memory reservation limit, see usage.');
    await refused(d, ['--memory-swappiness', '101'], 'Invalid value: 101, valid memory swappiness range is 0-100');
    await refused(d, ['--kernel-memory', '1m'], 'Minimum kernel memory limit allowed is 4MB');
  });

  test('--cpuset-mems, --cpu-rt-period, --cpu-rt-runtime: cpuset and cpu cgroup files', async () => {
    const id = (await ok(d, ['run', '-d', '--cpuset-mems', '0', '--cpu-rt-period', '1000000', '--cpu-rt-runtime', '10000', '--cpu-shares', '512',
      '--cpu-period', '200000', '--cpu-quota', '50000', 'busybox', 'sleep', '1000'])).stdout.trim();
    const p = d.cgroupParent;
    assert.equal(cgroupFile(p, 'cpuset', id, 'cpuset.mems'), '0');
    assert.equal(cgroupFile(p, 'cpu', id, 'cpu.rt_period_us'), '1000000');
    assert.equal(cgroupFile(p, 'cpu', id, 'cpu.rt_runtime_us'), '10000');
    // the parent got the daemon's budget first
    assert.equal(readFileSync(`${CG}/cpu/${p}/cpu.rt_runtime_us`, 'utf8').trim(), '95000');
    assert.equal(await inspectField(d, id, '{{.HostConfig.CpusetMems}}'), '0');
    // iSulad's spelling of the CFS keys (its inspect CI case reads .HostConfig.CPUShares ...)
    assert.equal(await inspectField(d, id, '{{.HostConfig.CPUShares}} {{.HostConfig.CPUPeriod}} {{.HostConfig.CPUQuota}}'), '512 200000 50000');
    assert.equal(cgroupFile(p, 'cpu', id, 'cpu.shares'), '512');
    assert.equal(await inspectField(d, id, '{{.HostConfig.CPURealtimeRuntime}}'), '10000');
    assert.equal(await inspectField(d, id, '{{.HostConfig.CPURealtimePeriod}}'), '1000000');
    await ok(d, ['rm', '-f', id]);
    await refused(d, ['--cpu-rt-period', '1000', '--cpu-rt-runtime', '2000'], 'Invalid --cpu-rt-runtime: rt runtime cannot be higher than rt period');
    await refused(d, ['--cpu-rt-runtime', '200000'], 'Invalid --cpu-rt-runtime');
    await refused(d, ['--cpuset-mems', '0-x'], 'cpuset mems');
  });

  test('--device-read-bps, --device-write-bps, --device-read-iops, --device-write-iops: blkio throttle files', async (t) => {
    const dev = blockDevice();
    if (!dev) return t.skip('no block device on this host');
    const id = (await ok(d, ['run', '-d', '--device-read-bps', `${dev.path}:1mb`, '--device-write-bps', `${dev.path}:2mb`,
      '--device-read-iops', `${dev.path}:100`, '--device-write-iops', `${dev.path}:200`, 'busybox', 'sleep', '1000'])).stdout.trim();
    const p = d.cgroupParent;
    assert.equal(cgroupFile(p, 'blkio', id, 'blkio.throttle.read_bps_device'), `${dev.majmin} ${MiB}`);
    assert.equal(cgroupFile(p, 'blkio', id, 'blkio.throttle.write_bps_device'), `${dev.majmin} ${2 * MiB}`);
    assert.equal(cgroupFile(p, 'blkio', id, 'blkio.throttle.read_iops_device'), `${dev.majmin} 100`);
    assert.equal(cgroupFile(p, 'blkio', id, 'blkio.throttle.write_iops_device'), `${dev.majmin} 200`);
    assert.equal(await inspectField(d, id, '{{json .HostConfig.BlkioDeviceReadBps}}'), JSON.stringify([{ Path: dev.path, Rate: MiB }]));
    await ok(d, ['rm', '-f', id]);
    await refused(d, ['--device-read-bps', `${dev.path}:x`], 'invalid rate for device');
    await refused(d, ['--device-read-iops', 'sda:1'], 'bad format for device path');
  });

  test('--blkio-weight, --blkio-weight-device: the weight files, or iSulad\'s refusal without them', async (t) => {
    const dev = blockDevice();
    if (!dev) return t.skip('no block device on this host');
    await refused(d, ['--blkio-weight', '5'], 'Range of blkio weight is from 10 to 1000.');
    await refused(d, ['--blkio-weight-device', `${dev.path}:5`], 'Invalid weight for device');
    if (!v1('blkio', 'blkio.weight') && !v1('blkio', 'blkio.bfq.weight')) {
      await refused(d, ['--blkio-weight', '300'], 'Your kernel does not support Block I/O weight. Weight discarded.');
    } else {
      const id = (await ok(d, ['run', '-d', '--blkio-weight', '300', 'busybox', 'sleep', '1000'])).stdout.trim();
      const file = v1('blkio', 'blkio.weight') ? 'blkio.weight' : 'blkio.bfq.weight';
      assert.match(cgroupFile(d.cgroupParent, 'blkio', id, file), /300/);
      await ok(d, ['rm', '-f', id]);
    }
    if (!v1('blkio', 'blkio.weight_device') && !v1('blkio', 'blkio.bfq.weight_device')) {
      await refused(d, ['--blkio-weight-device', `${dev.path}:300`], 'Your kernel does not support Block I/O weight_device.');
    }
  });

  test('--hugetlb-limit and --files-limit: the limit files, or iSulad\'s refusal where the controller is not usable', async () => {
    await refused(d, ['--hugetlb-limit', '2MB:1MB:3'], 'too many colons');
    if (!existsSync(`${CG}/hugetlb`)) {
      // on a hybrid host the hugetlb controller lives only on the cgroup2 mount, which neither LXC's
      // lxc.cgroup.* keys nor runc's v1 manager write
      await refused(d, ['--hugetlb-limit', '2MB:32MB'], 'Your kernel does not support hugetlb limit. --hugetlb-limit discarded.');
    } else {
      const id = (await ok(d, ['run', '-d', '--hugetlb-limit', '2MB:32MB', 'busybox', 'sleep', '1000'])).stdout.trim();
      assert.equal(cgroupFile(d.cgroupParent, 'hugetlb', id, 'hugetlb.2MB.limit_in_bytes'), String(32 * MiB));
      await ok(d, ['rm', '-f', id]);
    }
    if (!existsSync(`${CG}/files`)) {
      await refused(d, ['--files-limit', '100'], 'Your kernel does not support files limit capabilities, files limit discarded.');
    }
  });

  test('--cgroup-parent: the container\'s cgroup is under the given parent in every controller', async () => {
    const parent = `${d.cgroupParent}-custom`;
    try {
      const id = (await ok(d, ['run', '-d', '--cgroup-parent', parent, '-m', '32m', 'busybox', 'sleep', '1000'])).stdout.trim();
      assert.equal(readFileSync(`${CG}/memory/${parent}/${id}/memory.limit_in_bytes`, 'utf8').trim(), String(32 * MiB));
      const pid = await inspectField(d, id, '{{.State.Pid}}');
      const cg = readFileSync(`/proc/${pid}/cgroup`, 'utf8');
      assert.match(cg, new RegExp(`:memory:/${parent}/${id}$`, 'm'));
      assert.match(cg, new RegExp(`:pids:/${parent}/${id}$`, 'm'));
      assert.equal(await inspectField(d, id, '{{.HostConfig.CgroupParent}}'), parent);
      await ok(d, ['rm', '-f', id]);
      assert.deepEqual(cgroupsUnder(parent), [], 'container cgroups left under the custom parent');
    } finally {
      removeCgroupParents(parent);
    }
  });

  test('--device-cgroup-rule: the rule is in the container\'s devices.list', async () => {
    const id = (await ok(d, ['run', '-d', '--device-cgroup-rule', 'c 42:* rmw', '--device-cgroup-rule', 'b 7:0 r', 'busybox', 'sleep', '1000'])).stdout.trim();
    const list = cgroupFile(d.cgroupParent, 'devices', id, 'devices.list').split('\n');
    assert.ok(list.includes('c 42:* rwm'), `devices.list: ${list.join(' | ')}`);
    assert.ok(list.includes('b 7:0 r'), `devices.list: ${list.join(' | ')}`);
    assert.equal(await inspectField(d, id, '{{json .HostConfig.DeviceCgroupRules}}'), JSON.stringify(['c 42:* rmw', 'b 7:0 r']));
    await ok(d, ['rm', '-f', id]);
    const r = await d.isula(['create', '--device-cgroup-rule', 'x 1:2 r', 'busybox', 'true']);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /Invalid value "x 1:2 r" for flag --device-cgroup-rule/);
  });

  test('--group-add: supplementary groups of the container\'s init in /proc/<pid>/status', async () => {
    const id = (await ok(d, ['run', '-d', '--group-add', '1234', '--group-add', 'user', 'busybox', 'sleep', '1000'])).stdout.trim();
    const pid = await inspectField(d, id, '{{.State.Pid}}');
    const groups = /^Groups:\s*(.*)$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]?.trim().split(/\s+/) ?? [];
    assert.ok(groups.includes('1234') && groups.includes('1000'), `Groups: ${groups.join(' ')}`);
    assert.equal(await inspectField(d, id, '{{json .HostConfig.GroupAdd}}'), JSON.stringify(['1234', 'user']));
    await ok(d, ['rm', '-f', id]);
  });

  test('--label-file: labels from the file, then -l (labels have no kernel side: inspect only)', async () => {
    const file = join(d.dir, 'labels');
    writeFileSync(file, '# owner\nteam=edge\n\nsite=board-7\n');
    const id = (await ok(d, ['create', '--label-file', file, '-l', 'site=override', 'busybox', 'true'])).stdout.trim();
    const labels = JSON.parse(await inspectField(d, id, '{{json .Config.Labels}}')) as Record<string, string>;
    assert.equal(labels['team'], 'edge');
    assert.equal(labels['site'], 'override');
    await ok(d, ['rm', '-f', id]);
  });

  test('update --memory-reservation, --cpuset-mems, --cpu-rt-period/--cpu-rt-runtime: live cgroup files, kept for the next start', async () => {
    const id = (await ok(d, ['run', '-d', '-m', '64m', 'busybox', 'sleep', '1000'])).stdout.trim();
    const p = d.cgroupParent;
    await ok(d, ['update', '--memory-reservation', '16m', '--cpuset-mems', '0', '--cpu-rt-period', '1000000', '--cpu-rt-runtime', '20000', id]);
    assert.equal(cgroupFile(p, 'memory', id, 'memory.soft_limit_in_bytes'), String(16 * MiB));
    assert.equal(cgroupFile(p, 'cpuset', id, 'cpuset.mems'), '0');
    assert.equal(cgroupFile(p, 'cpu', id, 'cpu.rt_runtime_us'), '20000');
    assert.equal(await inspectField(d, id, '{{.HostConfig.MemoryReservation}}'), String(16 * MiB));
    assert.equal(await inspectField(d, id, '{{.HostConfig.CPURealtimeRuntime}}'), '20000');
    // iSulad's rules between memory, reservation and swap, checked on the merged HostConfig
    const bad = async (args: string[], message: string) => {
      const r = await d.isula(['update', ...args, id]);
      assert.notEqual(r.code, 0, `update ${args.join(' ')} should fail`);
      assert.ok(r.stderr.includes(message), `update ${args.join(' ')}: ${r.stderr}`);
    };
    await bad(['--memory-reservation', '128m'], 'Minimum memory limit should be larger than memory reservation limit, see usage.');
    await bad(['-m', '8m'], 'Minimum memory limit should be larger than memory reservation limit, see usage.');
    await bad(['--memory-reservation', '1m'], 'Minimum memory reservation allowed is 4MB');
    await bad(['-m', '256m'], 'Memory limit should be smaller than already set memoryswap limit, update the memoryswap at the same time');
    await bad(['--kernel-memory', '32m'], 'Can not update kernel memory to a running container, please stop it first.');
    await bad(['--cpu-rt-runtime', '2000000'], 'Invalid --cpu-rt-runtime: rt runtime cannot be higher than rt period');
    // nothing of a refused update reached the cgroup
    assert.equal(cgroupFile(p, 'memory', id, 'memory.soft_limit_in_bytes'), String(16 * MiB));
    assert.equal(cgroupFile(p, 'memory', id, 'memory.limit_in_bytes'), String(64 * MiB));
    // a stopped container: the config only; the next start applies it
    await ok(d, ['stop', '-t', '0', id]);
    await ok(d, ['update', '--memory-reservation', '24m', '--kernel-memory', '32m', id]);
    await ok(d, ['start', id]);
    assert.equal(cgroupFile(p, 'memory', id, 'memory.soft_limit_in_bytes'), String(24 * MiB));
    assert.equal(cgroupFile(p, 'cpu', id, 'cpu.rt_runtime_us'), '20000');
    assert.equal(await inspectField(d, id, '{{.HostConfig.KernelMemory}}'), String(32 * MiB));
    if (!v1('blkio', 'blkio.weight') && !v1('blkio', 'blkio.bfq.weight')) {
      await bad(['--blkio-weight', '300'], 'Your kernel does not support Block I/O weight. Weight discarded.');
    } else {
      await ok(d, ['update', '--blkio-weight', '300', id]);
      assert.match(cgroupFile(p, 'blkio', id, v1('blkio', 'blkio.weight') ? 'blkio.weight' : 'blkio.bfq.weight'), /300/);
    }
    await bad(['--blkio-weight', '5'], 'Range of blkio weight is from 10 to 1000.');
    await ok(d, ['rm', '-f', id]);
  });
});
