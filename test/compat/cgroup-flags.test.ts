// iSulad CI, container_cases: blkio_iops.sh, blkio_weight.sh, cpu_rt.sh and dev_cgroup_rule.sh,
// against our CLI on one real daemon started with cpu_rt.sh's daemon flags (a real-time budget for
// the containers' parent cgroups). Every effect is read on the host, from the container's cgroup
// files, where the scripts read them from inside. cpu_rt.sh and dev_cgroup_rule.sh run on each
// runtime of RUNTIME_LIST (lcr, runc).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { Daemon } from '../helpers/daemon.ts';
import { runIsulad } from '../helpers/daemon.ts';
import { RUNTIMES } from '../integration/container-fixture.ts';
import { cgroupFile, fails, ok, skipReason, suiteDaemon } from './compat-fixture.ts';

const runc = RUNTIMES.find((r) => r.name === 'runc');
const skipOf = (rt: string) => (rt === 'runc' ? runc?.skip ?? 'no runc' : false);

/** A whole block device of this host, loop devices first (the script uses /dev/loop0). */
function blockDevice(): { path: string; majmin: string } | undefined {
  const names = readdirSync('/sys/block').sort((a, b) => Number(!a.startsWith('loop')) - Number(!b.startsWith('loop')));
  for (const n of names) if (existsSync(`/dev/${n}`)) return { path: `/dev/${n}`, majmin: readFileSync(`/sys/block/${n}/dev`, 'utf8').trim() };
  return undefined;
}

// the daemon's real-time budget (cpu_rt.sh gives 950000; a tenth leaves room for other suites'
// daemons on this host, whose parents share the root's budget)
const RT_BUDGET = 95000;

