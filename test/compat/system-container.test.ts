// iSulad CI, container_cases: create_mtab_test.sh, and the system-container flags of issue 17
// (--system-container, --ns-change-opt, --user-remap), against our CLI on one real daemon, on each
// runtime of RUNTIME_LIST (lcr, runc). Every effect is read from inside the container (the kernel's
// /proc) or from the host, not from inspect alone.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Daemon } from '../helpers/daemon.ts';
import { RUNTIMES } from '../integration/container-fixture.ts';
import { fails, inspectField, ok, skipReason, suiteDaemon, until } from './compat-fixture.ts';

const runc = RUNTIMES.find((r) => r.name === 'runc');
const RTS = [['lcr', false], ['runc', runc?.skip ?? 'no runc']] as const;
const CAP_SYS_BOOT = 22;
const ARCH = process.arch === 'arm64' ? 'arm64' : 'amd64';
const FIXTURES = resolve(import.meta.dirname, '../../rootfs-fixtures/out');

/** CapEff of /proc/1/status inside, as a bigint mask. */
async function capEff(d: Daemon, id: string): Promise<bigint> {
  const status = (await ok(d, ['exec', id, 'cat', '/proc/1/status'])).stdout;
  const m = /^CapEff:\s*([0-9a-f]+)$/m.exec(status);
  assert.ok(m, status);
  return BigInt(`0x${m[1]}`);
}

/** The mounts of the container's init (/proc/1/mountinfo): mount point → fs type and super options. */
async function mountsOf(d: Daemon, id: string): Promise<Map<string, { type: string; opts: string }>> {
  const out = new Map<string, { type: string; opts: string }>();
  for (const line of (await ok(d, ['exec', id, 'cat', '/proc/1/mountinfo'])).stdout.split('\n')) {
    const dash = line.indexOf(' - ');
    if (dash < 0) continue;
    const [type = '', , opts = ''] = line.slice(dash + 3).split(' ');
    out.set(line.slice(0, dash).split(' ')[4] ?? '', { type, opts });
  }
  return out;
}

