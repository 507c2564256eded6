// isula stats against real lcr containers: the numbers are checked against the cgroup files read
// directly here (not against the engine's own reader), growth is provoked by writing to a tmpfs
// inside the container, and stopped containers show zeros with -a.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { binaryFor, type Daemon } from '../helpers/daemon.ts';
import { ok, skipReason, until, RUNTIMES, suiteDaemon } from './container-fixture.ts';

const MiB = 1024 * 1024;

function cgroupFile(d: Daemon, controller: string, id: string, file: string): string {
  return readFileSync(`/sys/fs/cgroup/${controller}/${d.cgroupParent}/${id}/${file}`, 'utf8').trim();
}

/** --original row of a container as header → value. */
async function original(d: Daemon, ref: string, all = false): Promise<Record<string, string>> {
  const out = (await ok(d, ['stats', '--no-stream', '--original', ...(all ? ['-a'] : []), ref])).stdout.trim().split('\n');
  const headers = (out[0] ?? '').split(/\s+/);
  const row = (out[1] ?? '').split(/\s+/);
  return Object.fromEntries(headers.map((h, i) => [h, row[i] ?? '']));
}

/** The default table split on runs of 3+ spaces (cells such as "1.00MiB / 64.00MiB" contain single spaces). */
async function table(d: Daemon, args: string[]): Promise<string[][]> {
  const out = (await ok(d, ['stats', '--no-stream', ...args])).stdout.trim().split('\n');
  return out.map((l) => l.split(/ {3,}/));
}

