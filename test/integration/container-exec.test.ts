// isula exec / attach / top end to end (issue 5): the real CLI against a real isulad on real LXC
// with the embedded busybox image. What the exec'd process sees is read from inside it.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { constants, existsSync, mkdirSync, readFileSync, readlinkSync, renameSync, writeFileSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { binaryFor, type Daemon } from '../helpers/daemon.ts';
import { canRun, inspectField, ok, skipReason, until, RUNTIMES, suiteDaemon } from './container-fixture.ts';

const MARKER = 'ISULA_EXEC_TEST_HOST_MARKER';

/** A shell word for the isula CLI (for script(1), which runs a command line). */
function isulaCommandLine(d: Daemon): string {
  const b = binaryFor('isula');
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  if (b.argv0 !== undefined) {
    const link = join(dirname(b.cmd), 'isula');
    if (!existsSync(link)) throw new Error(`no isula symlink beside ${b.cmd}`);
    return `${q(link)} -H ${q(d.host)}`;
  }
  return [b.cmd, ...b.prefix, '-H', d.host].map(q).join(' ');
}

function readCmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
}

/** pid and all its descendants (from /proc/<p>/task/<p>/children). */
function processTree(pid: number): number[] {
  const out = [pid];
  for (let i = 0; i < out.length; i++) {
    const p = out[i] as number;
    try {
      for (const c of readFileSync(`/proc/${p}/task/${p}/children`, 'utf8').trim().split(/\s+/)) if (c) out.push(Number(c));
    } catch {
      /* gone */
    }
  }
  return out;
}

/**
 * The daemon's log lines about terminal sizes (it logs each Resize at debug, asked and done, and
 * a failed one with its request): whether the client sent one, and where it stopped.
 */
function resizeTrail(d: Daemon): string {
  const lines = d.log().split('\n').filter((l) => /resiz/i.test(l));
  return lines.length > 0 ? lines.slice(-12).join('\n') : '(no Resize reached the daemon)';
}

/** The isula client's terminal under script(1) `scriptPid`, found by a piece of its command line. */
function clientPty(scriptPid: number, cmd: string): string {
  const client = processTree(scriptPid).slice(1).find((p) => readCmdline(p).includes(cmd));
  assert.ok(client, `the isula client process (${cmd.trim()})`);
  return readlinkSync(`/proc/${client}/fd/1`);
}

/** Polls with a newline until the process inside has printed `size`; the failure says what came and what the daemon did. */
async function untilSize(d: Daemon, c: ChildProcessWithoutNullStreams, out: () => string, size: string): Promise<void> {
  await until(`the new size inside (${size})`, async () => {
    c.stdin.write('\n');
    await new Promise((r) => setTimeout(r, 200));
    return out().includes(size);
  }).catch((err: unknown) => {
    throw new Error(`${String(err)}; output so far: ${JSON.stringify(out().slice(-300))}\n--- the daemon on resizes ---\n${resizeTrail(d)}`);
  });
}

/** Waits for script(1) to end after its EOF; a client stuck by a failed test is killed, not waited for forever. */
async function endOrKill(c: ChildProcessWithoutNullStreams, exited: Promise<unknown>): Promise<void> {
  const t = setTimeout(() => c.kill('SIGKILL'), 30_000);
  await exited;
  clearTimeout(t);
}

/** A long-lived isula client whose stdin the test drives. */
function spawnIsula(d: Daemon, args: string[]): { child: ChildProcessWithoutNullStreams; out: () => string; done: Promise<number | null> } {
  const b = binaryFor('isula');
  const child = spawn(b.cmd, [...b.prefix, '-H', d.host, ...args], { argv0: b.argv0, stdio: ['pipe', 'pipe', 'pipe'] });
  let text = '';
  child.stdout.on('data', (x: Buffer) => (text += x.toString()));
  child.stderr.on('data', (x: Buffer) => (text += x.toString()));
  const done = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return { child, out: () => text, done };
}

