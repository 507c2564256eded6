// isula exec --env-file / --privileged and attach --no-stdin / --sig-proxy (issue 17), on every
// runtime of the RUNTIMES table. The effects are read from the kernel side: the exec'd process's
// /proc/self/environ and CapEff, the container's exit code after a proxied signal.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { binaryFor, type Daemon } from '../helpers/daemon.ts';
import { inspectField, ok, skipReason, until, RUNTIMES, suiteDaemon } from './container-fixture.ts';

const CAP_SYS_ADMIN = 21n;

/** A long-lived isula client the test signals and feeds. */
function spawnIsula(d: Daemon, args: string[]): { child: ChildProcessWithoutNullStreams; out: () => string; done: Promise<number | null> } {
  const b = binaryFor('isula');
  const child = spawn(b.cmd, [...b.prefix, '-H', d.host, ...args], { argv0: b.argv0, stdio: ['pipe', 'pipe', 'pipe'] });
  let text = '';
  child.stdout.on('data', (x: Buffer) => (text += x.toString()));
  child.stderr.on('data', (x: Buffer) => (text += x.toString()));
  const done = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return { child, out: () => text, done };
}

const capEff = (status: string): bigint => BigInt(`0x${/^CapEff:\s*([0-9a-f]+)/m.exec(status)?.[1] ?? '0'}`);

for (const rt of RUNTIMES) describe(`exec and attach flags on ${rt.name}`, { skip: skipReason || rt.skip }, () => {
  let d: Daemon;
  suiteDaemon((started) => (d = started), { runtime: rt.name });

  test('exec --env-file: the file\'s variables in the process environment, -e wins', async () => {
    const id = (await ok(d, ['run', '-d', 'busybox', 'sleep', '1000'])).stdout.trim();
    const file = join(d.dir, 'exec.env');
    writeFileSync(file, '# comment\nA=1\nB=two words\n\n');
    const env = (await ok(d, ['exec', '--env-file', file, '-e', 'B=override', id, 'cat', '/proc/self/environ'])).stdout.split('\0');
    assert.ok(env.includes('A=1'), env.join(' | '));
    assert.ok(env.includes('B=override'), env.join(' | '));
    const r = await d.isula(['exec', '--env-file', join(d.dir, 'missing.env'), id, 'true']);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /Failed to read env file/);
    await ok(d, ['rm', '-f', id]);
  });

  test('exec --privileged: every capability the host grants (CapEff), in the container\'s cgroup', async () => {
    const id = (await ok(d, ['run', '-d', 'busybox', 'sleep', '1000'])).stdout.trim();
    const plain = capEff((await ok(d, ['exec', id, 'cat', '/proc/self/status'])).stdout);
    const priv = (await ok(d, ['exec', '--privileged', id, 'cat', '/proc/self/status'])).stdout;
    assert.equal((plain >> CAP_SYS_ADMIN) & 1n, 0n, `default exec has no CAP_SYS_ADMIN: ${plain.toString(16)}`);
    assert.equal((capEff(priv) >> CAP_SYS_ADMIN) & 1n, 1n, `--privileged exec has CAP_SYS_ADMIN: ${capEff(priv).toString(16)}`);
    // the capabilities the host itself has (this daemon's bounding set), no more
    const host = capEff(`CapEff:\t${/^CapBnd:\s*([0-9a-f]+)/m.exec(await import('node:fs').then((f) => f.readFileSync('/proc/self/status', 'utf8')))?.[1]}`);
    assert.equal(capEff(priv) & ~host, 0n);
    // still in the container's cgroups (as the kernel shows them inside, namespace or not)
    const cg = (await ok(d, ['exec', '--privileged', id, 'cat', '/proc/self/cgroup'])).stdout;
    assert.equal(cg, (await ok(d, ['exec', id, 'cat', '/proc/self/cgroup'])).stdout);
    // a detached privileged exec (the unary Exec) too
    await ok(d, ['exec', '-d', '--privileged', id, 'sh', '-c', 'grep CapEff /proc/self/status > /tmp/cap']);
    await until('the detached exec to write', async () => (await d.isula(['exec', id, 'cat', '/tmp/cap'])).stdout.includes('CapEff'));
    const detached = capEff((await ok(d, ['exec', id, 'cat', '/tmp/cap'])).stdout);
    assert.equal((detached >> CAP_SYS_ADMIN) & 1n, 1n);
    await ok(d, ['rm', '-f', id]);
  });

  test('attach --no-stdin: output only; what the client is given never reaches the container', async () => {
    const id = (await ok(d, ['run', '-d', '-i', 'busybox', 'sh', '-c', 'while read l; do echo got:$l; done'])).stdout.trim();
    const quiet = spawnIsula(d, ['attach', '--no-stdin', '--sig-proxy=false', id]);
    const talk = spawnIsula(d, ['attach', id]);
    await until('both clients attached', async () => {
      quiet.child.stdin.write('from-quiet\n');
      talk.child.stdin.write('ping\n');
      await new Promise((r) => setTimeout(r, 300));
      return quiet.out().includes('got:ping') && talk.out().includes('got:ping');
    });
    assert.ok(!talk.out().includes('got:from-quiet') && !quiet.out().includes('got:from-quiet'), quiet.out());
    talk.child.stdin.write('\x01q');
    assert.equal(await talk.done, 0, talk.out());
    // --sig-proxy=false: the client's SIGTERM ends the client, the container runs on
    quiet.child.kill('SIGTERM');
    await quiet.done;
    assert.equal(await inspectField(d, id, '{{.State.Status}}'), 'running');
    await ok(d, ['rm', '-f', id]);
  });

  test('attach: output without a trailing newline reaches the client while the container runs', async () => {
    const id = (await ok(d, ['run', '-d', '-i', 'busybox', 'sh', '-c', 'while read l; do printf "got:%s" "$l"; done'])).stdout.trim();
    const a = spawnIsula(d, ['attach', id]);
    await until('the partial line', async () => {
      a.child.stdin.write('x\n');
      await new Promise((r) => setTimeout(r, 300));
      return a.out().includes('got:x');
    });
    a.child.stdin.write('\x01q');
    await a.done;
    await ok(d, ['rm', '-f', id]);
  });

  test('attach --sig-proxy (default): a signal to the client is sent to the container', async () => {
    const id = (await ok(d, ['run', '-d', 'busybox', 'sh', '-c', 'trap "echo trapped; exit 7" TERM; while :; do echo tick; sleep 0.2; done'])).stdout.trim();
    const a = spawnIsula(d, ['attach', id]);
    await until('attached', async () => a.out().includes('tick'));
    a.child.kill('SIGTERM');
    assert.equal(await a.done, 7, a.out());
    assert.match(a.out(), /trapped/);
    assert.equal(await inspectField(d, id, '{{.State.ExitCode}}'), '7');
    await ok(d, ['rm', '-f', id]);
  });
});
