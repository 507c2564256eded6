// iSulad CI, container_cases: ulimit.sh and update.sh, against our CLI on one real daemon started
// with ulimit.sh's daemon flags (--default-ulimit, the later nproc winning). ulimit.sh runs on each
// runtime of RUNTIME_LIST (lcr, runc), and so does update.sh. ulimit.sh's first part (the
// daemon restarted with and without the defaults under a container) has a daemon of its own.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { Daemon } from '../helpers/daemon.ts';
import { RUNTIMES } from '../integration/container-fixture.ts';
import { cgroupFile, fails, idOf, ok, skipReason, state, suiteDaemon } from './compat-fixture.ts';

const runc = RUNTIMES.find((r) => r.name === 'runc');

/** soft and hard values of one line of /proc/<pid>/limits text */
function limitIn(text: string, name: string): [string, string] {
  const line = text.split('\n').find((l) => l.startsWith(name));
  assert.ok(line, `no ${name} in\n${text}`);
  const f = line.slice(name.length).trim().split(/\s+/);
  return [f[0] ?? '', f[1] ?? ''];
}

/** soft and hard values of one line of /proc/<pid>/limits in the container (self: the exec's own) */
async function limit(d: Daemon, ref: string, name: string, pid: '1' | 'self'): Promise<[string, string]> {
  return limitIn((await ok(d, ['exec', ref, 'cat', `/proc/${pid}/limits`])).stdout, name);
}

/** this process's hard limit of a row (the daemon the suite starts has the same) */
async function hostHard(name: string): Promise<number> {
  return Number(limitIn(await readFile('/proc/self/limits', 'utf8'), name)[1]);
}

/** soft:hard as a container gets it: a hard limit above the daemon's own is lowered to it (the
 * host may lack CAP_SYS_RESOURCE; iSulad would fail the start there), soft to at most hard */
const clamped = (soft: number, hard: number, host: number): [string, string] => {
  const h = Math.min(hard, host);
  return [String(Math.min(soft, h)), String(h)];
};

