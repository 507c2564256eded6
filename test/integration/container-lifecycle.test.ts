// Containers end to end: the real isula CLI against a real isulad with the embedded busybox
// image, once per runtime of RUNTIMES (lcr on real LXC, runc through conmon: one suite, not two). What the container sees is read from inside it (its output), not only from the
// engine's own report. Every suite ends by removing its containers and checking nothing is left.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Daemon } from '../helpers/daemon.ts';
import { inspectField, ok, RUNTIMES, skipReason, until, suiteDaemon } from './container-fixture.ts';

for (const rt of RUNTIMES) describe(`containers on ${rt.name}`, { skip: skipReason || rt.skip }, () => {
  let d: Daemon;
  suiteDaemon((started) => (d = started), { runtime: rt.name });

  test('run --rm streams output and exits with the container code; nothing is left', async () => {
    const r = await d.isula(['run', '--rm', 'busybox', 'sh', '-c', 'echo to-out; echo to-err >&2; exit 7'], { timeoutMs: 120_000 });
    assert.equal(r.code, 7, r.stderr);
    assert.equal(r.stdout, 'to-out\n');
    assert.equal(r.stderr, 'to-err\n');
    const ps = await ok(d, ['ps', '-a', '-q']);
    assert.equal(ps.stdout, '', 'the --rm container is gone once run returns');
    const hi = await d.isula(['run', '--rm', 'busybox', 'echo', 'hi'], { timeoutMs: 120_000 });
    assert.equal(hi.code, 0, hi.stderr);
    assert.equal(hi.stdout, 'hi\n');
  });

  test('create flags reach the container: env, workdir, user, hostname, labels', async () => {
    const r = await d.isula(
      ['run', '--rm', '-e', 'FOO=bar', '-w', '/tmp', '-u', '1000:1000', '-h', 'box1', '--label', 'tier=db', 'busybox', 'sh', '-c', 'echo $FOO $(pwd) $(id -u):$(id -g) $(hostname)'],
      { timeoutMs: 120_000 },
    );
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'bar /tmp 1000:1000 box1\n');
  });

  test('run -d, ps, logs, stop, rm', async () => {
    const id = (await ok(d, ['run', '-d', '--name', 'web', 'busybox', 'sh', '-c', 'echo started; trap "echo bye; exit 0" TERM; while true; do sleep 0.1; done'])).stdout.trim();
    assert.match(id, /^[0-9a-f]{64}$/);
    const ps = await ok(d, ['ps']);
    const lines = ps.stdout.trim().split('\n');
    assert.match(lines[0] ?? '', /^CONTAINER ID\s+IMAGE\s+COMMAND\s+CREATED\s+STATUS\s+PORTS\s+NAMES$/);
    const row = lines.find((l) => l.startsWith(id.slice(0, 12)));
    assert.ok(row, ps.stdout);
    assert.match(row, /\sUp .*\sweb$/);
    assert.match(row, /\sbusybox\s/);
    await until('first log line', async () => (await ok(d, ['logs', 'web'])).stdout.includes('started'));
    // logs -f follows until the container stops, then ends by itself
    const following = d.isula(['logs', '-f', 'web'], { timeoutMs: 60_000 });
    await new Promise((r) => setTimeout(r, 500));
    const stopped = await ok(d, ['stop', 'web']);
    const followed = await following;
    assert.equal(followed.code, 0, followed.stderr);
    assert.equal(followed.stdout, 'started\nbye\n');
    assert.equal(stopped.stdout, 'web\n');
    assert.equal(await inspectField(d, 'web', '{{.State.Status}}'), 'exited');
    assert.equal(await inspectField(d, 'web', '{{.State.ExitCode}}'), '0', 'the TERM trap ran: a clean exit, not SIGKILL');
    const logs = await ok(d, ['logs', '-t', 'web']);
    assert.match(logs.stdout, /^\d{4}-\d{2}-\d{2}T\S+ started\n\S+ bye\n$/);
    assert.equal((await ok(d, ['logs', '--tail', '1', 'web'])).stdout, 'bye\n');
    const psa = await ok(d, ['ps', '-a', '--format', '{{.Names}} {{.Status}}']);
    assert.match(psa.stdout, /^web Exited \(0\) .* ago$/m);
    assert.equal((await ok(d, ['rm', 'web'])).stdout, 'web\n');
    const gone = await d.isula(['inspect', 'web']);
    assert.notEqual(gone.code, 0);
  });

  test('create → inspect shows inited → start → running, with pid and times', async () => {
    const id = (await ok(d, ['create', '--name', 'c1', 'busybox', 'sleep', '1000'])).stdout.trim();
    assert.equal(await inspectField(d, 'c1', '{{.State.Status}}'), 'inited');
    assert.equal(await inspectField(d, 'c1', '{{.State.StartedAt}}'), '0001-01-01T00:00:00Z');
    const psa = await ok(d, ['ps', '-a', '-f', 'name=c1', '--format', '{{.Status}}']);
    assert.equal(psa.stdout, 'Created\n');
    const full = JSON.parse((await ok(d, ['inspect', 'c1'])).stdout) as Array<Record<string, any>>;
    assert.equal(full.length, 1);
    assert.equal(full[0]?.['Id'], id);
    assert.deepEqual(full[0]?.['Config']['Cmd'], ['sleep', '1000']);
    assert.equal(full[0]?.['GraphDriver']['Name'], 'overlay2');
    assert.equal(full[0]?.['HostConfig']['Runtime'], rt.name, 'the daemon default-runtime picked the runtime');
    assert.equal((await ok(d, ['start', 'c1'])).stdout, 'Container "c1" started\n');
    assert.equal(await inspectField(d, 'c1', '{{.State.Status}}'), 'running');
    const pid = Number(await inspectField(d, 'c1', '{{.State.Pid}}'));
    assert.ok(pid > 1);
    // the pid is a real process running sleep
    const { readFileSync } = await import('node:fs');
    assert.match(readFileSync(`/proc/${pid}/cmdline`, 'utf8'), /^sleep\x001000/);
    await ok(d, ['rm', '-f', 'c1']);
    // a name that is no container is tried as an image
    assert.match(await inspectField(d, 'busybox', '{{.image.id}}'), /^[0-9a-f]{64}$/);
    const none = await d.isula(['inspect', 'neither-container-nor-image']);
    assert.notEqual(none.code, 0);
    assert.match(none.stderr, /No such image or container: neither-container-nor-image/);
  });

  test('pause and unpause freeze the container; start of a paused one is refused', async () => {
    await ok(d, ['run', '-d', '--name', 'ticker', 'busybox', 'sh', '-c', 'i=0; while true; do i=$((i+1)); echo $i; sleep 0.05; done']);
    await until('ticks', async () => (await ok(d, ['logs', 'ticker'])).stdout.split('\n').length > 3);
    assert.equal((await ok(d, ['pause', 'ticker'])).stdout, 'ticker\n');
    assert.equal(await inspectField(d, 'ticker', '{{.State.Status}}'), 'paused');
    assert.match((await ok(d, ['ps', '--format', '{{.Names}} {{.Status}}'])).stdout, /^ticker Up .* \(Paused\)$/m);
    const frozen = (await ok(d, ['logs', 'ticker'])).stdout;
    await new Promise((r) => setTimeout(r, 500));
    assert.equal((await ok(d, ['logs', 'ticker'])).stdout, frozen, 'no output while paused');
    // iSulad's start: 1 for a container it could not start; start -a: 125 (as run)
    const start = await d.isula(['start', 'ticker']);
    assert.equal(start.code, 1);
    assert.equal(start.stderr, 'Error response from daemon: Cannot start a paused container, try unpause instead.\n');
    const startA = await d.isula(['start', '-a', 'ticker']);
    assert.equal(startA.code, 125, startA.stderr);
    assert.match(startA.stderr, /Cannot start a paused container/);
    const rm = await d.isula(['rm', 'ticker']);
    assert.equal(rm.code, 1);
    assert.match(rm.stderr, /^Error response from daemon: You cannot remove a paused container [0-9a-f]{64}\. Unpause and then stop the container before attempting removal or force remove\n$/);
    assert.equal((await ok(d, ['unpause', 'ticker'])).stdout, 'ticker\n');
    await until('ticks after unpause', async () => (await ok(d, ['logs', 'ticker'])).stdout.length > frozen.length);
    await ok(d, ['rm', '-f', 'ticker']);
  });

  test('a command that cannot be run: run and start -a exit 127 (iSulad reads the daemon\'s message), start 1', async () => {
    const run = await d.isula(['run', '--name', 'nocmd', 'busybox', '/no/such/command']);
    assert.equal(run.code, 127, run.stderr);
    const start = await d.isula(['start', 'nocmd']);
    assert.equal(start.code, 1, start.stderr);
    assert.notEqual(start.stderr, '');
    const startA = await d.isula(['start', '-a', 'nocmd']);
    assert.equal(startA.code, 127, startA.stderr);
    await ok(d, ['rm', '-f', 'nocmd']);
  });

  test('kill -s delivers the signal; kill without -s ends the container with 137', async () => {
    await ok(d, ['run', '-d', '--name', 'trapper', 'busybox', 'sh', '-c', 'trap "echo got-usr1" USR1; echo ready; while true; do sleep 0.1; done']);
    await until('ready', async () => (await ok(d, ['logs', 'trapper'])).stdout.includes('ready'));
    assert.equal((await ok(d, ['kill', '-s', 'USR1', 'trapper'])).stdout, 'trapper\n');
    await until('trap output', async () => (await ok(d, ['logs', 'trapper'])).stdout.includes('got-usr1'));
    assert.equal(await inspectField(d, 'trapper', '{{.State.Running}}'), 'true');
    await ok(d, ['kill', 'trapper']);
    const w = await d.isula(['wait', 'trapper'], { timeoutMs: 60_000 });
    assert.equal(w.stdout, '137\n');
    assert.equal(w.code, 0, 'iSulad: wait prints the code and succeeds');
    const bad = await d.isula(['kill', '-s', 'NOPE', 'trapper']);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /Invalid signal: NOPE/);
    await ok(d, ['rm', 'trapper']);
  });

  test('restart policy on-failure:2 restarts twice, then stays exited', async () => {
    await ok(d, ['run', '-d', '--name', 'flaky', '--restart', 'on-failure:2', 'busybox', 'sh', '-c', 'echo run; exit 1']);
    await until('the policy to give up', async () => {
      const s = await inspectField(d, 'flaky', '{{.State.Status}} {{.RestartCount}}');
      return s === 'exited 2';
    });
    await new Promise((r) => setTimeout(r, 1000)); // a third restart (200 ms back-off) would show by now
    assert.equal(await inspectField(d, 'flaky', '{{.State.Status}} {{.RestartCount}} {{.State.ExitCode}}'), 'exited 2 1');
    const runs = (await ok(d, ['logs', 'flaky'])).stdout.split('\n').filter((l) => l === 'run').length;
    assert.equal(runs, 3, 'the container itself ran three times');
    await ok(d, ['rm', 'flaky']);
  });

  test('restart restarts a running container; rename keeps the id', async () => {
    const id = (await ok(d, ['run', '-d', '--name', 'rs', 'busybox', 'sleep', '1000'])).stdout.trim();
    const pid1 = await inspectField(d, 'rs', '{{.State.Pid}}');
    assert.equal((await ok(d, ['restart', '-t', '0', 'rs'])).stdout, 'rs\n');
    const pid2 = await inspectField(d, 'rs', '{{.State.Pid}}');
    assert.notEqual(pid1, pid2);
    assert.equal(await inspectField(d, 'rs', '{{.State.Status}}'), 'running');
    await ok(d, ['rename', 'rs', 'rs2']);
    assert.equal(await inspectField(d, 'rs2', '{{.Id}}'), id);
    await ok(d, ['rm', '-f', 'rs2']);
  });

  test("iSulad's messages and exit codes for bad input", async () => {
    await ok(d, ['create', '--name', 'dup', 'busybox', 'true']);
    const id = await inspectField(d, 'dup', '{{.Id}}');
    const conflict = await d.isula(['create', '--name', 'dup', 'busybox', 'true']);
    assert.equal(conflict.code, 1, 'iSulad\'s create: 1 for any failed create (run: 125)');
    assert.equal(
      conflict.stderr,
      `Error response from daemon: Conflict. The name "dup" is already in use by container ${id}. You have to remove (or rename) that container to be able to reuse that name.\n`,
    );
    const noImage = await d.isula(['run', '--rm', 'no-such-image:1', 'true']);
    assert.equal(noImage.code, 125);
    // not local: the daemon tries to pull it (no registry configured here), and says why it failed
    assert.match(noImage.stderr, /^Error response from daemon: No such image: no-such-image:1(: pull failed: .+)?\n$/);
    const never = await d.isula(['run', '--rm', '--pull', 'never', 'no-such-image:1', 'true']);
    assert.equal(never.code, 125);
    assert.equal(never.stderr, 'Error response from daemon: No such image: no-such-image:1\n');
    await ok(d, ['run', '-d', '--name', 'busy', 'busybox', 'sleep', '1000']);
    const busyId = await inspectField(d, 'busy', '{{.Id}}');
    const rm = await d.isula(['rm', 'busy']);
    assert.equal(rm.code, 1);
    assert.equal(rm.stderr, `Error response from daemon: You cannot remove a running container ${busyId}. Stop the container before attempting removal or force remove\n`);
    const badFlag = await d.isula(['run', '--restart', 'sometimes', 'busybox', 'true']);
    assert.equal(badFlag.code, 125);
    assert.match(badFlag.stderr, /invalid restart policy 'sometimes'/);
    const missing = await d.isula(['stop', 'nobody-here']);
    assert.equal(missing.code, 1);
    assert.equal(missing.stderr, 'Error response from daemon: No such container: nobody-here\n');
    await ok(d, ['rm', '-f', 'busy', 'dup']);
  });

  test('events: create/start/die with exitCode, replayed with --since', async () => {
    const since = new Date(Date.now() - 1000).toISOString();
    const r = await d.isula(['run', '--rm', '--name', 'ev', 'busybox', 'sh', '-c', 'exit 4'], { timeoutMs: 120_000 });
    assert.equal(r.code, 4);
    const ev = await ok(d, ['events', '-S', since, '-U', new Date(Date.now() + 500).toISOString(), '-n', 'ev']);
    const actions = ev.stdout.trim().split('\n').map((l) => l.split(' ').slice(1, 3).join(' '));
    assert.deepEqual(actions, ['container create', 'container start', 'container die', 'container destroy']);
    assert.match(ev.stdout, /container die [0-9a-f]{64} \(image=busybox, name=ev, exitCode=4\)/);
  });

  test('events streams live events until --until', async () => {
    // -S now as well: if the CLI subscribes late on a busy machine, the ring replays what it
    // missed, so the test does not depend on start-up speed; the stream must stay open until -U
    const since = new Date(Date.now() - 100).toISOString();
    const until = new Date(Date.now() + 8000).toISOString();
    const live = d.isula(['events', '-S', since, '-U', until], { timeoutMs: 60_000 });
    await new Promise((r) => setTimeout(r, 1500));
    const r = await d.isula(['run', '--rm', '--name', 'live1', 'busybox', 'true'], { timeoutMs: 60_000 });
    assert.equal(r.code, 0, r.stderr);
    const ev = await live;
    assert.equal(ev.code, 0, ev.stderr);
    const mine = ev.stdout.split('\n').filter((l) => l.includes('name=live1'));
    assert.deepEqual(mine.map((l) => l.split(' ')[2]), ['create', 'start', 'die', 'destroy']);
    assert.match(mine[1] ?? '', /^\S+ container start [0-9a-f]{64} \(image=busybox, name=live1, pid=\d+\)$/);
  });

  test('-i forwards stdin to the container', async () => {
    const r = await d.isula(['run', '--rm', '-i', 'busybox', 'sh', '-c', 'read line; echo got:$line'], { input: 'hello\n', timeoutMs: 120_000 });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'got:hello\n');
  });

  test('-t gives the container a terminal (its output comes back with the tty line endings)', async () => {
    const r = await d.isula(['run', '--rm', '-t', 'busybox', 'sh', '-c', 'tty; echo hi; exit 4'], { timeoutMs: 120_000 });
    assert.equal(r.code, 4, r.stderr);
    // the console pty lives in the container's devpts (lxc.pty.max), so tty names it as docker does
    assert.equal(r.stdout, '/dev/pts/0\r\nhi\r\n');
  });

  test('logs read across rotated files (--log-opt max-size/max-file), --tail spans them', async () => {
    await ok(d, ['run', '-d', '--name', 'chatty', '--log-opt', 'max-size=1k', '--log-opt', 'max-file=3', 'busybox', 'sh', '-c', 'i=1; while [ $i -le 300 ]; do echo line-$i; i=$((i+1)); done']);
    await until('chatty to end', async () => (await inspectField(d, 'chatty', '{{.State.Status}}')) === 'exited');
    const lines = (await ok(d, ['logs', 'chatty'])).stdout.trim().split('\n');
    const nums = lines.map((l) => Number(l.replace('line-', '')));
    assert.equal(nums[nums.length - 1], 300, 'the last line is there');
    assert.ok(nums.length < 300 && nums.length > 20, `rotation dropped the oldest lines only (${nums.length} kept)`);
    nums.forEach((n, i) => assert.equal(n, (nums[0] as number) + i, 'lines are consecutive across the rotated files'));
    const logPath = await inspectField(d, 'chatty', '{{.LogPath}}');
    const { existsSync, statSync } = await import('node:fs');
    assert.ok(existsSync(`${logPath}.1`), 'the log was rotated');
    assert.ok(existsSync(`${logPath}.2`) && !existsSync(`${logPath}.3`), 'max-file=3 keeps the live file and two rotated ones');
    // lcr's two copiers may overshoot by max-size/32 plus one record; conmon's copier cuts at a line
    for (const p of [logPath, `${logPath}.1`, `${logPath}.2`]) assert.ok(statSync(p).size <= 1024 + 32 + 200, `${p}: ${statSync(p).size} bytes`);
    assert.equal((await ok(d, ['logs', '--tail', '5', 'chatty'])).stdout, 'line-296\nline-297\nline-298\nline-299\nline-300\n');
    await ok(d, ['rm', 'chatty']);
  });

  test('--pid container:<name> and --net host share namespaces (seen from inside)', async () => {
    await ok(d, ['run', '-d', '--name', 'nsowner', 'busybox', 'sleep', '1000']);
    const ps = await ok(d, ['run', '--rm', '--pid', 'container:nsowner', 'busybox', 'ps', '-o', 'args']);
    assert.match(ps.stdout, /^sleep 1000$/m, 'the owner\'s process is visible in the shared pid namespace');
    const { hostname } = await import('node:os');
    const { readlinkSync } = await import('node:fs');
    const host = await ok(d, ['run', '--rm', '--net', 'host', 'busybox', 'sh', '-c', 'hostname; readlink /proc/self/ns/net']);
    const [h, ns] = host.stdout.trim().split('\n');
    assert.equal(h, hostname());
    assert.equal(ns, readlinkSync('/proc/self/ns/net'));
    const none = await ok(d, ['run', '--rm', '--net', 'none', 'busybox', 'readlink', '/proc/self/ns/net']);
    assert.notEqual(none.stdout.trim(), readlinkSync('/proc/self/ns/net'));
    await ok(d, ['rm', '-f', 'nsowner']);
  });

  test('resource flags reach the cgroup (read from inside): -m, --pids-limit, --read-only, --tmpfs', async () => {
    const r = await ok(d, ['run', '--rm', '-m', '64m', '--pids-limit', '20', '--read-only', '--tmpfs', '/scratch', 'busybox', 'sh', '-c',
      'cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/pids/pids.max; touch /x 2>/dev/null && echo rootfs-rw || echo rootfs-ro; touch /scratch/y && echo tmpfs-rw']);
    assert.equal(r.stdout, `${64 * 1024 * 1024}\n20\nrootfs-ro\ntmpfs-rw\n`);
  });

  test('start -a streams the output of a created container and exits with its code', async () => {
    await ok(d, ['create', '--name', 'sa', 'busybox', 'sh', '-c', 'echo attached; exit 9']);
    const r = await d.isula(['start', '-a', 'sa'], { timeoutMs: 120_000 });
    assert.equal(r.code, 9, r.stderr);
    assert.equal(r.stdout, 'attached\n');
    const w = await d.isula(['wait', 'sa']);
    assert.equal(w.stdout, '9\n');
    await ok(d, ['rm', 'sa']);
  });
});
