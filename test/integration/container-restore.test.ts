// Live restore: kill -9 the daemon with containers running, let some of them exit while it is down,
// boot it again on the same root, and check that it found every running container (same pid),
// recorded the exit codes of the ones that ended, applied their restart policy and --rm, kept their
// logs, and that nothing leaks once they are removed. Real daemon, real LXC.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import type { Daemon } from '../helpers/daemon.ts';
import { inspectField, ok, processesUnder, skipReason, until, RUNTIMES, suiteDaemon } from './container-fixture.ts';

for (const rt of RUNTIMES) describe(`live restore after kill -9 of the daemon on ${rt.name}`, { skip: skipReason || rt.skip }, () => {
  let d: Daemon;
  suiteDaemon((started) => (d = started), { runtime: rt.name, restartIfKilled: true });

  test('running containers are re-adopted; exits while down are recorded and policies applied', async () => {
    // all of them wait for a file, so "exit while the daemon is down" does not depend on timing
    const gate = (code: number) => `echo up; while [ ! -e /tmp/go ]; do sleep 0.1; done; echo bye; exit ${code}`;
    await ok(d, ['run', '-d', '--name', 'keeper', 'busybox', 'sleep', '1000']);
    await ok(d, ['run', '-d', '--name', 'quitter', 'busybox', 'sh', '-c', gate(5)]);
    await ok(d, ['run', '-d', '--name', 'bouncer', '--restart', 'on-failure:1', 'busybox', 'sh', '-c', gate(2)]);
    await ok(d, ['run', '-d', '--name', 'vanisher', '--rm', 'busybox', 'sh', '-c', gate(0)]);
    const pid = async (n: string) => Number(await inspectField(d, n, '{{.State.Pid}}'));
    const pids = { keeper: await pid('keeper'), quitter: await pid('quitter'), bouncer: await pid('bouncer'), vanisher: await pid('vanisher') };
    const vanisherId = await inspectField(d, 'vanisher', '{{.Id}}');
    for (const n of ['quitter', 'bouncer', 'vanisher']) await until(`${n} up`, async () => (await ok(d, ['logs', n])).stdout.includes('up'));

    await d.kill9();
    // open the gates from the host, through each container's root (/proc/<pid>/root)
    for (const n of ['quitter', 'bouncer', 'vanisher'] as const) {
      const { writeFileSync } = await import('node:fs');
      writeFileSync(`/proc/${pids[n]}/root/tmp/go`, '');
    }
    await until('three containers to end while the daemon is down', async () =>
      !existsSync(`/proc/${pids.quitter}`) && !existsSync(`/proc/${pids.bouncer}`) && !existsSync(`/proc/${pids.vanisher}`),
    );
    assert.ok(existsSync(`/proc/${pids.keeper}`), 'keeper survives the daemon');

    await d.restart();
    // running: adopted with the same pid
    assert.equal(await inspectField(d, 'keeper', '{{.State.Status}} {{.State.Pid}}'), `running ${pids.keeper}`);
    // ended while down: exit code recorded, logs complete
    assert.equal(await inspectField(d, 'quitter', '{{.State.Status}} {{.State.ExitCode}}'), 'exited 5');
    assert.equal((await ok(d, ['logs', 'quitter'])).stdout, 'up\nbye\n');
    // --rm: removed at restore
    const gone = await d.isula(['inspect', vanisherId]);
    assert.notEqual(gone.code, 0, 'the --rm container was removed at restore');
    // on-failure:1: restarted once by the restored daemon (the gate file is still there: it exits 2 again)
    await until('bouncer restarted once and given up', async () => (await inspectField(d, 'bouncer', '{{.State.Status}} {{.RestartCount}}')) === 'exited 1');
    assert.equal(await inspectField(d, 'bouncer', '{{.State.ExitCode}}'), '2');
    const runs = (await ok(d, ['logs', 'bouncer'])).stdout.split('\n').filter((l) => l === 'up').length;
    assert.equal(runs, 2, 'the policy really started it again');
    // the adopted container is still fully manageable
    assert.equal((await ok(d, ['stop', '-t', '1', 'keeper'])).stdout, 'keeper\n');
    assert.equal(await inspectField(d, 'keeper', '{{.State.Status}}'), 'exited');
    assert.ok(!existsSync(`/proc/${pids.keeper}`));
  });

  test('a second restart with nothing running restores quietly and keeps the records', async () => {
    await d.restart();
    assert.equal(await inspectField(d, 'quitter', '{{.State.Status}} {{.State.ExitCode}}'), 'exited 5');
    assert.equal(await inspectField(d, 'bouncer', '{{.RestartCount}}'), '1');
  });

  test('the log keeps rotating while the daemon is down (max-size/max-file); logs reads it all after restart', async () => {
    const lines = 'i=1; while [ $i -le 300 ]; do echo line-$i; i=$((i+1)); done';
    await ok(d, ['run', '-d', '--name', 'scribe', '--log-opt', 'max-size=1k', '--log-opt', 'max-file=3', 'busybox', 'sh', '-c',
      `echo up; while [ ! -e /tmp/go ]; do sleep 0.1; done; ${lines}`]);
    const pid = Number(await inspectField(d, 'scribe', '{{.State.Pid}}'));
    const logPath = await inspectField(d, 'scribe', '{{.LogPath}}');
    await until('scribe up', async () => (await ok(d, ['logs', 'scribe'])).stdout.includes('up'));
    await d.kill9();
    // every line is written while no daemon runs: only the monitor side can rotate
    const { writeFileSync } = await import('node:fs');
    writeFileSync(`/proc/${pid}/root/tmp/go`, '');
    await until('scribe to end while the daemon is down', async () => !existsSync(`/proc/${pid}`));
    // the monitor side (conmon or lxc-start, and the copiers) ends after the init: wait for it,
    // still with no daemon (nothing else of this daemon's runs now)
    try {
      await until('the monitor side to end', async () => processesUnder(d.dir).length === 0);
      assert.ok(existsSync(`${logPath}.1`) && existsSync(`${logPath}.2`) && !existsSync(`${logPath}.3`), 'rotated while the daemon was down: the live file, .1 and .2 (max-file=3)');
    } finally {
      await d.restart();
    }
    await until('scribe exited', async () => (await inspectField(d, 'scribe', '{{.State.Status}}')) === 'exited');
    const nums = (await ok(d, ['logs', 'scribe'])).stdout.trim().split('\n').map((l) => Number(l.replace('line-', '')));
    assert.equal(nums[nums.length - 1], 300, 'the last line is there');
    assert.ok(nums.length < 300 && nums.length > 20, `rotation dropped the oldest lines only (${nums.length} kept)`);
    nums.forEach((n, i) => assert.equal(n, (nums[0] as number) + i, 'lines are consecutive across the rotated files'));
  });

  test('after a simulated power cut (processes, mounts, cgroups and /var/run state gone) always-containers come back', async () => {
    await ok(d, ['run', '-d', '--name', 'phoenix', '--restart', 'always', 'busybox', 'sh', '-c', 'echo boot; sleep 1000']);
    await ok(d, ['run', '-d', '--name', 'plain', 'busybox', 'sleep', '1000']);
    const oldPid = Number(await inspectField(d, 'phoenix', '{{.State.Pid}}'));
    const plainId = await inspectField(d, 'plain', '{{.Id}}');
    // lcr: the LXC config is runtime state (tmpfs), nothing of it is written under the graph root
    const lxcConfig = join(d.state, 'lcr', plainId, 'config');
    if (rt.name === 'lcr') {
      assert.ok(existsSync(lxcConfig), lxcConfig);
      assert.equal(existsSync(join(d.root, 'engines', 'lcr', plainId)), false, 'no LXC dir in the graph root');
    }
    await d.kill9();
    // the power cut: every process this daemon started dies (we started them: SIGKILL by pid),
    // mounts and cgroups vanish, and the tmpfs state dir is empty after the reboot
    const { processesUnder, mountsUnder, cgroupsUnder } = await import('./container-fixture.ts');
    // (an OCI container outlives its conmon: its processes are found through its cgroups)
    const { readFileSync: readText } = await import('node:fs');
    const inCgroups = cgroupsUnder(d.cgroupParent).flatMap((c) => {
      try {
        return readText(`${c}/cgroup.procs`, 'utf8').split('\n').filter(Boolean).map(Number);
      } catch {
        return [];
      }
    });
    const victims = [...processesUnder(d.dir).map((l) => Number(l.split(':')[0])), ...inCgroups];
    for (const p of victims) try { process.kill(p, 'SIGKILL'); } catch { /* gone */ }
    await until('the killed processes to go', async () => processesUnder(d.dir).length === 0 && !existsSync(`/proc/${oldPid}`));
    const { spawnSync } = await import('node:child_process');
    for (const m of mountsUnder(d.root).sort((a, b) => b.length - a.length)) spawnSync('umount', ['-l', m]);
    const { rmSync, rmdirSync } = await import('node:fs');
    // the containers' and their LXC monitors' cgroups (lcr puts monitors under <parent>.monitor)
    for (const c of [...cgroupsUnder(d.cgroupParent), ...cgroupsUnder(`${d.cgroupParent}.monitor`)].sort((a, b) => b.length - a.length)) {
      try { rmdirSync(c); } catch { /* a nested dir goes first on the next pass */ }
    }
    rmSync(d.state, { recursive: true, force: true });

    await d.restart();
    assert.equal(await inspectField(d, 'plain', '{{.State.Status}} {{.State.ExitCode}}'), 'exited -1');
    await until('phoenix back up', async () => (await inspectField(d, 'phoenix', '{{.State.Status}}')) === 'running');
    const newPid = Number(await inspectField(d, 'phoenix', '{{.State.Pid}}'));
    assert.notEqual(newPid, oldPid);
    assert.ok(existsSync(`/proc/${newPid}`));
    await until('the second boot line', async () => (await ok(d, ['logs', 'phoenix'])).stdout === 'boot\nboot\n');
    // and the plain one starts again by hand
    await ok(d, ['start', 'plain']);
    assert.equal(await inspectField(d, 'plain', '{{.State.Status}}'), 'running');
    if (rt.name === 'lcr') assert.ok(existsSync(lxcConfig), 'the LXC config made again from the record');
  });

  test('lcr: a container whose LXC config an older build kept in the graph root starts (config made again) and leaves nothing', { skip: rt.name !== 'lcr' }, async () => {
    const id = (await ok(d, ['run', '-d', '--name', 'elder', 'busybox', 'echo', 'hello'])).stdout.trim();
    await ok(d, ['wait', id]);
    // the older layout: <graph>/engines/lcr/<id>/config, our state dir without it
    const old = join(d.root, 'engines', 'lcr', id);
    mkdirSync(old, { recursive: true });
    renameSync(join(d.state, 'lcr', id, 'config'), join(old, 'config'));
    await ok(d, ['start', id]);
    assert.equal((await ok(d, ['wait', id])).stdout.trim(), '0');
    assert.equal((await ok(d, ['logs', id])).stdout, 'hello\nhello\n');
    assert.ok(existsSync(join(d.state, 'lcr', id, 'config')));
    await ok(d, ['rm', id]);
    assert.equal(existsSync(old), false, 'the older build\'s LXC dir is removed with the container');
    assert.equal(existsSync(join(d.state, 'lcr', id)), false);
  });
});
