// iSulad CI, container_cases: create.sh, run.sh, start.sh, stop.sh, kill.sh, rm.sh, pause.sh,
// resume.sh, restart.sh, ps.sh, rename.sh, stop_signal.sh, share_ns_test.sh (and the
// `isula wait` its scripts rely on), re-expressed against our CLI on one real daemon (lcr).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Daemon } from '../helpers/daemon.ts';
import { cgroupFile, fails, inspectField, ok, skipReason, state, until, suiteDaemon } from './compat-fixture.ts';

describe('iSulad CI container_cases: lifecycle', { skip: skipReason }, () => {
  let d: Daemon;
  suiteDaemon((started) => (d = started), { runtime: 'lcr' });

  test('create.sh: run -itd, rm -f, resources in the cgroup, labels, DNS options in resolv.conf', async () => {
    await ok(d, ['run', '-itd', '--name', 'test_create', 'busybox']);
    assert.equal(await state(d, 'test_create'), 'running');
    await ok(d, ['rm', '-f', 'test_create']);
    await fails(d, ['inspect', 'test_create']);
    const id = (await ok(d, ['run', '-itd', '--name', 'test_create', '--cpu-shares', '1024', '--cpu-quota', '50000', '--cpuset-cpus', '0', '--memory', '1000000000', '--label', 'iSulad=lcrd', 'busybox'])).stdout.trim();
    assert.equal(cgroupFile(d, 'cpu', id, 'cpu.shares'), '1024');
    assert.equal(cgroupFile(d, 'cpu', id, 'cpu.cfs_quota_us'), '50000');
    assert.equal(cgroupFile(d, 'cpuset', id, 'cpuset.cpus'), '0');
    // the kernel rounds the limit down to whole pages
    assert.equal(Number(cgroupFile(d, 'memory', id, 'memory.limit_in_bytes')), Math.floor(1000000000 / 4096) * 4096);
    const labels = await inspectField(d, id, '{{.Config.Labels}}');
    assert.match(labels, /iSulad/);
    assert.match(labels, /lcrd/);
    await ok(d, ['rm', '-f', 'test_create']);
    const dns = (await ok(d, ['run', '-itd', '--name', 'test_create', '--dns', '8.8.8.8', '--dns-opt', 'debug', '--dns-search', 'example.com', 'busybox'])).stdout.trim();
    const resolv = (await ok(d, ['exec', dns, 'cat', '/etc/resolv.conf'])).stdout;
    assert.match(resolv, /^nameserver 8\.8\.8\.8$/m);
    assert.match(resolv, /^search .*example\.com/m);
    assert.match(resolv, /^options .*debug/m);
    await ok(d, ['rm', '-f', 'test_create']);
  });

  test('run.sh: default hostname is the short id, user and env, shared and private namespaces', async () => {
    const tid = (await ok(d, ['run', '-tid', '--name', 'hostname', 'busybox'])).stdout.trim();
    assert.equal((await ok(d, ['exec', tid, 'hostname'])).stdout.trim(), tid.slice(0, 12));
    assert.match((await ok(d, ['exec', 'hostname', 'env'])).stdout, new RegExp(`^HOSTNAME=${tid.slice(0, 12)}$`, 'm'));
    await ok(d, ['stop', '-t', '0', tid]);
    assert.equal(await state(d, tid), 'exited');
    await ok(d, ['rm', tid]);

    await ok(d, ['run', '--name', 'test_basic_run', '-td', '-v', '/dev/shm:/dev/shm', 'busybox']);
    assert.equal(await state(d, 'test_basic_run'), 'running');
    await ok(d, ['stop', '-t', '0', 'test_basic_run']);
    assert.equal(await state(d, 'test_basic_run'), 'exited');
    await ok(d, ['rm', 'test_basic_run']);

    const envFile = join(d.dir, 'test_run_env');
    writeFileSync(envFile, 'AA\nFROMFILE=1\n');
    await ok(d, ['run', '--name', 'test_basic_run', '-itd', '--user', '100:100', '-e', 'AAA=BB', '-e', 'BAA', '--env-file', envFile, 'busybox']);
    assert.equal((await ok(d, ['exec', 'test_basic_run', 'sh', '-c', 'echo $(id -u):$(id -g) $AAA $FROMFILE'])).stdout, '100:100 BB 1\n');
    await ok(d, ['rm', '-f', 'test_basic_run']);

    // the host's namespaces: the container sees the host's hostname and pid 1
    await ok(d, ['run', '--name', 'test_basic_run', '-itd', '--net=host', '--pid=host', '--ipc=host', '--uts=host', 'busybox']);
    assert.equal((await ok(d, ['exec', 'test_basic_run', 'hostname'])).stdout.trim(), readFileSync('/proc/sys/kernel/hostname', 'utf8').trim());
    const pid = await inspectField(d, 'test_basic_run', '{{.State.Pid}}');
    assert.equal(readlinkNs(Number(pid), 'pid'), readlinkNs(process.pid, 'pid'));
    assert.equal(readlinkNs(Number(pid), 'net'), readlinkNs(process.pid, 'net'));
    await ok(d, ['stop', '-t', '0', 'test_basic_run']);
    await ok(d, ['rm', 'test_basic_run']);

    // joining another container's namespaces
    await ok(d, ['run', '--name', 'container_to_join', '-itd', 'busybox']);
    await ok(d, ['run', '--name', 'test_basic_run', '-itd', '--net=container:container_to_join', '--pid=container:container_to_join', '--ipc=container:container_to_join', '--uts=container:container_to_join', 'busybox']);
    const [a, b] = [Number(await inspectField(d, 'container_to_join', '{{.State.Pid}}')), Number(await inspectField(d, 'test_basic_run', '{{.State.Pid}}'))];
    for (const ns of ['net', 'pid', 'ipc', 'uts']) assert.equal(readlinkNs(b, ns), readlinkNs(a, ns), ns);
    await ok(d, ['rm', '-f', 'test_basic_run', 'container_to_join']);
  });

  test('start.sh: create gives "inited", start/stop; start -a streams and exits with the code', async () => {
    await ok(d, ['create', '-t', '--name', 'test_start', 'busybox']);
    assert.equal(await state(d, 'test_start'), 'inited');
    await ok(d, ['start', 'test_start']);
    assert.equal(await state(d, 'test_start'), 'running');
    await ok(d, ['stop', '-t', '0', 'test_start']);
    assert.equal(await state(d, 'test_start'), 'exited');
    await ok(d, ['rm', 'test_start']);

    await ok(d, ['create', '--name', 'start_attach', 'busybox', '/bin/sh', '-c', 'echo "hello"']);
    const r = await ok(d, ['start', '-a', 'start_attach']);
    assert.equal(r.stdout, 'hello\n');
    assert.equal(await state(d, 'start_attach'), 'exited');
    await ok(d, ['rm', '-f', 'start_attach']);
    const bad = (await ok(d, ['create', 'busybox', '/bin/sh', '-c', 'ech "hello"'])).stdout.trim();
    await fails(d, ['start', '-a', bad], 127);
    await ok(d, ['rm', '-f', bad]);
    // run and start -a return the container's code (start.sh "start_exit")
    await fails(d, ['run', '--name', 'start_exit', 'busybox', '/bin/sh', '-c', 'exit 5'], 5);
    await fails(d, ['start', '-a', 'start_exit'], 5);
    await ok(d, ['rm', '-f', 'start_exit']);
  });

  test('stop.sh, kill.sh, restart.sh: stop, --force, --time, kill, restart', async () => {
    // a shell that ends on SIGTERM (busybox sh as pid 1 ignores it: each stop would wait 10 s)
    await ok(d, ['run', '--name', 'test_stop', '-td', 'busybox', 'sh', '-c', 'trap "exit 0" TERM; while :; do sleep 1; done']);
    for (const flags of [[], ['--force'], ['--time', '10'], ['--time', '10', '--force']]) {
      assert.equal(await state(d, 'test_stop'), 'running');
      assert.equal((await ok(d, ['stop', ...flags, 'test_stop'])).stdout, 'test_stop\n');
      assert.equal(await state(d, 'test_stop'), 'exited');
      await ok(d, ['start', 'test_stop']);
    }
    await ok(d, ['restart', 'test_stop']);
    assert.equal(await state(d, 'test_stop'), 'running');
    await ok(d, ['kill', 'test_stop']);
    await until('killed container exits', async () => (await state(d, 'test_stop')) === 'exited');
    assert.equal(await inspectField(d, 'test_stop', '{{.State.ExitCode}}'), '137');
    await ok(d, ['rm', 'test_stop']);
  });

  test('rm.sh: rm of a created container, refused for a running one, rm -f of a busy one', async () => {
    await ok(d, ['create', '-t', '--name', 'test_rm_stopped', 'busybox']);
    assert.equal(await state(d, 'test_rm_stopped'), 'inited');
    await ok(d, ['rm', 'test_rm_stopped']);
    await fails(d, ['inspect', 'test_rm_stopped']);

    await ok(d, ['run', '-td', '--name', 'test_rm_running', 'busybox']);
    const refused = await fails(d, ['rm', 'test_rm_running'], 1);
    assert.match(refused.stderr, /You cannot remove a running container/);
    await ok(d, ['stop', '-t', '0', 'test_rm_running']);
    await ok(d, ['rm', 'test_rm_running']);
    await fails(d, ['inspect', 'test_rm_running']);

    // a deep directory tree in the container layer does not stop rm -f
    const id = (await ok(d, ['run', '-td', '--name', 'test_rm_running_force', 'busybox'])).stdout.trim();
    await ok(d, ['exec', id, '/bin/sh', '-c', 'dir=/a; i=0; while [ $i -le 2048 ]; do mkdir $dir; dir=$dir/a; i=$((i+1)); done']);
    await ok(d, ['rm', '--force', 'test_rm_running_force']);
    await fails(d, ['inspect', 'test_rm_running_force']);
  });

  test('pause.sh, resume.sh: refused while inited; pause freezes the cgroup, unpause thaws it', async () => {
    const id = (await ok(d, ['create', '-t', '--name', 'test_pause', 'busybox'])).stdout.trim();
    await fails(d, ['pause', 'test_pause']);
    assert.equal(await state(d, 'test_pause'), 'inited');
    await fails(d, ['unpause', 'test_pause']);
    assert.equal(await state(d, 'test_pause'), 'inited');
    await ok(d, ['start', 'test_pause']);
    await ok(d, ['pause', 'test_pause']);
    assert.equal(await state(d, 'test_pause'), 'paused');
    assert.equal(cgroupFile(d, 'freezer', id, 'freezer.state'), 'FROZEN');
    await ok(d, ['unpause', 'test_pause']);
    assert.equal(await state(d, 'test_pause'), 'running');
    assert.equal(cgroupFile(d, 'freezer', id, 'freezer.state'), 'THAWED');
    await ok(d, ['pause', 'test_pause']);
    await ok(d, ['rm', '-f', 'test_pause']);
  });

  test('ps.sh: -a lists the running one first then the created ones; -l and -n N by creation', async () => {
    for (const n of ['test_list', 'test_list2', 'test_list3']) {
      await ok(d, ['create', '-t', '--name', n, 'busybox']);
      assert.equal(await state(d, n), 'inited');
    }
    await ok(d, ['start', 'test_list2']);
    const out = (await ok(d, ['ps', '-a'])).stdout.trim().split('\n');
    // other tests' containers are gone by now; only the header and this test's rows count
    const all = out.filter((l, i) => i === 0 || /test_list\d?$/.test(l));
    assert.equal(all.length, 4, out.join('\n'));
    assert.match(all[1] ?? '', /Up.*test_list2/);
    assert.match(all[2] ?? '', /Created/);
    assert.match(all[3] ?? '', /Created/);
    const latest = (await ok(d, ['ps', '-l'])).stdout.trim().split('\n');
    assert.equal(latest.length, 2);
    assert.match(latest[1] ?? '', /test_list3$/);
    const last3 = (await ok(d, ['ps', '-n', '3'])).stdout.trim().split('\n');
    assert.match(last3[1] ?? '', /test_list3$/);
    assert.match(last3[2] ?? '', /test_list2$/);
    assert.match(last3[3] ?? '', /test_list$/);
    // the State field of --format says "inited" for a never-started container, as inspect does
    const states = (await ok(d, ['ps', '-a', '--format', '{{.Names}} {{.State}}'])).stdout;
    assert.match(states, /^test_list inited$/m);
    assert.match(states, /^test_list2 running$/m);
    await ok(d, ['stop', '-t', '0', 'test_list2']);
    await ok(d, ['rm', 'test_list', 'test_list2', 'test_list3']);
  });

  test('rename.sh: argument count, same name, missing container, invalid new names (exit 1 each)', async () => {
    await ok(d, ['run', '-n', 'old_name', '-itd', 'busybox']);
    assert.match((await fails(d, ['rename'], 1)).stderr, /requires 2 arguments/);
    assert.match((await fails(d, ['rename', 'old_name', 'old_name'], 1)).stderr, /Renaming a container with the same name as its current name/);
    assert.match((await fails(d, ['rename', 'no_exist', 'no_exist1'], 1)).stderr, /No such container/);
    assert.match((await fails(d, ['rename', 'old_name', '1'], 1)).stderr, /Invalid container new name/);
    assert.match((await fails(d, ['rename', 'old_name', '123@'], 1)).stderr, /Invalid container new name/);
    await ok(d, ['run', '-n', 'taken', '-itd', 'busybox']);
    assert.match((await fails(d, ['rename', 'old_name', 'taken'], 1)).stderr, /Conflict\. The name "taken" is already in use/);
    await ok(d, ['rename', 'old_name', 'new_name']);
    assert.equal(await inspectField(d, 'new_name', '{{.Name}}'), 'new_name');
    await ok(d, ['rm', '-f', 'new_name', 'taken']);
  });

  test('stop_signal.sh: invalid signals refused; KILL and SIGKILL recorded; STOP stops the process', async () => {
    assert.match((await fails(d, ['run', '-itd', '--stop-signal', 'xxx', 'busybox', '/bin/sh'])).stderr, /Invalid signal: xxx/);
    assert.match((await fails(d, ['run', '-itd', '--stop-signal', '90', 'busybox', '/bin/sh'])).stderr, /Invalid signal: 90/);
    for (const sig of ['KILL', 'SIGKILL']) {
      const id = (await ok(d, ['run', '-itd', '--stop-signal', sig, 'busybox', 'sh'])).stdout.trim();
      assert.equal(await inspectField(d, id, '{{json .Config.StopSignal}}'), `"${sig}"`);
      await ok(d, ['stop', id]);
      assert.equal(await inspectField(d, id, '{{.State.ExitCode}}'), '137');
      await ok(d, ['rm', '-f', id]);
    }
    const id = (await ok(d, ['run', '-itd', '--stop-signal', 'STOP', 'busybox', 'sh'])).stdout.trim();
    const pid = await inspectField(d, id, '{{.State.Pid}}');
    const stopping = d.isula(['stop', '-t', '20', id], { timeoutMs: 120_000 });
    await until('the container process is stopped (T)', async () => /^State:\s+T/m.test(readFileSync(`/proc/${pid}/status`, 'utf8')));
    await ok(d, ['rm', '-f', id]);
    await stopping;
  });

  test('kill with a bad signal: iSulad\'s messages and exit 1', async () => {
    await ok(d, ['run', '-itd', '--name', 'sig', 'busybox']);
    assert.equal((await fails(d, ['kill', '-s', 'NOPE', 'sig'], 1)).stderr, 'Invalid signal: NOPE\n');
    assert.equal((await fails(d, ['kill', '-s', '90', 'sig'], 1)).stderr, 'The Linux daemon does not support signal 90\n');
    assert.equal(await state(d, 'sig'), 'running');
    await ok(d, ['rm', '-f', 'sig']);
  });

  test('wait (used by log_test.sh and others): prints the exit code and exits 0', async () => {
    await ok(d, ['run', '-d', '--name', 'waited', 'busybox', 'sh', '-c', 'exit 3']);
    const w = await ok(d, ['wait', 'waited']);
    assert.equal(w.stdout, '3\n');
    const missing = await fails(d, ['wait', 'waited', 'no_such_box'], 1);
    assert.equal(missing.stdout, '3\n');
    assert.match(missing.stderr, /No such container: no_such_box/);
    await ok(d, ['rm', 'waited']);
  });

  test('share_ns_test.sh: joining a created container is refused; joined containers restart', async () => {
    for (const flag of ['--ipc', '--pid', '--net', '--uts']) {
      const created = (await ok(d, ['create', '-ti', 'busybox', '/bin/sh'])).stdout.trim();
      const r = await fails(d, ['run', '--name', 'test1', '-tid', `${flag}=container:${created}`, 'busybox', '/bin/sh']);
      assert.match(r.stderr, /Can not join namespace of a non running container/, flag);
      await d.isula(['rm', '-f', 'test1']);
      await ok(d, ['rm', '-f', created]);
      const id = (await ok(d, ['run', '-tid', 'busybox', '/bin/sh'])).stdout.trim();
      const joined = (await ok(d, ['run', '-tid', `${flag}=container:${id}`, 'busybox', '/bin/sh'])).stdout.trim();
      await ok(d, ['restart', '--time=0', id]);
      assert.equal(await state(d, id), 'running');
      await ok(d, ['restart', '--time=0', joined]);
      assert.equal(await state(d, joined), 'running', flag);
      await ok(d, ['rm', '-f', joined, id]);
    }
  });
});

function readlinkNs(pid: number, ns: string): string {
  // "net:[4026531992]": equal links mean one namespace
  return readlinkSync(`/proc/${pid}/ns/${ns}`);
}
