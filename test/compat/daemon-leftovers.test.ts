// iSulad CI, container_cases: check_fd_leakage_of_isulad.sh and cleanup_leftover.sh, against our CLI
// on one real daemon, on each runtime of RUNTIME_LIST (lcr, runc). The daemon's fds are read from
// /proc/<pid>/fd, the container's storage from the daemon's root.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Daemon } from '../helpers/daemon.ts';
import { fdDiff, fdsBackTo, RUNTIMES, settledFds } from '../integration/container-fixture.ts';
import { ok, skipReason, state, suiteDaemon } from './compat-fixture.ts';

const runc = RUNTIMES.find((r) => r.name === 'runc');
const skipOf = (rt: string) => (rt === 'runc' ? runc?.skip ?? 'no runc' : false);

describe('iSulad CI container_cases: daemon fds and leftovers', { skip: skipReason }, () => {
  let d: Daemon;
  suiteDaemon((started) => (d = started), { runtime: 'lcr' });

  for (const rt of ['lcr', 'runc'] as const) {
    test(`check_fd_leakage_of_isulad.sh on ${rt}: the daemon holds no more fds after create, after start+stop, after rm`, { skip: skipOf(rt) }, async () => {
      // the script's warm-up: one container made and removed first (lazy loads are not leaks)
      await ok(d, ['create', '-t', '--name', `load_${rt}`, '--runtime', rt, 'busybox']);
      await ok(d, ['rm', `load_${rt}`]);
      const pid = d.pid as number;
      const base = await settledFds(pid);
      const same = async (when: string) => {
        const now = await fdsBackTo(pid, base);
        assert.ok(now.size <= base.size, `${when}: daemon fds ${base.size} -> ${now.size}; new: ${fdDiff(now, base).join(', ') || '-'}`);
      };
      const name = `test_fds_${rt}`;
      await ok(d, ['create', '-t', '--name', name, '--runtime', rt, 'busybox']);
      assert.equal(await state(d, name), 'inited');
      await same('after create');
      await ok(d, ['start', name]);
      assert.equal(await state(d, name), 'running');
      await ok(d, ['stop', '-t', '0', name]);
      assert.equal(await state(d, name), 'exited');
      await same('after start and stop');
      await ok(d, ['rm', name]);
      await same('after rm');
    });
  }

  for (const rt of ['lcr', 'runc'] as const) {
    test(`cleanup_leftover.sh on ${rt}: the runtime's dir of an exited container removed while the daemon is down`, { skip: skipOf(rt) }, async () => {
      const id = (await ok(d, ['run', '-tid', '--runtime', rt, 'busybox', 'ls'])).stdout.trim();
      await ok(d, ['wait', id]);
      await d.terminate();
      // the runtime's own dir of the container (our state dir with LXC's config in it for lcr; the
      // runc bundle); the record and the storage stay
      const dirs = rt === 'lcr' ? [join(d.state, 'lcr', id)] : [join(d.state, 'runc', id)];
      for (const x of dirs) {
        assert.ok(existsSync(x), x);
        rmSync(x, { recursive: true, force: true });
      }
      await d.restart();
      // Difference: iSulad keeps its container record in that dir, so it forgets the container and
      // removes its storage at boot. Here the record is the daemon's own: the container is still
      // there, its runtime side is written again at the next start, and its removal leaves nothing
      assert.equal(await state(d, id), 'exited');
      await ok(d, ['start', id]);
      assert.equal((await ok(d, ['wait', id])).stdout.trim(), '0');
      // ls ran twice (a tty: columns), both times in the same rootfs
      assert.equal((await ok(d, ['logs', id])).stdout.match(/\betc\b/g)?.length, 2);
      await ok(d, ['rm', id]);
      assert.equal(existsSync(join(d.root, 'storage', 'overlay', id)), false, 'container layer left');
      for (const x of dirs) assert.equal(existsSync(x), false, `${x} left`);
    });
  }
});