describe('iSulad CI container_cases: cgroup flags', { skip: skipReason }, () => {
  let d: Daemon;
  suiteDaemon((started) => (d = started), { runtime: 'lcr', flags: ['--cpu-rt-period', '1000000', '--cpu-rt-runtime', String(RT_BUDGET)] });

  test('blkio_iops.sh: iSulad\'s parse errors, the read/write iops limits in blkio.throttle.*_iops_device', async () => {
    const dev = blockDevice();
    assert.ok(dev, 'no block device on this host (the script uses /dev/loop0)');
    for (const [flag, v] of [['--device-read-iops', '-1'], ['--device-write-iops', '-1'], ['--device-write-iops', '2b']] as const) {
      assert.match((await fails(d, ['run', '-itd', flag, `${dev.path}:${v}`, 'busybox', '/bin/sh'])).stderr, /Number must be unsigned 64 bytes integer/);
    }
    const id = (await ok(d, ['run', '-itd', '--device-read-iops', `${dev.path}:123`, '--device-write-iops', `${dev.path}:567`, 'busybox', 'sh'])).stdout.trim();
    assert.equal(cgroupFile(d, 'blkio', id, 'blkio.throttle.read_iops_device'), `${dev.majmin} 123`);
    assert.equal(cgroupFile(d, 'blkio', id, 'blkio.throttle.write_iops_device'), `${dev.majmin} 567`);
    // the container sees its own cgroup's files (the script reads them from inside)
    assert.match((await ok(d, ['exec', id, 'cat', '/sys/fs/cgroup/blkio/blkio.throttle.read_iops_device'])).stdout, new RegExp(`^${dev.majmin} 123$`, 'm'));
    await ok(d, ['rm', '-f', id]);
    // difference: the script also limits /dev/zero (a character device); this engine refuses a
    // throttle on anything but a block device instead of handing it to the kernel
    assert.match((await fails(d, ['run', '-itd', '--device-read-iops', '/dev/zero:111', 'busybox', 'sh'])).stderr, /"\/dev\/zero" is not a block device/);
  });

  test('blkio_weight.sh: weight ranges (client and daemon), blkio.weight at run and update, or the refusal without a weight file', async () => {
    assert.match((await fails(d, ['run', '-itd', '--blkio-weight', '1001', 'busybox', '/bin/sh'])).stderr, /Range of blkio weight is from 10 to 1000/);
    assert.match((await fails(d, ['run', '-itd', '--blkio-weight', '-1', 'busybox', '/bin/sh'])).stderr, /Invalid value "-1" for flag --blkio-weight: Numerical result out of range/);
    for (const w of ['1001', '-1']) {
      assert.match((await fails(d, ['run', '-itd', '--blkio-weight-device', `/dev/zero:${w}`, 'busybox', '/bin/sh'])).stderr, /Invalid weight for device/);
    }
    const file = ['blkio.weight', 'blkio.bfq.weight'].find((f) => existsSync(`/sys/fs/cgroup/blkio/${f}`));
    if (!file) {
      // iSulad's script runs only where blkio.weight exists; here the kernel has no weight file
      // (no BFQ), and both create and update refuse with iSulad's message instead of ignoring it
      assert.match((await fails(d, ['run', '-itd', '--blkio-weight', '200', 'busybox', 'sh'])).stderr, /Your kernel does not support Block I\/O weight\. Weight discarded\./);
      const id = (await ok(d, ['run', '-itd', 'busybox', 'sh'])).stdout.trim();
      assert.match((await fails(d, ['update', '--blkio-weight', '300', id])).stderr, /Your kernel does not support Block I\/O weight/);
      await ok(d, ['rm', '-f', id]);
      return;
    }
    const id = (await ok(d, ['run', '-itd', '--blkio-weight', '200', 'busybox', 'sh'])).stdout.trim();
    assert.match(cgroupFile(d, 'blkio', id, file), /\b200$/m);
    await ok(d, ['update', '--blkio-weight', '300', id]);
    assert.match(cgroupFile(d, 'blkio', id, file), /\b300$/m);
    await ok(d, ['rm', '-f', id]);
  });

  test('cpu_rt.sh: the daemon\'s --cpu-rt-period/--cpu-rt-runtime parse errors', async () => {
    const dir = mkdtempSync('/tmp/compat-cpurt-');
    try {
      // the daemon refuses before it touches anything (its root is never made)
      const root = ['--graph', join(dir, 'root'), '--state', join(dir, 'state'), '-H', `unix://${join(dir, 'sock')}`];
      const a = await runIsulad(['--cpu-rt-period', 'xx', '--cpu-rt-runtime', '950000', ...root]);
      assert.notEqual(a.code, 0);
      assert.match(a.stderr, /Invalid value "xx" for flag --cpu-rt-period: Invalid argument/);
      const b = await runIsulad(['--cpu-rt-period', '1000000', '--cpu-rt-runtime', 'xx', ...root]);
      assert.notEqual(b.code, 0);
      assert.match(b.stderr, /Invalid value "xx" for flag --cpu-rt-runtime: Invalid argument/);
      assert.equal(existsSync(join(dir, 'root')), false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  for (const rt of ['lcr', 'runc'] as const) {
    test(`cpu_rt.sh on ${rt}: run refusals, cpu.rt_* files at run and update, update refusals`, { skip: skipOf(rt) }, async () => {
      const run = (period: string, runtime: string) => d.isula(['run', '-itd', '--runtime', rt, '--cpu-rt-period', period, '--cpu-rt-runtime', runtime, 'busybox', '/bin/sh'], { timeoutMs: 120_000 });
      // -1 is refused by the kernel when the runtime writes the file (iSulad: "failed to write ...")
      const minus = await run('1000000', '-1');
      assert.notEqual(minus.code, 0);
      assert.match(minus.stderr, /cpu\.rt_runtime_us/);
      assert.match(minus.stderr, /invalid argument/i);
      assert.match((await run('xx', '10000')).stderr, /Invalid value "xx" for flag --cpu-rt-period: Invalid argument/);
      assert.match((await run('1000000', 'xx')).stderr, /Invalid value "xx" for flag --cpu-rt-runtime: Invalid argument/);
      assert.match((await run('xx', 'xx')).stderr, /Invalid value "xx" for flag --cpu-rt-period: Invalid argument/);
      for (const period of ['-1', '100']) {
        const r = await run(period, '10000');
        assert.notEqual(r.code, 0);
        assert.match(r.stderr, /Invalid --cpu-rt-runtime: rt runtime cannot be higher than rt period/);
      }
      // above the daemon's budget: iSulad lets the kernel refuse the write; this engine refuses at
      // create, naming the daemon's value
      const above = await run('1000000', String(RT_BUDGET + 1000));
      assert.notEqual(above.code, 0);
      assert.match(above.stderr, /Invalid --cpu-rt-runtime/);
      // nothing of the refused runs is left running
      assert.equal((await ok(d, ['ps', '-q'])).stdout.trim(), '');
      // (a run whose start failed leaves its container created, as on iSulad)
      const left = (await ok(d, ['ps', '-aq'])).stdout.split('\n').filter(Boolean);
      if (left.length > 0) await ok(d, ['rm', '-f', ...left]);

      const name = `box_${rt}`;
      const id = (await ok(d, ['run', '-itd', '-n', name, '--cpu-rt-period', '1000000', '--cpu-rt-runtime', '1000', '--runtime', rt, 'busybox', '/bin/sh'])).stdout.trim();
      assert.equal(cgroupFile(d, 'cpu', id, 'cpu.rt_period_us'), '1000000');
      assert.equal(cgroupFile(d, 'cpu', id, 'cpu.rt_runtime_us'), '1000');
      // the daemon's budget was written into the containers' parent first
      assert.equal(readFileSync(`/sys/fs/cgroup/cpu/${d.cgroupParent}/cpu.rt_runtime_us`, 'utf8').trim(), String(RT_BUDGET));
      await ok(d, ['update', '--cpu-rt-period', '900000', '--cpu-rt-runtime', '2000', name]);
      assert.equal(cgroupFile(d, 'cpu', id, 'cpu.rt_period_us'), '900000');
      assert.equal(cgroupFile(d, 'cpu', id, 'cpu.rt_runtime_us'), '2000');
      assert.equal((await ok(d, ['exec', name, 'cat', '/sys/fs/cgroup/cpu/cpu.rt_runtime_us'])).stdout.trim(), '2000');
      assert.match((await fails(d, ['update', '--cpu-rt-period', '800000', '--cpu-rt-runtime', '900000', name])).stderr, /Invalid --cpu-rt-runtime: rt runtime cannot be higher than rt period/);
      assert.match((await fails(d, ['update', '--cpu-rt-runtime', '1000000', name])).stderr, /invalid/i);
      // the refused updates changed nothing
      assert.equal(cgroupFile(d, 'cpu', id, 'cpu.rt_runtime_us'), '2000');
      await ok(d, ['rm', '-f', name]);
    });
  }

  for (const rt of ['lcr', 'runc'] as const) {
    test(`dev_cgroup_rule.sh on ${rt}: rule syntax, the rules in devices.list (kept across a restart), --device's node and rule`, { skip: skipOf(rt) }, async () => {
      for (const rule of ['b *:*', 'd *:*', 'd *:* xxx']) {
        assert.match((await fails(d, ['run', '-itd', '--runtime', rt, `--device-cgroup-rule=${rule}`, 'busybox'])).stderr, /Invalid value/);
      }
      const list = (id: string) => cgroupFile(d, 'devices', id, 'devices.list').split('\n');
      const id = (await ok(d, ['run', '-itd', '--runtime', rt, '--device-cgroup-rule=b 11:22 rmw', '--device-cgroup-rule=c *:23 rmw', '--device-cgroup-rule=c 33:* rm', 'busybox', 'sh'])).stdout.trim();
      for (let i = 0; i < 2; i++) {
        const l = list(id);
        for (const want of ['b 11:22 rwm', 'c *:23 rwm', 'c 33:* rm']) assert.ok(l.includes(want), `${want} not in devices.list: ${l.join(' | ')}`);
        if (i === 0) await ok(d, ['restart', '-t', '0', id]);
      }
      await ok(d, ['rm', '-f', id]);
      // type a allows every device, whatever major:minor it names
      const all = (await ok(d, ['run', '-itd', '--runtime', rt, '--device-cgroup-rule=a 11:22 rmw', 'busybox', 'sh'])).stdout.trim();
      assert.deepEqual(list(all), ['a *:* rwm']);
      await ok(d, ['restart', '-t', '0', all]);
      assert.deepEqual(list(all), ['a *:* rwm']);
      await ok(d, ['rm', '-f', all]);

      // --device: the node in the container and its allow rule
      const node = `/dev/isula-compat-${process.pid}-${rt}`;
      rmSync(node, { force: true });
      try {
        assert.equal(spawnSync('mknod', [node, 'c', '88', '88']).status, 0, 'mknod');
        const dev = (await ok(d, ['run', '-tid', '--runtime', rt, '--device', `${node}:${node}`, 'busybox', '/bin/sh'])).stdout.trim();
        assert.ok(list(dev).includes('c 88:88 rwm'), list(dev).join(' | '));
        assert.match((await ok(d, ['exec', dev, 'ls', '-l', node])).stdout, /^c.*\b88,\s+88\b/);
        // the node replaced while the container is stopped: the next start has the new one
        await ok(d, ['stop', '-t', '0', dev]);
        rmSync(node, { force: true });
        assert.equal(spawnSync('mknod', [node, 'c', '99', '99']).status, 0, 'mknod');
        await ok(d, ['start', dev]);
        assert.ok(list(dev).includes('c 99:99 rwm'), list(dev).join(' | '));
        assert.match((await ok(d, ['exec', dev, 'ls', '-l', node])).stdout, /^c.*\b99,\s+99\b/);
        await ok(d, ['rm', '-f', dev]);
      } finally {
        rmSync(node, { force: true });
      }
    });
  }
});