describe('iSulad CI container_cases: /etc/mtab and system containers', { skip: skipReason }, () => {
  let d: Daemon;
  suiteDaemon((started) => (d = started), { runtime: 'lcr' });

  for (const [rt, skip] of RTS) {
    test(`create_mtab_test.sh on ${rt}: /etc/mtab is a link to /proc/mounts when the image has none`, { skip }, async () => {
      const id = (await ok(d, ['run', '-tid', '--runtime', rt, 'busybox'])).stdout.trim();
      assert.equal((await ok(d, ['exec', id, 'readlink', '/etc/mtab'])).stdout.trim(), '/proc/mounts');
      // read through the link: the container's own mount table (its / is the overlay rootfs)
      const mtab = (await ok(d, ['exec', id, 'cat', '/etc/mtab'])).stdout;
      assert.match(mtab, /^overlay \/ overlay /m);
      assert.equal(mtab, (await ok(d, ['exec', id, 'cat', '/proc/self/mounts'])).stdout);
      await ok(d, ['rm', '-f', id]);
    });
  }

  for (const [rt, skip] of RTS) {
    test(`--system-container on ${rt}: tmpfs /run, /run/lock, /tmp at half of -m, ${rt === 'lcr' ? 'no CAP_SYS_BOOT on lcr' : 'CAP_SYS_BOOT'}, unshare through seccomp, the system.container annotation`, { skip }, async () => {
      const plain = (await ok(d, ['run', '-d', '--runtime', rt, 'busybox', 'sleep', '1000'])).stdout.trim();
      const sys = (await ok(d, ['run', '-d', '--runtime', rt, '--system-container', '-m', '64m', 'busybox', 'sleep', '1000'])).stdout.trim();
      assert.equal(await inspectField(d, sys, '{{.HostConfig.SystemContainer}}'), 'true');
      assert.equal(JSON.parse(await inspectField(d, sys, '{{json .Config.Annotations}}'))['system.container'], 'true');
      // the kernel's view: the init's effective capabilities
      assert.equal((await capEff(d, plain)) & (1n << BigInt(CAP_SYS_BOOT)), 0n, 'an ordinary container has no CAP_SYS_BOOT');
      // lcr withholds it: stock LXC would restart a rebooted container inside lxc-start, out of the engine's sight
      if (rt === 'lcr') assert.equal((await capEff(d, sys)) & (1n << BigInt(CAP_SYS_BOOT)), 0n, 'no CAP_SYS_BOOT for a system container on lcr');
      else assert.notEqual((await capEff(d, sys)) & (1n << BigInt(CAP_SYS_BOOT)), 0n, 'a system container has CAP_SYS_BOOT');
      // its own tmpfs mounts, each capped at half of the 64 MiB limit
      const m = await mountsOf(d, sys);
      for (const [dir, mode] of [['/run', '755'], ['/run/lock', '755'], ['/tmp', '1777']] as const) {
        const e = m.get(dir);
        assert.equal(e?.type, 'tmpfs', `${dir} is a tmpfs: ${JSON.stringify(e)}`);
        assert.match(e?.opts ?? '', /(^|,)size=32768k(,|$)/, `${dir} size`);
        // the kernel shows mode= only when it is not tmpfs's default (1777): read the mode itself
        assert.equal((await ok(d, ['exec', sys, 'stat', '-c', '%a', dir])).stdout.trim(), mode, `${dir} mode`);
      }
      const pm = await mountsOf(d, plain);
      assert.notEqual(pm.get('/tmp')?.type, 'tmpfs', 'an ordinary container keeps /tmp of its rootfs');
      // seccomp: unshare(2) is refused in an ordinary container, let through in a system container
      const userns = 'unshare -U true && echo unshare-ok || echo unshare-denied';
      assert.equal((await ok(d, ['exec', plain, 'sh', '-c', userns])).stdout.trim(), 'unshare-denied');
      assert.equal((await ok(d, ['exec', sys, 'sh', '-c', userns])).stdout.trim(), 'unshare-ok');
      // --cap-drop takes a system capability away again (checked where it was given)
      const dropped = (await ok(d, ['run', '-d', '--runtime', rt, '--system-container', '--cap-drop', 'SYS_BOOT', 'busybox', 'sleep', '1000'])).stdout.trim();
      assert.equal((await capEff(d, dropped)) & (1n << BigInt(CAP_SYS_BOOT)), 0n, '--cap-drop SYS_BOOT');
      await ok(d, ['rm', '-f', plain, sys, dropped]);
    });

    test(`--system-container on ${rt}: ${rt === 'lcr' ? 'reboot(2) inside is refused (no CAP_SYS_BOOT), --restart on-reboot refused with the reason' : 'reboot(2) inside ends the init with 129 (the kernel\'s SIGHUP), and --restart on-reboot starts it again'}`, { skip }, async () => {
      if (rt === 'lcr') {
        assert.match((await fails(d, ['create', '--runtime', rt, '--system-container', '--restart', 'on-reboot', 'busybox', 'true'])).stderr, /--restart on-reboot is not supported by lcr: stock LXC restarts a rebooted container inside lxc-start/);
        const r = await ok(d, ['run', '--rm', '--runtime', rt, '--system-container', 'busybox', 'sh', '-c', 'reboot -f; echo still-here']);
        assert.match(r.stdout, /still-here/);
        return;
      }
      // first run: reboot; the next run finds the mark in its writable layer and stays up
      const script = '[ -e /rebooted ] && exec sleep 1000; touch /rebooted; reboot -f; sleep 1000';
      const id = (await ok(d, ['run', '-d', '--runtime', rt, '--system-container', '--restart', 'on-reboot', 'busybox', 'sh', '-c', script])).stdout.trim();
      await until('the container to be restarted after its reboot', async () => (await inspectField(d, id, '{{.RestartCount}}')) === '1' && (await inspectField(d, id, '{{.State.Running}}')) === 'true');
      assert.equal((await ok(d, ['exec', id, 'ls', '/rebooted'])).stdout.trim(), '/rebooted');
      // an ordinary container may not reboot (no CAP_SYS_BOOT, reboot refused by seccomp): it exits with the command's failure
      const plain = await d.isula(['run', '--rm', '--runtime', rt, 'busybox', 'sh', '-c', 'reboot -f; echo still-here'], { timeoutMs: 60_000 });
      assert.match(plain.stdout, /still-here/);
      await ok(d, ['rm', '-f', id]);
    });

    test(`--ns-change-opt on ${rt}: the net and ipc sysctls become writable from inside, the rest of /proc/sys stays read-only`, { skip }, async () => {
      const write = (file: string, v: string) => `echo ${v} > ${file} && cat ${file} || echo refused`;
      // a net sysctl that root of the namespace may set without CAP_NET_ADMIN (ip_forward asks for it)
      const netFile = '/proc/sys/net/ipv4/tcp_keepalive_time';
      const ipcFile = '/proc/sys/kernel/shmmni';
      const roFile = '/proc/sys/kernel/domainname'; // uts, not covered by the option
      const sysOnly = (await ok(d, ['run', '-d', '--runtime', rt, '--system-container', 'busybox', 'sleep', '1000'])).stdout.trim();
      assert.equal((await ok(d, ['exec', sysOnly, 'sh', '-c', write(netFile, '1234')])).stdout.trim().split('\n').pop(), 'refused', 'without the option /proc/sys/net is read-only');
      const both = (await ok(d, ['run', '-d', '--runtime', rt, '--system-container', '--ns-change-opt', 'net,ipc', 'busybox', 'sleep', '1000'])).stdout.trim();
      assert.equal(await inspectField(d, both, '{{.HostConfig.NsChangeOpt}}'), 'net,ipc');
      const hostValue = readFileSync(netFile, 'utf8').trim();
      const flipped = hostValue === '1234' ? '4321' : '1234';
      assert.equal((await ok(d, ['exec', both, 'sh', '-c', write(netFile, flipped)])).stdout.trim(), flipped, 'net sysctl written inside');
      assert.equal(readFileSync(netFile, 'utf8').trim(), hostValue, "the host's own value is untouched (the container's net namespace)");
      assert.equal((await ok(d, ['exec', both, 'sh', '-c', write(ipcFile, '1234')])).stdout.trim(), '1234', 'ipc sysctl written inside');
      assert.notEqual(readFileSync(ipcFile, 'utf8').trim(), '1234');
      assert.equal((await ok(d, ['exec', both, 'sh', '-c', write(roFile, 'x')])).stdout.trim().split('\n').pop(), 'refused', 'other sysctls stay read-only');
      const netOnly = (await ok(d, ['run', '-d', '--runtime', rt, '--system-container', '--ns-change-opt', 'net', 'busybox', 'sleep', '1000'])).stdout.trim();
      assert.equal((await ok(d, ['exec', netOnly, 'sh', '-c', write(ipcFile, '1234')])).stdout.trim().split('\n').pop(), 'refused', 'net only: the ipc sysctls stay read-only');
      await ok(d, ['rm', '-f', sysOnly, both, netOnly]);
    });
  }

  test('--ns-change-opt refusals: an ordinary container, an unknown namespace (iSulad\'s words)', async () => {
    assert.match((await fails(d, ['create', '--ns-change-opt', 'net', 'busybox', 'true'])).stderr, /Unsupported ns-change-opt param in normal container/);
    assert.match((await fails(d, ['create', '--system-container', '--ns-change-opt', 'net,uts', 'busybox', 'true'])).stderr, /invalid ns-change-opt pararm:net,uts/);
    assert.match((await fails(d, ['create', '--system-container', '--ns-change-opt', 'net,ipc,net', 'busybox', 'true'])).stderr, /invalid ns-change-opt pararm/);
  });

  test('--user-remap: iSulad\'s checks (system container on an external rootfs, uid:gid:size)', async () => {
    const base = ['create', '--system-container', '--external-rootfs', d.dir];
    assert.match((await fails(d, ['create', '--user-remap', '1000:1000:65535', 'busybox', 'true'])).stderr, /--user-remap only available for system container/);
    assert.match((await fails(d, ['create', '--system-container', '--user-remap', '1000:1000:65535', 'busybox', 'true'])).stderr, /--user-remap only available for system container/);
    assert.match((await fails(d, [...base, '--privileged', '--user-remap', '1000:1000:65535', 'none', 'true'])).stderr, /--user-remap only available for system container/);
    assert.match((await fails(d, [...base, '--user-remap', '1000:1000', 'none', 'true'])).stderr, /Invalid user remap specification '1000:1000'. unsupported format/);
    assert.match((await fails(d, [...base, '--user-remap', 'x:1000:10', 'none', 'true'])).stderr, /Invalid host uid for 'x:1000:10', uid must be unsigned int/);
    assert.match((await fails(d, [...base, '--user-remap', '1000:1000:65536', 'none', 'true'])).stderr, /Invalid id offset for '1000:1000:65536', offset must be greater than 0 and less than 65535/);
    assert.equal((await ok(d, ['ps', '-aq'])).stdout.trim(), '', 'nothing was created');
  });

  for (const [rt, skip] of RTS) {
    test(`--user-remap on ${rt}: the container's root is the mapped host id (uid_map, gid_map, id, file owners on both sides, stdio by path)`, { skip }, async () => {
      // iSulad's use: a system container on an external rootfs the user has made over to the mapped ids
      const dir = join(d.dir, `remapped-${rt}`);
      mkdirSync(dir);
      execFileSync('tar', ['-xf', join(FIXTURES, `busybox-${ARCH}.rootfs.tar`), '-C', dir]);
      execFileSync('chown', ['-R', '100000:100000', dir]);
      chmodSync(d.dir, 0o711); // the mapped root must be able to reach the rootfs
      const id = (await ok(d, ['run', '-d', '--runtime', rt, '--system-container', '--external-rootfs', dir, '--user-remap', '100000:100000:65535', 'none', 'sleep', '1000'])).stdout.trim();
      assert.equal(await inspectField(d, id, '{{.HostConfig.UserRemap}}'), '100000:100000:65535');
      const maps = (await ok(d, ['exec', id, 'cat', '/proc/self/uid_map', '/proc/self/gid_map'])).stdout.trim().split('\n').map((l) => l.trim().split(/\s+/));
      assert.deepEqual(maps, [['0', '100000', '65535'], ['0', '100000', '65535']]);
      assert.match((await ok(d, ['exec', id, 'id'])).stdout, /^uid=0\(root\) gid=0\(root\)/);
      const pid = await inspectField(d, id, '{{.State.Pid}}');
      assert.match(readFileSync(`/proc/${pid}/status`, 'utf8'), /^Uid:\s+100000\s+100000\s+100000\s+100000$/m, 'on the host the init runs as the mapped uid');
      assert.equal(readFileSync(`/proc/${pid}/uid_map`, 'utf8').trim().split(/\s+/).join(' '), '0 100000 65535');
      // a file made inside by root is the mapped id's on the host; the bound /etc/hosts is root's inside, writable
      await ok(d, ['exec', id, 'sh', '-c', 'touch /made-inside && echo "10.9.8.7 remapped" >> /etc/hosts']);
      const st = statSync(join(dir, 'made-inside'));
      assert.deepEqual([st.uid, st.gid], [100000, 100000]);
      assert.match((await ok(d, ['exec', id, 'stat', '-c', '%u:%g', '/etc/hosts', '/etc/hostname', '/etc/resolv.conf'])).stdout, /^0:0\n0:0\n0:0\n$/);
      assert.match((await ok(d, ['exec', id, 'cat', '/etc/hosts'])).stdout, /10\.9\.8\.7 remapped/);
      await ok(d, ['rm', '-f', id]);
      // the main process reopens its stdio by path (lcr: the FIFOs, runc: conmon's pipes are the mapped root's)
      const r = await ok(d, ['run', '--rm', '--runtime', rt, '--system-container', '--external-rootfs', dir, '--user-remap', '100000:100000:65535', 'none', 'sh', '-c', 'echo by-path >/dev/stdout; echo err-by-path >/dev/stderr']);
      assert.equal(r.stdout, 'by-path\n');
      assert.equal(r.stderr, 'err-by-path\n');
    });
  }

  test('--user-remap on lcr: lxc.idmap from the spec\'s mappings; the container\'s cgroup is given to the mapped root by LXC', async () => {
    const dir = join(d.dir, 'remapped-idmap');
    mkdirSync(dir);
    execFileSync('tar', ['-xf', join(FIXTURES, `busybox-${ARCH}.rootfs.tar`), '-C', dir]);
    execFileSync('chown', ['-R', '200000:300000', dir]);
    chmodSync(d.dir, 0o711);
    const id = (await ok(d, ['run', '-d', '--runtime', 'lcr', '--system-container', '--external-rootfs', dir, '--user-remap', '200000:300000:1000', 'none', 'sleep', '1000'])).stdout.trim();
    const config = readFileSync(join(d.state, 'lcr', id, 'config'), 'utf8');
    assert.match(config, /^lxc\.idmap = u 0 200000 1000$/m);
    assert.match(config, /^lxc\.idmap = g 0 300000 1000$/m);
    const pid = await inspectField(d, id, '{{.State.Pid}}');
    assert.match(readFileSync(`/proc/${pid}/status`, 'utf8'), /^Gid:\s+300000\s+300000\s+300000\s+300000$/m);
    const lines = readFileSync(`/proc/${pid}/cgroup`, 'utf8').split('\n');
    const v1 = existsSync('/sys/fs/cgroup/pids');
    const line = lines.find((l) => (v1 ? l.split(':')[1] === 'pids' : l.startsWith('0::'))) ?? '';
    const cg = `/sys/fs/cgroup${v1 ? '/pids' : ''}${line.split(':').slice(2).join(':')}`;
    assert.equal(statSync(join(cg, 'cgroup.procs')).gid, 300000, `${cg}/cgroup.procs`);
    await ok(d, ['rm', '-f', id]);
  });
});
