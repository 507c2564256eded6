// iSulad CI, container_cases: log_test.sh (its json-file part), against our CLI on one real daemon,
// on each runtime of RUNTIME_LIST (lcr, runc). iSulad's script greps the runtime's config.json for
// the console rotate/size keys; here the effect is read on disk: the container's log files after
// it wrote more than they may hold (their number and each one's size). The syslog driver: lines
// received on a unix datagram socket the test listens on (socat), named by our syslog-address
// log-opt instead of the host's /dev/log. disable-log=true: no log file on disk (the container's
// dir is read), `isula logs` refuses with iSulad's words, and run, start -a and attach still show
// the output (kept small on the daemon's state dir only).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import type { Daemon } from '../helpers/daemon.ts';
import { RUNTIMES } from '../integration/container-fixture.ts';
import { fails, inspectField, ok, skipReason, suiteDaemon, until } from './compat-fixture.ts';

const runc = RUNTIMES.find((r) => r.name === 'runc');

/** About `kib` KiB of output as whole lines of 1000 'a's (each a json-file record of about 1.1 KB). */
const writes = (kib: number) => ['awk', `BEGIN { s = sprintf("%1000s", ""); gsub(/ /, "a", s); for (i = 0; i < ${Math.ceil((kib * 1024) / 1001)}; i++) print s }`];

/** The container's console.log files: their count and the largest one's size. */
async function logFiles(d: Daemon, id: string): Promise<{ count: number; largest: number }> {
  const dir = dirname(await inspectField(d, id, '{{.LogPath}}'));
  const files = readdirSync(dir).filter((f) => /^console\.log(\.\d+)?$/.test(f));
  return { count: files.length, largest: Math.max(...files.map((f) => statSync(join(dir, f)).size)) };
}

/**
 * The log files once they hold `count` files: on runc the log copier may still be writing and
 * rotating after `wait` returned (conmon hands the output on through a FIFO), so wait for it,
 * bounded; what the files hold is asserted by the caller.
 */
async function logFilesOnceRotated(d: Daemon, id: string, count: number): Promise<{ count: number; largest: number }> {
  let f = await logFiles(d, id);
  for (const until = Date.now() + 60_000; f.count < count && Date.now() < until; f = await logFiles(d, id)) {
    await new Promise((r) => setTimeout(r, 200));
  }
  return f;
}

async function runToEnd(d: Daemon, args: string[]): Promise<string> {
  const id = (await ok(d, ['run', '-d', ...args])).stdout.trim();
  assert.equal((await ok(d, ['wait', id])).stdout.trim(), '0');
  return id;
}