for (const rt of RUNTIMES) describe(`isula stats on ${rt.name}`, { skip: skipReason || rt.skip }, () => {
  let d: Daemon;
  suiteDaemon((started) => (d = started), { runtime: rt.name });

  test('--no-stream columns; memory limit and pids exact, usage close to memory.usage_in_bytes', async () => {
    const id = (await ok(d, ['run', '-d', '--name', 'idle', '-m', '64m', '--pids-limit', '20', 'busybox', 'sh', '-c', 'sleep 1000 & wait'])).stdout.trim();
    await until('sh and sleep in the cgroup', async () => cgroupFile(d, 'pids', id, 'pids.current') === '2');
    const rows = await table(d, ['idle']);
    assert.deepEqual(rows[0], ['CONTAINER', 'CPU %', 'MEM USAGE / LIMIT', 'MEM %', 'NET I/O', 'BLOCK I / O', 'PIDS']);
    assert.equal(rows.length, 2);
    const row = rows[1] ?? [];
    assert.equal(row[0], id.slice(0, 12));
    assert.match(row[1] ?? '', /^\d+\.\d\d%$/);
    assert.match(row[2] ?? '', /^\d+(\.\d\d[KMG]iB|B) \/ 64\.00MiB$/);
    assert.match(row[3] ?? '', /^\d+\.\d\d%$/);
    assert.equal(row[4], '0B / 0B', 'only lo in the container netns, and lo is left out');
    assert.equal(row[6], '2');

    const o = await original(d, 'idle');
    assert.equal(o['MemLimit'], String(64 * MiB));
    assert.equal(o['MemLimit'], cgroupFile(d, 'memory', id, 'memory.limit_in_bytes'));
    assert.equal(o['PIDS'], cgroupFile(d, 'pids', id, 'pids.current'));
    assert.equal(o['Status'], 'running');
    assert.equal(o['NAME'], 'idle');
    const usage = Number(cgroupFile(d, 'memory', id, 'memory.usage_in_bytes'));
    assert.ok(Math.abs(Number(o['MemUsed']) - usage) < 2 * MiB, `MemUsed ${o['MemUsed']} vs memory.usage_in_bytes ${usage}`);
    const cpu = Number(cgroupFile(d, 'cpuacct', id, 'cpuacct.usage'));
    // an idle container's CPU time barely moves between the two reads
    assert.ok(Math.abs(Number(o['CpuUseNanos']) - cpu) < 50_000_000, `CpuUseNanos ${o['CpuUseNanos']} vs cpuacct.usage ${cpu}`);
    assert.ok(Number(o['OnlineCpus']) >= 1);
    assert.ok(Number(o['CpuSystemUse']) > 0);
    const blkio = cgroupFile(d, 'blkio', id, 'blkio.throttle.io_service_bytes');
    const sum = (op: string) => blkio.split('\n').filter((l) => /^\d+:\d+ /.test(l) && l.split(' ')[1] === op).reduce((s, l) => s + Number(l.split(' ')[2]), 0);
    assert.equal(o['BlkioRead'], String(sum('Read')));
    assert.equal(o['BlkioWrite'], String(sum('Write')));
    await ok(d, ['rm', '-f', 'idle']);
  });

  test('memory written to a tmpfs in the container shows as growth in MEM USAGE', async () => {
    const base = (await ok(d, ['run', '-d', '--name', 'base', '--tmpfs', '/scratch', 'busybox', 'sh', '-c', 'sleep 1000 & wait'])).stdout.trim();
    const hog = (await ok(d, ['run', '-d', '--name', 'hog', '--tmpfs', '/scratch', 'busybox', 'sh', '-c',
      'dd if=/dev/zero of=/scratch/fill bs=1M count=24 2>/dev/null; sleep 1000 & wait'])).stdout.trim();
    const used = async (ref: string) => {
      const o = await original(d, ref);
      return Number(o['MemUsed']);
    };
    await until('the hog to hold 20 MiB more than the idle container', async () => (await used('hog')) - (await used('base')) > 20 * MiB);
    // the table's figure (usage - inactive_file) grows too: tmpfs pages are not reclaimable file cache
    const rows = await table(d, ['hog']);
    const m = /^([\d.]+)(MiB|GiB)/.exec(rows[1]?.[2] ?? '');
    assert.ok(m, `MEM USAGE of hog: ${rows[1]?.[2]}`);
    assert.ok(Number(m[1]) * (m[2] === 'GiB' ? 1024 : 1) >= 24, `MEM USAGE of hog: ${rows[1]?.[2]}`);
    const inFile = Number(cgroupFile(d, 'memory', hog, 'memory.usage_in_bytes'));
    assert.ok(inFile > 24 * MiB, `memory.usage_in_bytes ${inFile}`);
    assert.ok(base);
    await ok(d, ['rm', '-f', 'base', 'hog']);
  });

  test('a busy container shows CPU %', async () => {
    await ok(d, ['run', '-d', '--name', 'busy', 'busybox', 'sh', '-c', 'while :; do :; done']);
    const rows = await table(d, ['busy']);
    const pct = Number((rows[1]?.[1] ?? '').replace('%', ''));
    assert.ok(pct > 1, `CPU % of a spinning shell: ${rows[1]?.[1]}`);
    await ok(d, ['rm', '-f', 'busy']);
  });

  test('-a adds stopped containers with zeros; without -a only running ones', async () => {
    const up = (await ok(d, ['run', '-d', '--name', 'up', 'busybox', 'sh', '-c', 'sleep 1000 & wait'])).stdout.trim();
    const down = (await ok(d, ['create', '--name', 'down', 'busybox', 'true'])).stdout.trim();
    const running = await table(d, []);
    assert.deepEqual(running.slice(1).map((r) => r[0]), [up.slice(0, 12)]);
    const all = await table(d, ['-a']);
    const downRow = all.find((r) => r[0] === down.slice(0, 12));
    assert.deepEqual(downRow, [down.slice(0, 12), '0.00%', '0B / 0B', '0.00%', '0B / 0B', '0B / 0B', '0']);
    assert.ok(all.some((r) => r[0] === up.slice(0, 12)));
    const named = await original(d, 'down');
    assert.equal(named['Status'], 'inited', "iSulad's name for a container never started");
    await ok(d, ['rm', '-f', 'up', 'down']);
  });

  test('an unknown container is an error naming it', async () => {
    const r = await d.isula(['stats', '--no-stream', 'no-such-box']);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /No such container: no-such-box/);
  });

  test('streaming prints a fresh table each second until interrupted', async () => {
    await ok(d, ['run', '-d', '--name', 'streamed', 'busybox', 'sh', '-c', 'sleep 1000 & wait']);
    const bin = binaryFor('isula');
    const child = spawn(bin.cmd, [...bin.prefix, '-H', d.host, 'stats', 'streamed'], { ...(bin.argv0 ? { argv0: bin.argv0 } : {}), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      await until('three tables', async () => out.split('CONTAINER ').length > 3);
    } finally {
      if (child.pid !== undefined) process.kill(child.pid, 'SIGINT');
    }
    assert.equal(await exited, 0);
    assert.ok(!out.includes('\x1b[2J'), 'no screen clearing when stdout is not a terminal');
    await ok(d, ['rm', '-f', 'streamed']);
  });
});

