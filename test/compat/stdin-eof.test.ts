// The end of a client's stdin, on each runtime (lcr, runc), against our CLI and one real daemon:
// `run -i` (docker's StdinOnce) passes the EOF of its piped stdin to the container, so `cat`
// ends with its output and exit 0; `create -i` + `start -a -i` keeps the container's stdin open
// across clients (a second client's input still arrives), also after a daemon restart; `exec -i`
// ends at EOF. Each used to hang or was missing (the container held its stdin FIFO read-write, so
// it never saw EOF; start had no -i). iSulad CI attach.sh's runc half is in attach.test.ts.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Daemon } from '../helpers/daemon.ts';
import { RUNTIMES } from '../integration/container-fixture.ts';
import { inspectField, ok, skipReason, state, suiteDaemon, until } from './compat-fixture.ts';

const runc = RUNTIMES.find((r) => r.name === 'runc');
const skipOf = (rt: string) => (rt === 'runc' ? runc?.skip ?? 'no runc' : false);
// generous: a hang is what these tests catch, and the machine is shared (not a timing assertion)
const LIMIT = { timeoutMs: 90_000 };

describe('stdin EOF: run -i, start -a -i, attach, exec -i', { skip: skipReason }, () => {
  let d: Daemon;
  suiteDaemon((started) => (d = started), { runtime: 'lcr', restartIfKilled: true });

  for (const rt of ['lcr', 'runc'] as const) {
    test(`run --rm -i on ${rt}: the end of the piped stdin ends cat, with its output and exit 0`, { skip: skipOf(rt) }, async () => {
      const name = `once_${rt}`;
      try {
        const r = await d.isula(['run', '--rm', '-i', '--name', name, '--runtime', rt, 'busybox', 'cat'], { input: 't\nu\n', ...LIMIT });
        assert.equal(r.code, 0, `run -i: ${JSON.stringify(r)}`);
        assert.equal(r.stdout, 't\nu\n');
        // --rm: removed after its exit
        await until('the container was removed', async () => (await d.isula(['inspect', name])).code !== 0);
      } finally {
        await d.isula(['rm', '-f', name]);
      }
    });

    test(`create -i on ${rt}: start -a -i twice and attach, stdin stays open across clients`, { skip: skipOf(rt) }, async () => {
      const name = `keep_${rt}`;
      await ok(d, ['create', '-i', '--name', name, '--runtime', rt, 'busybox', 'sh', '-c', 'read a; echo got-$a; read b; echo got-$b']);
      try {
        // the first client's stdin ends after one line; the container still waits for the second
        const first = d.isula(['start', '-a', '-i', name], { input: 'x\n', ...LIMIT });
        await until('the first line was read', async () => (await ok(d, ['logs', name])).stdout.includes('got-x'));
        assert.equal(await state(d, name), 'running');
        const second = await d.isula(['attach', name], { input: 'y\n', ...LIMIT });
        assert.equal(second.code, 0, JSON.stringify(second));
        const r1 = await first;
        assert.equal(r1.code, 0, JSON.stringify(r1));
        assert.equal(r1.stdout, 'got-x\ngot-y\n');
        // a second start -a -i: its lines reach the new run
        const r2 = await d.isula(['start', '-a', '-i', name], { input: 'p\nq\n', ...LIMIT });
        assert.equal(r2.code, 0, JSON.stringify(r2));
        assert.equal(r2.stdout, 'got-p\ngot-q\n');
      } finally {
        await d.isula(['rm', '-f', name]);
      }
    });

    test(`run -d -i on ${rt}: after a daemon restart an attach still feeds its stdin`, { skip: skipOf(rt) }, async () => {
      const name = `restore_${rt}`;
      await ok(d, ['run', '-d', '-i', '--name', name, '--runtime', rt, 'busybox', 'sh', '-c', 'read a; echo got-$a']);
      try {
        assert.equal(await inspectField(d, name, '{{.Config.OpenStdin}}'), 'true');
        await d.kill9();
        await d.restart();
        assert.equal(await state(d, name), 'running');
        const r = await d.isula(['attach', name], { input: 'z\n', ...LIMIT });
        assert.equal(r.code, 0, JSON.stringify(r));
        assert.equal(r.stdout, 'got-z\n');
        // start -a -i of a container made by run -d -i: the same keeper, no StdinOnce
        const again = await d.isula(['start', '-a', '-i', name], { input: 'w\n', ...LIMIT });
        assert.equal(again.code, 0, JSON.stringify(again));
        assert.equal(again.stdout, 'got-w\n');
      } finally {
        await d.isula(['rm', '-f', name]);
      }
    });

    test(`exec -i on ${rt}: the end of the piped stdin ends cat, with its output and exit 0`, { skip: skipOf(rt) }, async () => {
      const name = `exec_${rt}`;
      await ok(d, ['run', '-d', '--name', name, '--runtime', rt, 'busybox', 'sleep', '1000']);
      try {
        const r = await d.isula(['exec', '-i', name, 'cat'], { input: 'e1\ne2\n', ...LIMIT });
        assert.equal(r.code, 0, JSON.stringify(r));
        assert.equal(r.stdout, 'e1\ne2\n');
      } finally {
        await d.isula(['rm', '-f', name]);
      }
    });
  }
});