describe('iSulad CI container_cases: container logs', { skip: skipReason }, () => {
  let d: Daemon;
  suiteDaemon((started) => (d = started), { runtime: 'lcr' });

  for (const rt of ['lcr', 'runc'] as const) {
    test(`log_test.sh on ${rt}: json-file defaults (7 files of 1 MB), --log-opt max-file and max-size, read from the files on disk`, { skip: rt === 'runc' ? runc?.skip ?? 'no runc' : false }, async () => {
      const dflt = await runToEnd(d, ['--runtime', rt, '--log-driver=json-file', 'busybox', ...writes(9000)]);
      assert.equal(await inspectField(d, dflt, '{{.HostConfig.LogConfig.Type}}'), 'json-file');
      assert.deepEqual(await logFilesOnceRotated(d, dflt, 7).then((f) => [f.count, f.largest <= 1024 * 1024]), [7, true]);
      const eight = await runToEnd(d, ['--runtime', rt, '--log-driver=json-file', '--log-opt=max-file=8', 'busybox', ...writes(10000)]);
      assert.equal((await logFilesOnceRotated(d, eight, 8)).count, 8);
      const small = await runToEnd(d, ['--runtime', rt, '--log-driver=json-file', '--log-opt=max-size=128KB', 'busybox', ...writes(2000)]);
      const f = await logFilesOnceRotated(d, small, 7);
      assert.equal(f.count, 7);
      assert.ok(f.largest <= 128 * 1024, `largest log file ${f.largest} B`);
      assert.equal(await inspectField(d, small, '{{json .HostConfig.LogConfig.Config}}'), '{"max-size":"128KB"}');
      // the last lines are still read back
      assert.match((await ok(d, ['logs', '--tail', '1', small])).stdout, /^a{1000}\n$/);
      await ok(d, ['rm', '-f', dflt, eight, small]);
    });
  }

  for (const rt of ['lcr', 'runc'] as const) {
    test(`log_test.sh syslog on ${rt}: --log-driver syslog with syslog-tag templates and syslog-facility; lines reach the socket`, { skip: (rt === 'runc' ? runc?.skip : false) || (existsSync('/usr/bin/socat') ? false : 'needs socat') }, async () => {
      const sock = join(d.dir, `syslog-${rt}.sock`);
      const listener = spawn('socat', ['-u', `UNIX-RECV:${sock},mode=0666`, 'STDOUT'], { stdio: ['ignore', 'pipe', 'inherit'] });
      let got = '';
      listener.stdout.on('data', (b: Buffer) => (got += b.toString()));
      try {
        await until('the syslog socket', async () => existsSync(sock));
        const name = `syslog_${rt}`;
        const bad = await fails(d, ['run', '--runtime', rt, '--log-driver', 'syslog', '--log-opt', 'syslog-tag={{.Nope}}', 'busybox', 'true']);
        assert.match(bad.stderr, /container syslog tag: unsupport: \{\{\.Nope\}\}/);
        await ok(d, ['run', '--runtime', rt, '--name', name, '--log-driver', 'syslog', '--log-opt', `syslog-address=unixgram://${sock}`,
          '--log-opt', 'syslog-tag={{.Name}}/{{.ID}}/{{.ImageName}}/{{.DaemonName}}', '--log-opt', 'syslog-facility=local3',
          'busybox', 'sh', '-c', 'echo to-stdout; echo to-stderr >&2']);
        const id = (await ok(d, ['inspect', '-f', '{{.Id}}', name])).stdout.trim();
        const tag = `${name}/${id.slice(0, 12)}/busybox/iSulad`;
        // local3 = 19: info (6) for stdout, err (3) for stderr
        await until('both lines on the syslog socket', async () => got.includes('to-stdout') && got.includes('to-stderr'), 30_000);
        assert.match(got, new RegExp(`<158>.*${tag.replace(/[/.]/g, '\\$&')}.*: to-stdout`));
        assert.match(got, new RegExp(`<155>.*${tag.replace(/[/.]/g, '\\$&')}.*: to-stderr`));
        assert.equal(await inspectField(d, name, '{{.HostConfig.LogConfig.Type}}'), 'syslog');
        // the local copy: logs (and attach) still read the container's lines
        assert.match((await ok(d, ['logs', name])).stdout, /to-stdout/);
        await ok(d, ['rm', name]);
        if (rt === 'lcr') {
          // the daemon's default: --container-log-driver syslog with its opts, a container's own tag over them
          got = '';
          await d.restart({ flags: ['--container-log-driver=syslog', '--container-log-opts', `syslog-address=unixgram://${sock}`, '--container-log-opts', 'syslog-facility=user'] });
          try {
            await ok(d, ['run', '--rm', '--runtime', rt, 'busybox', 'echo', 'by-default']);
            await ok(d, ['run', '--rm', '--runtime', rt, '--log-driver', 'syslog', '--log-opt', 'syslog-tag=own-tag', 'busybox', 'echo', 'own-opts']);
            await until('the default driver\'s lines', async () => got.includes('by-default') && got.includes('own-opts'), 30_000);
            assert.match(got, /<14>.*: by-default/); // user (1) . info
            assert.match(got, /<14>.*own-tag.*: own-opts/);
          } finally {
            await d.restart();
          }
        }
      } finally {
        listener.kill('SIGTERM');
      }
    });
  }

  /** Files named console.log* anywhere under dir (the daemon root holds none for a disabled log). */
  const consoleLogsUnder = (dir: string): string[] =>
    existsSync(dir) ? readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => /(^|\/)console\.log/.test(f)) : [];

  for (const rt of ['lcr', 'runc'] as const) {
    test(`log_test.sh disable-log on ${rt}: nothing on disk, logs refuses, run, start -a and attach show the output`, { skip: rt === 'runc' ? runc?.skip ?? 'no runc' : false }, async () => {
      const name = `nolog_${rt}`;
      const r = await ok(d, ['run', '--runtime', rt, '--name', name, '--log-opt=disable-log=true', 'busybox', 'sh', '-c', 'echo shown-$((1+1)); echo err-line >&2']);
      assert.equal(r.stdout, 'shown-2\n');
      assert.equal(r.stderr, 'err-line\n');
      assert.equal((await ok(d, ['start', '-a', name])).stdout, 'shown-2\n');
      assert.match((await fails(d, ['logs', name])).stderr, new RegExp(`Container ${name} disable console log!`));
      const id = (await ok(d, ['inspect', '-f', '{{.Id}}', name])).stdout.trim();
      assert.deepEqual(consoleLogsUnder(join(d.root, 'containers', id)), [], "no log file in the container's dir");
      assert.equal(await inspectField(d, name, '{{json .HostConfig.LogConfig.Config}}'), '{"disable-log":"true"}');
      // what attach follows is on the state dir, small: more output than it may hold leaves at most
      // two files of about 128 KiB (the lcr copier may pass max-size by a sixteenth and a record)
      const big = await runToEnd(d, ['--runtime', rt, '--log-opt=disable-log=true', 'busybox', ...writes(1000)]);
      const volatile = dirname(await inspectField(d, big, '{{.LogPath}}'));
      assert.ok(volatile.startsWith(`${d.state}/`), `${volatile} is on the state dir`);
      const files = readdirSync(volatile).map((f) => statSync(join(volatile, f)).size);
      assert.ok(files.length <= 2 && Math.max(...files) <= 128 * 1024 + 8 * 1024 + 1100, `state-dir log files ${files.join(', ')} B`);
      assert.deepEqual(consoleLogsUnder(join(d.root, 'containers', big)), []);
      // attach: the input goes in once the output reader is placed, so the answer is always seen
      const att = (await ok(d, ['run', '-d', '-i', '--runtime', rt, '--log-opt=disable-log=true', 'busybox', 'sh', '-c', 'read x; echo got-$x; exit 3'])).stdout.trim();
      const a = await d.isula(['attach', att], { input: 'hi\n', timeoutMs: 120_000 });
      assert.equal(a.stdout, 'got-hi\n');
      assert.equal(a.code, 3);
      await ok(d, ['rm', '-f', name, big, att]);
      assert.equal(existsSync(volatile), false, 'the state-dir log goes with the container');
    });
  }

  test('log_test.sh disable-log: the daemon\'s --container-log-opts disable-log=true is the default of new containers', async () => {
    await d.restart({ flags: ['--container-log-opts', 'disable-log=true'] });
    try {
      const r = await ok(d, ['run', '--name', 'nolog_default', 'busybox', 'echo', 'by-default']);
      assert.equal(r.stdout, 'by-default\n');
      assert.match((await fails(d, ['logs', 'nolog_default'])).stderr, /Container nolog_default disable console log!/);
      const id = (await ok(d, ['inspect', '-f', '{{.Id}}', 'nolog_default'])).stdout.trim();
      assert.deepEqual(consoleLogsUnder(join(d.root, 'containers', id)), []);
      // a container's own option wins
      await ok(d, ['run', '--name', 'log_own', '--log-opt=disable-log=false', 'busybox', 'echo', 'kept']);
      assert.equal((await ok(d, ['logs', 'log_own'])).stdout, 'kept\n');
      await ok(d, ['rm', 'nolog_default', 'log_own']);
    } finally {
      await d.restart({ flags: [] });
    }
  });

  test('log_test.sh: the daemon\'s --container-log-driver/--container-log-opts are the defaults of new containers', async () => {
    await d.restart({ flags: ['--container-log-driver=json-file', '--container-log-opts', 'max-size=64KB', '--container-log-opts', 'max-file=3'] });
    const id = await runToEnd(d, ['busybox', ...writes(1000)]);
    const f = await logFilesOnceRotated(d, id, 3);
    assert.equal(f.count, 3);
    assert.ok(f.largest <= 64 * 1024, `largest log file ${f.largest} B`);
    // a container's own option wins over the daemon's
    const own = await runToEnd(d, ['--log-opt=max-file=2', 'busybox', ...writes(1000)]);
    assert.equal((await logFilesOnceRotated(d, own, 2)).count, 2);
    assert.ok((await logFiles(d, own)).largest <= 64 * 1024);
    await ok(d, ['rm', '-f', id, own]);
    await d.restart({ flags: [] });
  });
});