for (const rt of RUNTIMES) describe(`isula update on ${rt.name}`, { skip: skipReason || rt.skip }, () => {
  let d: Daemon;
  suiteDaemon((started) => (d = started), { runtime: rt.name });
  const hasMemsw = () => {
    try {
      readFileSync('/sys/fs/cgroup/memory/memory.memsw.limit_in_bytes');
      return true;
    } catch {
      return false;
    }
  };
  const limits = (id: string) => ({
    memory: cgroupFile(d, 'memory', id, 'memory.limit_in_bytes'),
    memsw: hasMemsw() ? cgroupFile(d, 'memory', id, 'memory.memsw.limit_in_bytes') : '',
    shares: cgroupFile(d, 'cpu', id, 'cpu.shares'),
    quota: cgroupFile(d, 'cpu', id, 'cpu.cfs_quota_us'),
    period: cgroupFile(d, 'cpu', id, 'cpu.cfs_period_us'),
    cpuset: cgroupFile(d, 'cpuset', id, 'cpuset.cpus'),
    pids: cgroupFile(d, 'pids', id, 'pids.max'),
  });
  const hostConfig = async (ref: string) => JSON.parse((await ok(d, ['inspect', '-f', '{{json .HostConfig}}', ref])).stdout) as Record<string, unknown>;
  const resources = async (ref: string) => JSON.parse((await ok(d, ['inspect', '-f', '{{json .Resources}}', ref])).stdout) as Record<string, unknown>;
  const running = async (ref: string) => (await ok(d, ['inspect', '-f', '{{.State.Running}}', ref])).stdout.trim() === 'true';

  test('a running container gets new limits in its cgroup and in inspect; a restart keeps them', async () => {
    const id = (await ok(d, ['run', '-d', '--name', 'up1', '-m', '64m', '--cpu-shares', '512', '--pids-limit', '20', 'busybox', 'sh', '-c', 'sleep 1000 & wait'])).stdout.trim();
    const out = await ok(d, ['update', '-m', '200m', '--memory-swap', '400m', '--cpu-shares', '256', '--cpus', '0.5', '--cpuset-cpus', '0', '--pids-limit', '30', 'up1']);
    assert.equal(out.stdout, 'up1\n');
    const want = {
      memory: String(200 * MiB), memsw: hasMemsw() ? String(400 * MiB) : '', shares: '256', quota: '50000', period: '100000', cpuset: '0', pids: '30',
    };
    // 200m is above the old memsw (128m = 2 x 64m): memsw had to be raised first or the kernel refuses
    assert.deepEqual(limits(id), want);
    const hc = await hostConfig('up1');
    assert.equal(hc['Memory'], 200 * MiB);
    assert.equal(hc['MemorySwap'], 400 * MiB);
    assert.equal(hc['CpuShares'], 256);
    assert.equal(hc['NanoCpus'], 500_000_000);
    assert.equal(hc['CpusetCpus'], '0');
    assert.equal(hc['PidsLimit'], 30);
    const res = await resources('up1');
    assert.equal(res['Memory'], 200 * MiB);
    assert.equal(res['CPUShares'], 256);

    // lowering: memory goes down before memsw
    await ok(d, ['update', '-m', '32m', '--memory-swap', '48m', 'up1']);
    assert.equal(limits(id).memory, String(32 * MiB));
    if (hasMemsw()) assert.equal(limits(id).memsw, String(48 * MiB));

    await ok(d, ['restart', '-t', '1', 'up1']);
    await until('up1 running again', () => running('up1'));
    assert.deepEqual(limits(id), { ...want, memory: String(32 * MiB), memsw: hasMemsw() ? String(48 * MiB) : '' });
    // and across a daemon restart (the record is durable)
    await d.restart();
    assert.equal((await hostConfig('up1'))['Memory'], 32 * MiB);
    await ok(d, ['rm', '-f', 'up1']);
  });

  test('a stopped container gets the new limits at its next start', async () => {
    const id = (await ok(d, ['create', '--name', 'later', '-m', '64m', 'busybox', 'sh', '-c', 'sleep 1000 & wait'])).stdout.trim();
    const bad = await d.isula(['update', '--cpu-shares', '300', '--cpuset-cpus', '63', 'later']);
    assert.equal(bad.code, 1, 'a cpuset the host does not have is refused now, not at the next start');
    assert.match(bad.stderr, /Failed to set "cpuset.cpus" to "63": Numerical result out of range/);
    await ok(d, ['update', '-m', '100m', '--cpu-shares', '700', '--pids-limit', '9', 'later']);
    assert.equal((await hostConfig('later'))['Memory'], 100 * MiB);
    await ok(d, ['start', 'later']);
    const l = limits(id);
    assert.equal(l.memory, String(100 * MiB));
    assert.equal(l.shares, '700');
    assert.equal(l.pids, '9');
    await ok(d, ['rm', '-f', 'later']);
  });

  test('a value the kernel refuses: exit 1, iSulad-style message, nothing changed (cgroup, inspect, next start)', async () => {
    const id = (await ok(d, ['run', '-d', '--name', 'full', '-m', '64m', '--cpu-shares', '512', '--tmpfs', '/scratch', 'busybox', 'sh', '-c',
      'dd if=/dev/zero of=/scratch/fill bs=1M count=24 2>/dev/null; sleep 1000 & wait'])).stdout.trim();
    await until('24 MiB in the cgroup', async () => Number(cgroupFile(d, 'memory', id, 'memory.usage_in_bytes')) > 24 * MiB);
    const before = limits(id);
    const hcBefore = await hostConfig('full');

    // cpu.shares is written before memory: it must be put back when memory is refused
    const low = await d.isula(['update', '--cpu-shares', '300', '-m', '8m', '--memory-swap', '8m', 'full']);
    assert.equal(low.code, 1, low.stderr);
    assert.match(low.stderr, /^Error response from daemon: Failed to set "memory.limit_in_bytes" to "8388608": Device or resource busy/);
    assert.equal(low.stdout, '');

    const cpuset = await d.isula(['update', '--pids-limit', '50', '--cpuset-cpus', '63', 'full']);
    assert.equal(cpuset.code, 1, cpuset.stderr);
    assert.match(cpuset.stderr, /Failed to set "cpuset.cpus" to "63": (Numerical result out of range|Invalid argument)/);

    const swap = await d.isula(['update', '-m', '200m', 'full']);
    assert.equal(swap.code, 1);
    assert.match(swap.stderr, /Memory limit should be smaller than already set memoryswap limit, update the memoryswap at the same time/);

    assert.deepEqual(limits(id), before);
    assert.deepEqual(await hostConfig('full'), hcBefore);
    await ok(d, ['restart', '-t', '1', 'full']);
    await until('full running again', () => running('full'));
    assert.deepEqual(limits(id), before, 'the LXC config was not changed either');
    await ok(d, ['rm', '-f', 'full']);
  });

  test('exit codes as iSulad\'s update: 125 for a flag it cannot parse or no container, 1 for no flag and any refusal', async () => {
    await ok(d, ['create', '--name', 'codes', '-m', '64m', 'busybox', 'true']);
    const code = async (args: string[]) => (await d.isula(['update', ...args])).code;
    assert.equal(await code(['--cpu-shares', 'abc', 'codes']), 125);
    assert.equal(await code(['--no-such-flag', '1', 'codes']), 125);
    assert.equal(await code(['--cpu-shares', '512']), 125, 'no container named');
    const none = await d.isula(['update', 'codes']);
    assert.equal(none.code, 1);
    assert.match(none.stderr, /You must provide one or more update flags when using this command/);
    assert.equal(await code(['-m', '1m', 'codes']), 1, 'below the 4 MB minimum: the daemon refuses');
    assert.equal(await code(['--cpu-shares', '512', 'no-such-container']), 1);
    // several containers: the good ones are updated and printed, the exit is the failure's
    const r = await d.isula(['update', '--cpu-shares', '600', 'no-such-container', 'codes']);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, 'codes\n');
    assert.equal((await hostConfig('codes'))['CpuShares'], 600);
    await ok(d, ['rm', 'codes']);
  });

  test('--restart changes the policy of a running container live', async () => {
    await ok(d, ['run', '-d', '--name', 'pol', 'busybox', 'sh', '-c', 'while [ ! -e /tmp/go ]; do sleep 0.1; done; exit 3']);
    await ok(d, ['update', '--restart', 'on-failure:2', 'pol']);
    assert.deepEqual((await hostConfig('pol'))['RestartPolicy'], { Name: 'on-failure', MaximumRetryCount: 2 });
    // open the gate through the container's root: it fails, and the new policy brings it back twice
    const pid = Number((await ok(d, ['inspect', '-f', '{{.State.Pid}}', 'pol'])).stdout.trim());
    writeFileSync(`/proc/${pid}/root/tmp/go`, '');
    await until('pol restarted twice, then left exited', async () => (await ok(d, ['inspect', '-f', '{{.State.Status}} {{.RestartCount}}', 'pol'])).stdout.trim() === 'exited 2');
    const bad = await d.isula(['update', '--restart', 'sometimes', 'pol']);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /invalid restart policy 'sometimes'/);
    await ok(d, ['rm', '-f', 'pol']);
  });
});