describe('iSulad CI container_cases: ulimit and update', { skip: skipReason }, () => {
  let d: Daemon;
  suiteDaemon((started) => (d = started), {
    runtime: 'lcr',
    flags: ['--default-ulimit', 'nproc=2048:4096', '--default-ulimit', 'nproc=2048:8192', '--default-ulimit', 'nofile=1024:4096'],
  });

  for (const rt of ['lcr', 'runc'] as const) {
    test(`ulimit.sh on ${rt}: --ulimit parse errors (iSulad's words), the container's limits`, { skip: rt === 'runc' ? runc?.skip ?? 'no runc' : false }, async () => {
      const bad: Array<[string, RegExp]> = [
        ['nproc=', /delimiter '=' can't be the first or the last character/],
        ['nproc=1024:', /delimiter ':' can't be the first or the last character/],
        ['npro=1024:2048', /Invalid ulimit type/],
        ['nproc=4096:2048', /Ulimit soft limit must be less than or equal to hard limit/],
        ['nproc=2048:4096.5', /Invalid ulimit hard value/],
        ['nproc==2048:4096', /Invalid ulimit argument/],
        ['nproc=2048::4096', /Too many limit value arguments/],
      ];
      for (const [v, msg] of bad) assert.match((await fails(d, ['run', '--ulimit', v, '--runtime', rt, 'busybox', '/bin/sh'])).stderr, msg, v);
      const files = await hostHard('Max open files');
      const procs = await hostHard('Max processes');
      // the daemon's --default-ulimit (nofile=1024:4096, the later nproc=2048:8192): a container
      // without --ulimit has them, in its own process and in an exec's (runc and docker give an
      // exec the container's rlimits)
      const plain = `ulimit_default_${rt}`;
      await ok(d, ['run', '-td', '-n', plain, '--runtime', rt, 'busybox', '/bin/sh']);
      const nofile = clamped(1024, 4096, files);
      // runc 1.1 (built with Go 1.19-1.21) raises an exec's soft nofile to its hard one (its Go
      // runtime's start-up bump racing the limits the parent set: opencontainers/runc#4195, fixed in
      // runc 1.1.13 and 1.2); the hard one is the container's either way
      const execNofile = (got: string[], what: string) => {
        assert.equal(got[1], nofile[1], `${what}: hard`);
        if (rt === 'runc' && got[0] === nofile[1]) return;
        assert.equal(got[0], nofile[0], `${what}: soft`);
      };
      assert.deepEqual(await limit(d, plain, 'Max open files', '1'), nofile, 'default nofile, /proc/1');
      execNofile(await limit(d, plain, 'Max open files', 'self'), 'default nofile in an exec');
      for (const pid of ['1', 'self'] as const) {
        assert.deepEqual(await limit(d, plain, 'Max processes', pid), clamped(2048, 8192, procs), `default nproc (the later one), /proc/${pid}`);
      }
      execNofile((await ok(d, ['exec', plain, 'sh', '-c', 'ulimit -n; ulimit -Hn'])).stdout.trim().split(/\s+/), 'ulimit -n in an exec');
      await ok(d, ['rm', '-f', plain]);
      // the container's own process, its output read by run
      const own = (await ok(d, ['run', '--rm', '--runtime', rt, 'busybox', 'sh', '-c', 'ulimit -n; ulimit -Hn; cat /proc/self/limits'])).stdout;
      assert.equal(own.trim().split('\n').slice(0, 2).join(':'), clamped(1024, 4096, files).join(':'), 'ulimit -n in the container');
      assert.deepEqual(limitIn(own, 'Max processes'), clamped(2048, 8192, procs));
      // a container's own --ulimit of a type replaces the default; the other defaults stay
      const over = (await ok(d, ['run', '--rm', '--ulimit', 'nofile=512:1024', '--runtime', rt, 'busybox', 'sh', '-c', 'ulimit -n; ulimit -Hn; cat /proc/self/limits'])).stdout;
      assert.equal(over.trim().split('\n').slice(0, 2).join(':'), '512:1024', '--ulimit nofile wins over the default');
      assert.deepEqual(limitIn(over, 'Max processes'), clamped(2048, 8192, procs));

      const name = `ulimit_test_${rt}`;
      await ok(d, ['run', '-td', '-n', name, '--ulimit', 'nofile=20480:40960', '--ulimit', 'core=1024:2048', '--runtime', rt, 'busybox', '/bin/sh']);
      // the script reads an exec's own limits; the container's process is read too
      for (const pid of ['1', 'self'] as const) {
        assert.deepEqual(await limit(d, name, 'Max open files', pid), clamped(20480, 40960, files), `--ulimit nofile, /proc/${pid}`);
        assert.deepEqual(await limit(d, name, 'Max core file size', pid), ['1024', '2048'], `--ulimit core, /proc/${pid}`);
        assert.deepEqual(await limit(d, name, 'Max processes', pid), clamped(2048, 8192, procs), `default nproc beside --ulimit, /proc/${pid}`);
      }
      await ok(d, ['rm', '-f', name]);
    });
  }

  for (const rt of ['lcr', 'runc'] as const) {
    test(`update.sh on ${rt}: cpu/cpuset/memory of a running container in its cgroup, --restart of a --rm container, inspect's MemorySwap and a swap limit kept by a larger --memory`, { skip: rt === 'runc' ? runc?.skip ?? 'no runc' : false }, async () => {
      const name = `test_update_${rt}`;
      await ok(d, ['create', '-t', '--runtime', rt, '--name', name, 'busybox']);
      assert.equal(await state(d, name), 'inited');
      await ok(d, ['start', name]);
      assert.equal(await state(d, name), 'running');
      const id = await idOf(d, name);
      await fails(d, ['update', '--kernel-memory', '1000000000', name]);
      // the script reads these files inside the container; here they are read on the host
      await ok(d, ['update', '--cpu-shares', '1024', name]);
      assert.equal(cgroupFile(d, 'cpu', id, 'cpu.shares'), '1024');
      await ok(d, ['update', '--cpu-period', '100000', name]);
      assert.equal(cgroupFile(d, 'cpu', id, 'cpu.cfs_period_us'), '100000');
      await ok(d, ['update', '--cpu-quota', '50000', name]);
      assert.equal(cgroupFile(d, 'cpu', id, 'cpu.cfs_quota_us'), '50000');
      await ok(d, ['update', '--cpuset-cpus', '0', name]);
      assert.equal(cgroupFile(d, 'cpuset', id, 'cpuset.cpus'), '0');
      await ok(d, ['update', '--cpuset-mems', '0', name]);
      assert.equal(cgroupFile(d, 'cpuset', id, 'cpuset.mems'), '0');
      await ok(d, ['update', '--memory', '1000000000', name]);
      assert.ok(Math.abs(Number(cgroupFile(d, 'memory', id, 'memory.limit_in_bytes')) - 1e9) <= 10000);
      await ok(d, ['update', '--memory-reservation', '100000000', name]);
      assert.ok(Math.abs(Number(cgroupFile(d, 'memory', id, 'memory.soft_limit_in_bytes')) - 1e8) <= 10000);
      await ok(d, ['stop', '-t', '0', name]);
      assert.equal(await state(d, name), 'exited');
      await ok(d, ['update', '--kernel-memory', '2000000000', name]);
      // (its kmem cgroup value is not checked: the script checks it only on kernels before 5.11,
      // which enforce kernel memory limits; this one records the value and does not apply it)
      await ok(d, ['start', name]);
      assert.equal(await state(d, name), 'running');
      await ok(d, ['rm', '-f', name]);

      // a --rm container takes no restart policy but "no"
      const u2 = `test_update2_${rt}`;
      const u2id = (await ok(d, ['run', '-itd', '--runtime', rt, '--rm', '--name', u2, 'busybox'])).stdout.trim();
      assert.match((await fails(d, ['update', '--restart', 'always', u2id])).stderr, /Restart policy cannot be updated because AutoRemove is enabled for the container/);
      await fails(d, ['update', '--restart', 'nooooooooooo', u2id]);
      await ok(d, ['update', '--restart', 'no', u2id]);
      await ok(d, ['rm', '-f', u2]);

      // inspect's HostConfig.MemorySwap is the memory+swap limit set: twice -m when --memory-swap
      // is not given, as iSulad records it (the script runs this part where swap is accounted)
      const swapped = existsSync('/sys/fs/cgroup/memory/memory.memsw.limit_in_bytes');
      const swapOf = async (ref: string) => (await ok(d, ['inspect', '-f', '{{.HostConfig.MemorySwap}}', ref])).stdout.trim();
      const memsw = (cid: string) => cgroupFile(d, 'memory', cid, 'memory.memsw.limit_in_bytes');
      const u1 = `test_update1_${rt}`;
      await ok(d, ['create', '-t', '--runtime', rt, '--memory', '500M', '--name', u1, 'busybox']);
      assert.equal(await swapOf(u1), swapped ? '1048576000' : '0', 'create');
      await ok(d, ['rm', '-f', u1]);
      const u1id = (await ok(d, ['run', '-itd', '--runtime', rt, '--memory', '500M', '--name', u1, 'busybox'])).stdout.trim();
      assert.equal(await swapOf(u1), swapped ? '1048576000' : '0', 'run');
      if (swapped) assert.equal(memsw(u1id), '1048576000');
      if (swapped) assert.match((await fails(d, ['update', '--memory', '2G', u1], 1)).stderr, /Memory limit should be smaller than already set memoryswap limit, update the memoryswap at the same time/);
      // a smaller --memory keeps the swap limit in force; a --memory-swap replaces it
      await ok(d, ['update', '--memory', '400M', u1]);
      assert.equal(cgroupFile(d, 'memory', u1id, 'memory.limit_in_bytes'), String(400 * 1024 * 1024));
      assert.equal(await swapOf(u1), swapped ? '1048576000' : '0', 'update --memory');
      if (swapped) assert.equal(memsw(u1id), '1048576000');
      if (swapped) {
        await ok(d, ['update', '--memory', '2G', '--memory-swap', '3G', u1]);
        assert.equal(await swapOf(u1), String(3 * 1024 ** 3), 'update --memory-swap');
        assert.equal(memsw(u1id), String(3 * 1024 ** 3));
      }
      await ok(d, ['rm', '-f', u1]);
    });
  }
});

describe("iSulad CI container_cases: ulimit.sh, the daemon's defaults changed under a container", { skip: skipReason }, () => {
  let d: Daemon;
  // started without --default-ulimit; restarted with them, then without again
  suiteDaemon((started) => (d = started), { runtime: 'lcr' });
  const rts = runc?.skip ? (['lcr'] as const) : (['lcr', 'runc'] as const);

  test(`ulimit.sh on ${rts.join(' and ')}: a restarted container has the daemon's current defaults`, async () => {
    const files = await hostHard('Max open files');
    const procs = await hostHard('Max processes');
    const own = limitIn(await readFile('/proc/self/limits', 'utf8'), 'Max open files');
    const names = rts.map((rt) => `ulimit_restart_${rt}`);
    for (const [i, rt] of rts.entries()) await ok(d, ['run', '-tid', '-n', names[i]!, '--runtime', rt, 'busybox', '/bin/sh']);
    // no defaults: the container has no rlimits of its own, its process the daemon's limits
    for (const n of names) assert.deepEqual(await limit(d, n, 'Max open files', '1'), own, `${n}: no default`);

    await d.restart({ flags: ['--default-ulimit', 'nproc=2048:4096', '--default-ulimit', 'nproc=2048:8192', '--default-ulimit', 'nofile=1024:4096'] });
    for (const n of names) {
      await ok(d, ['restart', '-t', '0', n]);
      assert.deepEqual(await limit(d, n, 'Max open files', '1'), clamped(1024, 4096, files), `${n}: the new default nofile after its restart`);
      assert.deepEqual(await limit(d, n, 'Max processes', '1'), clamped(2048, 8192, procs), `${n}: the new default nproc after its restart`);
      assert.deepEqual(await limit(d, n, 'Max processes', 'self'), clamped(2048, 8192, procs), `${n}: the new default nproc in an exec`);
    }

    await d.restart();
    for (const n of names) {
      await ok(d, ['restart', '-t', '0', n]);
      assert.deepEqual(await limit(d, n, 'Max open files', '1'), own, `${n}: the defaults gone after its restart`);
      await ok(d, ['rm', '-f', n]);
    }
  });
});

describe("iSulad CI container_cases: ulimit.sh's defaults from daemon.json", { skip: skipReason }, () => {
  let d: Daemon;
  // iSulad's daemon.json form: each entry under its type, with the same Name
  suiteDaemon((started) => (d = started), { runtime: 'lcr', config: { 'default-ulimits': { nofile: { Name: 'nofile', Soft: 512, Hard: 2048 }, core: { Name: 'core', Soft: 1024, Hard: 4096 } } } });

  test('ulimit.sh (daemon.json default-ulimits): a container has them, its own --ulimit of a type wins', async () => {
    const files = await hostHard('Max open files');
    const out = (await ok(d, ['run', '--rm', 'busybox', 'cat', '/proc/self/limits'])).stdout;
    assert.deepEqual(limitIn(out, 'Max open files'), clamped(512, 2048, files));
    assert.deepEqual(limitIn(out, 'Max core file size'), ['1024', '4096']);
    const over = (await ok(d, ['run', '--rm', '--ulimit', 'core=0:0', 'busybox', 'cat', '/proc/self/limits'])).stdout;
    assert.deepEqual(limitIn(over, 'Max core file size'), ['0', '0']);
    assert.deepEqual(limitIn(over, 'Max open files'), clamped(512, 2048, files));
  });
});