for (const rt of RUNTIMES) describe(`exec, attach and top on ${rt.name}`, { skip: skipReason || rt.skip }, () => {
  let d: Daemon;
  // the marker is in the daemon's environment: no exec may see it (lxc-attach --clear-env)
  suiteDaemon((started) => (d = started), { runtime: rt.name, env: { [MARKER]: 'leaked' } });
  before(async () => {
    if (!canRun) return;
    await ok(d, ['run', '-d', '--name', 'box', '-e', 'FROMRUN=run-value', 'busybox', 'sh', '-c', 'while true; do sleep 1; done']);
  });

  test('exit codes: the command own, 126 not executable, 127 not found', async () => {
    assert.equal((await d.isula(['exec', 'box', 'true'])).code, 0);
    const three = await d.isula(['exec', 'box', 'sh', '-c', 'echo out; echo err >&2; exit 3']);
    assert.equal(three.code, 3, three.stderr);
    assert.equal(three.stdout, 'out\n');
    assert.equal(three.stderr, 'err\n');
    assert.equal((await d.isula(['exec', 'box', '/etc/passwd'])).code, 126);
    assert.equal((await d.isula(['exec', 'box', 'no-such-command'])).code, 127);
  });

  test('an exec returns when its process exits, although a background child holds the output', async () => {
    // iSulad CI runc_exec.sh: `sh -c 'sleep 999 & exit'` must not hang on the sleep's copy of the pipes
    const bg = await d.isula(['exec', 'box', 'sh', '-c', 'echo before; echo err >&2; sleep 999 & exit 3'], { timeoutMs: 60_000 });
    assert.equal(bg.code, 3, bg.stderr);
    assert.equal(bg.stdout, 'before\n');
    assert.equal(bg.stderr, 'err\n');
    const tty = await d.isula(['exec', '-t', 'box', 'sh', '-c', 'echo tty; sleep 998 & exit 4'], { timeoutMs: 60_000 });
    assert.equal(tty.code, 4, tty.stderr);
    assert.match(tty.stdout, /^tty\r?\n$/);
    // the background child goes on in the container (with -t the terminal's hang-up ends it)
    const ps = (await ok(d, ['exec', 'box', 'ps', '-o', 'args'])).stdout;
    assert.match(ps, /sleep 999/);
  });

  test('env: the container env merged with -e, nothing from the host', async () => {
    const r = await ok(d, ['exec', '-e', 'EXTRA=x y', '-e', 'FROMRUN=overridden', 'box', 'env']);
    const env = r.stdout.split('\n');
    assert.ok(env.includes('EXTRA=x y'), r.stdout);
    assert.ok(env.includes('FROMRUN=overridden'), r.stdout);
    assert.ok(env.includes('PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'), r.stdout);
    assert.ok(!r.stdout.includes(MARKER), `host env leaked: ${r.stdout}`);
    const plain = await ok(d, ['exec', 'box', 'sh', '-c', 'echo $FROMRUN']);
    assert.equal(plain.stdout, 'run-value\n');
  });

  test('-u by uid and by name, -w', async () => {
    assert.equal((await ok(d, ['exec', '-u', '1000', 'box', 'id', '-u'])).stdout, '1000\n');
    assert.equal((await ok(d, ['exec', '-u', 'nobody', 'box', 'sh', '-c', 'echo $(id -u):$(id -g)'])).stdout, '65534:65534\n');
    assert.equal((await ok(d, ['exec', '-w', '/tmp', 'box', 'pwd'])).stdout, '/tmp\n');
    assert.equal((await ok(d, ['exec', '--workdir', '/etc', 'box', 'pwd'])).stdout, '/etc\n');
    assert.equal((await ok(d, ['exec', 'box', 'pwd'])).stdout, '/\n');
    const bad = await d.isula(['exec', '-u', 'nosuchuser', 'box', 'true']);
    assert.equal(bad.code, 1, 'a refusal of the daemon: 1, as iSulad\'s exec');
    assert.match(bad.stderr, /unable to find user nosuchuser/);
  });

  test('-i pipes stdin; without -i the process reads nothing', async () => {
    const r = await d.isula(['exec', '-i', 'box', 'sh', '-c', 'cat; echo end'], { input: 'line1\nline2\n' });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'line1\nline2\nend\n');
    const n = await d.isula(['exec', 'box', 'cat'], { input: 'ignored\n' });
    assert.equal(n.code, 0, n.stderr);
    assert.equal(n.stdout, '');
  });

  test('-t without a client terminal still gives the process a pty', async () => {
    const r = await d.isula(['exec', '-t', 'box', 'tty']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^\/dev\/pts\/\d+\r?\n$/);
  });

  test('-it through a real terminal: tty inside, window size passed, exit code back', async () => {
    // script(1) gives the client a pty of a known size; the container must see that size
    const line = `stty rows 33 cols 111; exec ${isulaCommandLine(d)} exec -it box sh -c 'tty; stty size; exit 5'`;
    const r = await new Promise<{ code: number | null; out: string }>((resolve) => {
      const c = spawn('script', ['-q', '-e', '-c', line, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'] });
      let out = '';
      c.stdout.on('data', (x: Buffer) => (out += x.toString()));
      c.stderr.on('data', (x: Buffer) => (out += x.toString()));
      c.once('exit', (code) => resolve({ code, out }));
    });
    assert.equal(r.code, 5, r.out);
    assert.match(r.out, /\/dev\/pts\/\d+/);
    assert.match(r.out, /33 111/);
  });

  test('-it follows the client window: a resize reaches the process', async () => {
    const line = `stty rows 20 cols 70; exec ${isulaCommandLine(d)} exec -it box sh -c 'stty size; while read x; do stty size; done'`;
    const c = spawn('script', ['-q', '-e', '-c', line, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    c.stdout.on('data', (x: Buffer) => (out += x.toString()));
    const exited = new Promise((r) => c.once('exit', r));
    try {
      await until('the first size', async () => out.includes('20 70')).catch((err: unknown) => { throw new Error(`${String(err)}; output so far: ${JSON.stringify(out)}`); });
      // the client's terminal is script's pty: resize it from outside; the kernel sends SIGWINCH
      const client = processTree(c.pid as number).slice(1).find((p) => readCmdline(p).includes(' exec -it box '));
      assert.ok(client, 'the isula client process');
      const pty = readlinkSync(`/proc/${client}/fd/1`);
      spawnSync('stty', ['-F', pty, 'rows', '40', 'cols', '120']);
      await untilSize(d, c, () => out, '40 120');
    } finally {
      c.stdin.write('\x04'); // EOF ends the read loop, so the exec and the client end
      await exited;
    }
  });

  test('-it: a resize before the exec runs is not lost (the client sends it with the exec id, the daemon applies it once the pty is set up)', async () => {
    // The exec is held in the daemon: -u makes it read the container's /etc/passwd, here a FIFO,
    // before it starts the process. The client's window changes while it has no exec id yet
    // (it dropped that change), and the size it then sends reaches the daemon while script(1)
    // is still setting the pty up (whose own `stty rows 20 cols 70` undid it, or there was no
    // pty to find yet). The kernel sends SIGWINCH once: a lost size stays lost.
    await ok(d, ['run', '-d', '--name', 'held', 'busybox', 'sh', '-c', 'while true; do sleep 1; done']);
    await ok(d, ['exec', 'held', 'sh', '-c', 'cp /etc/passwd /etc/passwd.real && rm /etc/passwd && mkfifo /etc/passwd']);
    const root = `/proc/${await inspectField(d, 'held', '{{.State.Pid}}')}/root`;
    const line = `stty rows 20 cols 70; exec ${isulaCommandLine(d)} exec -it -u root held sh -c 'stty size; while read x; do stty size; done'`;
    const c = spawn('script', ['-q', '-e', '-c', line, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    c.stdout.on('data', (x: Buffer) => (out += x.toString()));
    const exited = new Promise((r) => c.once('exit', r));
    // the daemon gets the file's text, and runc's init (which opens it too) the file itself; a
    // reader left waiting by a failed test gets it too (else it held a daemon thread for good)
    const release = async (fifo?: FileHandle) => {
      if (!existsSync(`${root}/etc/passwd.real`)) return;
      fifo ??= await open(`${root}/etc/passwd`, constants.O_WRONLY | constants.O_NONBLOCK).catch(() => undefined);
      const text = readFileSync(`${root}/etc/passwd.real`);
      renameSync(`${root}/etc/passwd.real`, `${root}/etc/passwd`);
      await fifo?.writeFile(text);
      await fifo?.close();
    };
    try {
      // a FIFO opens for writing without blocking only once it has a reader: the daemon, holding the exec
      let fifo: FileHandle | undefined;
      await until('the daemon to wait on the container\'s /etc/passwd', async () => {
        fifo = await open(`${root}/etc/passwd`, constants.O_WRONLY | constants.O_NONBLOCK).catch(() => undefined);
        return fifo !== undefined;
      });
      spawnSync('stty', ['-F', clientPty(c.pid as number, ' exec -it -u root held '), 'rows', '40', 'cols', '120']);
      // time for the client to take the SIGWINCH while the exec is held (a chance for the old
      // loss, not an assertion: taken later, the change is simply the first size)
      await new Promise((r) => setTimeout(r, 500));
      await release(fifo);
      await untilSize(d, c, () => out, '40 120');
    } finally {
      await release();
      c.stdin.write('\x04');
      await endOrKill(c, exited);
      await ok(d, ['rm', '-f', 'held']);
    }
  });

  test('a client that goes away closes the exec stdio: a process still writing ends', async () => {
    const c = spawnIsula(d, ['exec', 'box', 'sh', '-c', 'while true; do echo tick-exec; sleep 0.2; done']);
    await until('the exec to write', async () => c.out().includes('tick-exec'));
    assert.ok((await ok(d, ['top', 'box'])).stdout.includes('tick-exec'));
    c.child.kill('SIGINT');
    await c.done;
    await until('the writer to end (EPIPE)', async () => !(await ok(d, ['top', 'box'])).stdout.includes('tick-exec'));
  });

  test('-d runs in the background', async () => {
    assert.equal((await ok(d, ['exec', '-d', 'box', 'sh', '-c', 'echo bg > /tmp/bg-done'])).stdout, '');
    await until('detached exec to write its file', async () => (await d.isula(['exec', 'box', 'cat', '/tmp/bg-done'])).stdout === 'bg\n');
  });

  test('exec events: exec_create, exec_start, exec_die', async () => {
    const since = String(Math.floor(Date.now() / 1000) - 1);
    await d.isula(['exec', 'box', 'sh', '-c', 'exit 4']);
    const ev = await ok(d, ['events', '--since', since, '--until', String(Math.floor(Date.now() / 1000) + 1)]);
    assert.match(ev.stdout, /exec_create: sh -c exit 4/);
    assert.match(ev.stdout, /exec_start: sh -c exit 4/);
    assert.match(ev.stdout, /exec_die.*exitCode=4/);
  });

  test('exec into a paused or stopped container is refused', async () => {
    await ok(d, ['run', '-d', '--name', 'frozen', 'busybox', 'sleep', '1000']);
    await ok(d, ['pause', 'frozen']);
    const p = await d.isula(['exec', 'frozen', 'true']);
    assert.equal(p.code, 1);
    assert.match(p.stderr, /is paused, unpause the container before exec/);
    await ok(d, ['unpause', 'frozen']);
    await ok(d, ['stop', '-t', '0', 'frozen']);
    const s = await d.isula(['exec', 'frozen', 'true']);
    assert.equal(s.code, 1);
    // iSulad's exec: 125 only for its own argument checks
    assert.equal((await d.isula(['exec', 'no-such-container', 'true'])).code, 1);
    assert.equal((await d.isula(['exec', '--no-such-flag', 'frozen', 'true'])).code, 125);
    assert.equal((await d.isula(['exec'])).code, 125);
    assert.match(s.stderr, /is not running/);
    const a = await d.isula(['attach', 'frozen']);
    assert.notEqual(a.code, 0);
    assert.match(a.stderr, /You cannot attach to a stopped container, start it first/);
    await ok(d, ['rm', 'frozen']);
  });

  test('attach: two clients see the output, Ctrl-A q detaches and the container keeps running', async () => {
    await ok(d, ['run', '-d', '-i', '--name', 'talk', 'busybox', 'sh', '-c', 'while read l; do echo got:$l; done']);
    const a = spawnIsula(d, ['attach', 'talk']);
    const b = spawnIsula(d, ['attach', 'talk']);
    // attach is live once input written through one client comes back to both
    await until('both clients attached', async () => {
      a.child.stdin.write('ping\n');
      await new Promise((r) => setTimeout(r, 300));
      return a.out().includes('got:ping') && b.out().includes('got:ping');
    });
    a.child.stdin.write('hello\n');
    await until('output on both clients', async () => a.out().includes('got:hello') && b.out().includes('got:hello'));
    a.child.stdin.write('\x01q');
    assert.equal(await a.done, 0, a.out());
    // b is still attached and the container still runs
    b.child.stdin.write('after\n');
    await until('output after a detach', async () => b.out().includes('got:after'));
    assert.ok(!a.out().includes('got:after'));
    b.child.stdin.write('\x10\x11'); // not b's detach keys (default ctrl-a,q): forwarded, harmless
    b.child.stdin.write('\x01q');
    assert.equal(await b.done, 0, b.out());
    assert.equal(await inspectField(d, 'talk', '{{.State.Status}}'), 'running');
    // docker's --detach-keys
    const c = spawnIsula(d, ['attach', '--detach-keys', 'ctrl-p,ctrl-q', 'talk']);
    await until('third client attached', async () => {
      c.child.stdin.write('again\n');
      await new Promise((r) => setTimeout(r, 300));
      return c.out().includes('got:again');
    });
    c.child.stdin.write('\x10\x11');
    assert.equal(await c.done, 0, c.out());
    assert.equal(await inspectField(d, 'talk', '{{.State.Status}}'), 'running');
    await ok(d, ['rm', '-f', 'talk']);
  });

  test('run -it through a real terminal: typed input reaches the container, its output comes back', async () => {
    const line = `exec ${isulaCommandLine(d)} run --rm -it busybox sh -c 'read x; echo got:$x; exit 6'`;
    const c = spawn('script', ['-q', '-e', '-c', line, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    c.stdout.on('data', (x: Buffer) => (out += x.toString()));
    const exited = new Promise<number | null>((r) => c.once('exit', r));
    await until('the container to run', async () => (await ok(d, ['ps', '-q'])).stdout.trim().split('\n').filter(Boolean).length > 1);
    c.stdin.write('hello\r');
    const code = await Promise.race([exited, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 60_000))]);
    if (code === 'timeout') c.kill('SIGKILL');
    assert.equal(code, 6, out);
    assert.match(out, /got:hello/);
  });

  test('run -it: a resize before the container runs is not lost (sent once it runs with its first size)', { skip: rt.ttyStdin ? false : `${rt.name}: stdin of a -t container needs conmon's attach socket (docs/oci-runtimes.md)` }, async () => {
    // The start is held by a prestart hook, so the client's window changes while the container is
    // not running: a Resize then failed ("not running"), and the start applied the first size.
    const dir = join(d.dir, `held-start-${rt.name}`);
    mkdirSync(dir);
    const hooks = join(dir, 'hooks.json');
    const wait = `touch ${dir}/waiting; while [ ! -e ${dir}/go ]; do sleep 0.1; done`;
    writeFileSync(hooks, JSON.stringify({ prestart: [{ path: '/bin/sh', args: ['sh', '-c', wait], timeout: 120 }] }));
    const line = `stty rows 20 cols 70; exec ${isulaCommandLine(d)} run --rm -it --hook-spec ${hooks} busybox sh -c 'stty size; while read x; do stty size; done'`;
    const c = spawn('script', ['-q', '-e', '-c', line, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    c.stdout.on('data', (x: Buffer) => (out += x.toString()));
    const exited = new Promise((r) => c.once('exit', r));
    try {
      await until('the prestart hook to hold the start', async () => existsSync(join(dir, 'waiting')));
      spawnSync('stty', ['-F', clientPty(c.pid as number, ' run --rm -it '), 'rows', '40', 'cols', '120']);
      // time for the client to take the SIGWINCH while the start is held (as in the exec case)
      await new Promise((r) => setTimeout(r, 500));
      writeFileSync(join(dir, 'go'), '');
      await untilSize(d, c, () => out, '40 120');
    } finally {
      writeFileSync(join(dir, 'go'), '');
      c.stdin.write('\x04'); // EOF ends the read loop: the container exits, --rm removes it
      await endOrKill(c, exited);
    }
  });

  test('attach to a -it container through a real terminal: keys reach it, its size is ours', { skip: rt.ttyStdin ? false : `${rt.name}: stdin of a -t container needs conmon's attach socket (docs/oci-runtimes.md)` }, async () => {
    await ok(d, ['run', '-d', '-i', '-t', '--name', 'term', 'busybox', 'sh']);
    const line = `stty rows 25 cols 90; exec ${isulaCommandLine(d)} attach term`;
    const c = spawn('script', ['-q', '-e', '-c', line, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    c.stdout.on('data', (x: Buffer) => (out += x.toString()));
    const exited = new Promise<number | null>((r) => c.once('exit', r));
    await until('the size to reach the container', async () => {
      c.stdin.write('echo "size=$(stty size)"\r');
      await new Promise((r) => setTimeout(r, 300));
      return out.includes('size=25 90');
    });
    c.stdin.write('\x01q');
    assert.equal(await exited, 0, out);
    assert.equal(await inspectField(d, 'term', '{{.State.Status}}'), 'running');
    await ok(d, ['rm', '-f', 'term']);
  });

  test('top lists the container processes only', async () => {
    await ok(d, ['exec', '-d', 'box', 'sleep', '4242']);
    await until('the exec sleep to run', async () => (await ok(d, ['top', 'box'])).stdout.includes('sleep 4242'));
    const r = await ok(d, ['top', 'box']);
    const lines = r.stdout.trim().split('\n');
    assert.match(lines[0] ?? '', /^UID\s+PID\s+PPID\s+C\s+STIME\s+TTY\s+TIME\s+CMD$/);
    assert.ok(lines.some((l) => l.includes('while true; do sleep 1; done')), r.stdout);
    // nothing of the host: not the daemon, not this test
    assert.ok(!lines.some((l) => l.split(/\s+/)[1] === String(d.pid) || l.split(/\s+/)[1] === String(process.pid)), r.stdout);
    const custom = await ok(d, ['top', 'box', '-o', 'pid,comm']);
    const cl = custom.stdout.trim().split('\n');
    assert.match(cl[0] ?? '', /^\s*PID\s+COMMAND$/);
    assert.ok(cl.slice(1).every((l) => /^\s*\d+\s+(sh|sleep)$/.test(l)), custom.stdout);
    const stopped = await d.isula(['top', 'nosuch']);
    assert.notEqual(stopped.code, 0);
  });
});
