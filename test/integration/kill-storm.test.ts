// Issue 13 item 3: the daemon is SIGKILLed at random points of create, run, start, stop, kill, rm
// and load, KILLS times (ISULA_KILL_STORM, default 200). After every kill the daemon must boot on
// the same root (the store opens); at the end every listed container must be operable (start,
// exec, stop, rm), and once they are removed nothing of them may be left: processes, mounts,
// cgroups, LXC dirs and state, container dirs, writable layers.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startDaemon, type Daemon, type RunResult } from '../helpers/daemon.ts';
import { assertCleanAfterRemovingAll, canRun, inspectField, ok, skipReason, until } from './container-fixture.ts';
import { prng } from '../helpers/prng.ts';

const KILLS = Number(process.env.ISULA_KILL_STORM ?? 200);
const NAMES = ['k0', 'k1', 'k2', 'k3', 'k4'];
const ARCH = process.arch === 'arm64' ? 'arm64' : 'amd64';
const BUSYBOX_TAR = resolve(import.meta.dirname, `../../rootfs-fixtures/out/busybox-${ARCH}.docker.tar`);

function ls(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir) : [];
}

describe('daemon kill storm', { skip: skipReason }, () => {
  let d: Daemon;
  const seed = Number(process.env.ISULA_KILL_STORM_SEED ?? Date.now() % 1_000_000);
  const rnd = prng(seed);
  const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)] as T;
  let overlayBefore: string[] = [];
  before(async () => {
    if (!canRun) return;
    d = await startDaemon({ config: { 'log-level': 'INFO' } });
    overlayBefore = ls(join(d.root, 'storage', 'overlay')).sort();
  });
  after(async () => {
    if (canRun) await d.stop();
  });

  test(`${KILLS} SIGKILLs at random points leave an operable store and no leaks`, { timeout: 20 * 60_000 }, async () => {
    const ops: Array<(n: string) => string[]> = [
      (n) => ['create', '--name', n, 'busybox', 'sleep', '1000'],
      (n) => ['run', '-d', '--name', n, 'busybox', 'sleep', '1000'],
      (n) => ['start', n],
      (n) => ['stop', '-t', '1', n],
      (n) => ['kill', n],
      (n) => ['rm', '-f', n],
      () => ['run', '--rm', 'busybox', 'true'],
      () => ['load', '-i', BUSYBOX_TAR],
    ];
    const counts: Record<string, number> = {};
    let ran = 0;
    for (let i = 0; i < KILLS; i++) {
      const inFlight: Array<Promise<RunResult>> = [];
      const n = 1 + Math.floor(rnd() * 2);
      for (let j = 0; j < n; j++) {
        const args = pick(ops)(pick(NAMES));
        counts[args[0] as string] = (counts[args[0] as string] ?? 0) + 1;
        inFlight.push(d.isula(args, { timeoutMs: 60_000 }));
      }
      ran += n;
      // the CLI needs ~100-300 ms to reach the daemon here: spread the kill over the whole op
      await new Promise((r) => setTimeout(r, Math.floor(rnd() * 900)));
      await d.kill9();
      await Promise.all(inFlight);
      await d.restart(); // boots on the same root: the store opened and restore finished
    }
    const summary = `seed ${seed}: ${KILLS} kills, ${ran} operations ${JSON.stringify(counts)}`;
    console.log(`# kill storm ${summary}`);

    // every listed container is operable
    const ids = (await ok(d, ['ps', '-a', '-q', '--no-trunc'])).stdout.split('\n').filter(Boolean);
    for (const id of ids) {
      if ((await inspectField(d, id, '{{.HostConfig.AutoRemove}}')) === 'true') {
        // a `run --rm busybox true` cut short: started again it runs, ends and is removed
        const r = await d.isula(['start', '-a', id], { timeoutMs: 60_000 });
        assert.ok(r.code === 0 || /No such container/.test(r.stderr), `${id}: ${r.stderr} (${summary})`);
        await until(`${id} removed`, async () => (await d.isula(['inspect', id])).code !== 0);
        continue;
      }
      const status = await inspectField(d, id, '{{.State.Status}}');
      if (status !== 'running') await ok(d, ['start', id]);
      assert.equal(await inspectField(d, id, '{{.State.Status}}'), 'running', `${id} (${summary})`);
      await ok(d, ['exec', id, 'true']);
      await ok(d, ['stop', '-t', '1', id]);
      assert.equal(await inspectField(d, id, '{{.State.Status}}'), 'exited');
      await ok(d, ['rm', id]);
    }
    await ok(d, ['run', '--rm', 'busybox', 'true']);
    await assertCleanAfterRemovingAll(d);
    // nothing of the removed containers stays anywhere the daemon or LXC keeps state
    assert.deepEqual(ls(join(d.root, 'containers')), [], `container dirs left (${summary})`);
    // the daemon's own helper executable (.lcr-helper) lives there too and is not a container's
    assert.deepEqual(ls(join(d.root, 'engines', 'lcr')).filter((n) => n !== '.lcr-helper'), [], `LXC dirs left (${summary})`);
    const runtimeState = ls(join(d.state, 'lcr')).filter((n) => /^[0-9a-f]{64}$/.test(n));
    // seen once (s10b, seed 827386) and not reproduced since: the failure names what the dir
    // held and what the daemon logged about that id, as the suite's dir goes with it
    const leftDetail = runtimeState.map((id) => {
      const files = ls(join(d.state, 'lcr', id));
      const lines = d.log().split('\n').filter((l) => l.includes(id.slice(0, 12))).slice(-40);
      return `${id}: files ${JSON.stringify(files)}\n${lines.join('\n')}`;
    });
    assert.deepEqual(runtimeState, [], `runtime state left (${summary})\n${leftDetail.join('\n')}`);
    assert.deepEqual(ls(join(d.state, 'lcr', 'exits')), [], `exit files left (${summary})`);
    assert.deepEqual(ls(join(d.root, 'storage', 'overlay')).sort(), overlayBefore, `layers left (${summary})`);
    assert.deepEqual(ls(join('/run/lxc/lock', d.state, 'lcr')), [], `LXC lock files left (${summary})`);
  });
});
