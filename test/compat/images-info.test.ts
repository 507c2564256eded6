// iSulad CI, image_cases: image_import.sh, image_load.sh, image_remove.sh, image_tag.sh,
// images_list.sh, image_inspect.sh, storage_metdata.sh, img_status.sh, help.sh, version.sh (also
// container_cases/help.sh, version.sh) and container_cases/info.sh, inspect.sh, against our CLI on
// one real daemon. The archives are the repository's own fixtures (rootfs-fixtures/out).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { runIsula, runIsulad, type Daemon } from '../helpers/daemon.ts';
import { cgroupFile, fails, inspectField, ok, skipReason, state, suiteDaemon, until } from './compat-fixture.ts';

const ARCH = process.arch === 'arm64' ? 'arm64' : 'amd64';
const FIXTURES = join(import.meta.dirname, '../../rootfs-fixtures/out');
const ROOTFS = join(FIXTURES, `busybox-${ARCH}.rootfs.tar`);
const DOCKER_TAR = join(FIXTURES, `busybox-${ARCH}.docker.tar`);
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

describe('iSulad CI image_cases and info/inspect/version/help', { skip: skipReason }, () => {
  let d: Daemon;
  suiteDaemon((started) => (d = started), { runtime: 'lcr' });

  test('image_import.sh: a rootfs tar and a tar.xz import and run; an empty or non-tar .gz is refused', async () => {
    const xz = join(d.dir, 'rootfs.tar.xz');
    const made = spawnSync('xz', ['-c', '-0', ROOTFS], { maxBuffer: 64 << 20 });
    assert.equal(made.status, 0, String(made.stderr));
    writeFileSync(xz, made.stdout);
    assert.match((await ok(d, ['import', ROOTFS, 'import_tar'])).stdout, /^sha256:[0-9a-f]{64}\n$/);
    assert.match((await ok(d, ['import', xz, 'import_tar_xz'])).stdout, /^sha256:[0-9a-f]{64}\n$/);
    assert.equal((await ok(d, ['run', '--rm', '-ti', 'import_tar', 'echo', 'hello'])).stdout.trim(), 'hello');
    assert.equal((await ok(d, ['run', '--rm', '-ti', 'import_tar_xz', 'echo', 'hello'])).stdout.trim(), 'hello');
    await ok(d, ['rmi', 'import_tar']);
    await ok(d, ['rmi', 'import_tar_xz']);
    const empty = join(d.dir, 'empty.gz');
    writeFileSync(empty, gzipSync(Buffer.alloc(0)));
    const file = join(d.dir, 'file.gz');
    writeFileSync(file, gzipSync(Buffer.from('not a tarball\n')));
    await fails(d, ['import', empty, 'empty']);
    await fails(d, ['import', file, 'file']);
    assert.doesNotMatch((await ok(d, ['images'])).stdout, /^(empty|file)\s/m);
  });

  test('image_load.sh: a missing file fails; --tag names a single image; ten concurrent loads leave nothing behind', async () => {
    await fails(d, ['load', '-i', join(d.dir, 'xxx.tar')]);
    await ok(d, ['load', '-i', DOCKER_TAR]);
    const id = await inspectField(d, 'busybox', '{{.image.id}}');
    await ok(d, ['load', '-i', DOCKER_TAR, '--tag', 'kitty']);
    assert.match((await ok(d, ['images'])).stdout, /^kitty\s+latest\s/m);
    assert.equal(await inspectField(d, 'kitty', '{{.image.id}}'), id);
    const loads = await Promise.all(Array.from({ length: 10 }, () => d.isula(['load', '-i', DOCKER_TAR], { timeoutMs: 180_000 })));
    for (const r of loads) assert.equal(r.code, 0, r.stderr);
    assert.equal(await inspectField(d, 'busybox', '{{.image.id}}'), id);
    await ok(d, ['rmi', 'kitty']);
  });

  test('image_remove.sh: rmi of an image a container uses names the container; after rm it goes', async () => {
    // an image with one name only (untagging one of several names is allowed while in use)
    await ok(d, ['import', ROOTFS, 'toremove']);
    const cont = (await ok(d, ['run', '-itd', 'toremove', 'sh'])).stdout.trim();
    const r = await fails(d, ['rmi', 'toremove']);
    assert.match(r.stderr, /Error response from daemon: Image used by/);
    assert.ok(r.stderr.includes(cont), r.stderr);
    await ok(d, ['rm', '-f', cont]);
    await ok(d, ['rmi', 'toremove']);
    await fails(d, ['inspect', 'toremove']);
  });

  test('image_tag.sh: tags, a missing source, moving a name, tagging by a short id', async () => {
    await ok(d, ['import', ROOTFS, 'hello']);
    await ok(d, ['tag', 'busybox', 'aaa']);
    assert.match(await inspectField(d, 'busybox', '{{json .image.repo_tags}}'), /aaa/);
    await fails(d, ['tag', 'image_not_exist', 'aaa']);
    await ok(d, ['tag', 'busybox', 'aaa:bbb']);
    assert.match(await inspectField(d, 'busybox', '{{json .image.repo_tags}}'), /aaa:bbb/);
    const first = await inspectField(d, 'busybox', '{{json .image.id}}');
    const second = await inspectField(d, 'hello', '{{json .image.id}}');
    await ok(d, ['tag', 'busybox', 'ccc']);
    await ok(d, ['tag', 'hello', 'ddd']);
    assert.equal(await inspectField(d, 'ccc', '{{json .image.id}}'), first);
    assert.equal(await inspectField(d, 'ddd', '{{json .image.id}}'), second);
    for (const t of ['aaa', 'aaa:bbb', 'ccc', 'ddd']) await ok(d, ['rmi', t]);
    // the name busybox moves to hello's image, then back by a short id of the first
    await ok(d, ['tag', 'hello', 'busybox']);
    assert.match(await inspectField(d, 'hello', '{{json .image.repo_tags}}'), /busybox/);
    await ok(d, ['tag', first.slice(1, 11), 'busybox']);
    assert.equal(await inspectField(d, 'busybox', '{{json .image.id}}'), first);
    assert.equal(await inspectField(d, 'hello', '{{json .image.id}}'), second);
  });

  test('images_list.sh: --filter reference with wildcards, since and before', async () => {
    const hello = (await ok(d, ['images', '--filter', 'reference=*hello*'])).stdout.trim().split('\n');
    assert.equal(hello.filter((l) => /hello/.test(l)).length, 1, hello.join('\n'));
    // hello was made after busybox: since=busybox lists hello, before=hello lists busybox
    assert.match((await ok(d, ['images', '--filter', 'since=busybox'])).stdout, /^hello\s/m);
    assert.doesNotMatch((await ok(d, ['images', '--filter', 'since=hello'])).stdout, /^hello\s/m);
    assert.match((await ok(d, ['images', '--filter', 'before=hello'])).stdout, /^busybox\s/m);
    assert.doesNotMatch((await ok(d, ['images', '--filter', 'before=busybox'])).stdout, /^busybox\s/m);
    await ok(d, ['rmi', 'hello']);
  });

  test('image_inspect.sh: id, repo_tags, top_layer, created, loaded, size, Spec.config.Cmd', async () => {
    assert.match(await inspectField(d, 'busybox', '{{.image.id}}'), /^[0-9a-f]{64}$/);
    assert.match(await inspectField(d, 'busybox', '{{.image.repo_tags}}'), /busybox:latest/);
    assert.match(await inspectField(d, 'busybox', '{{.image.top_layer}}'), /^[0-9a-f]{64}$/);
    assert.match(await inspectField(d, 'busybox', '{{.image.created}}'), RFC3339);
    assert.match(await inspectField(d, 'busybox', '{{.image.loaded}}'), RFC3339);
    assert.ok(Number(await inspectField(d, 'busybox', '{{.image.size}}')) > 0);
    assert.notEqual(await inspectField(d, 'busybox', '{{.image.Spec.config}}'), '');
    assert.match(await inspectField(d, 'busybox', '{{.image.Spec.config.Cmd}}'), /\bsh\b/);
  });

  test('inspect.sh: Path, Args, modes, restart policy, hook spec, binds, resources, image, env; an entrypoint; inited', async () => {
    const cpus = readFileSync('/sys/fs/cgroup/cpuset/cpuset.cpus', 'utf8').trim().split(/[-,]/)[0] ?? '0';
    const mems = readFileSync('/sys/fs/cgroup/cpuset/cpuset.mems', 'utf8').trim().split(/[-,]/)[0] ?? '0';
    const hookSpec = join(d.dir, 'test-hookspec.json');
    const marks = join(d.dir, 'hook-marks');
    writeFileSync(hookSpec, JSON.stringify({
      prestart: [{ path: '/bin/sh', args: ['sh', '-c', `echo prestart >> ${marks}`] }],
      poststop: [{ path: '/bin/sh', args: ['sh', '-c', `echo poststop >> ${marks}`] }],
    }));
    const resources = ['--cpu-shares', '100', '--memory', '5MB', '--memory-reservation', '4MB', '--cpu-period', '1000000', '--cpu-quota', '200000', `--cpuset-cpus`, cpus, '--cpuset-mems', mems, '--kernel-memory', '50M', '--pids-limit=10000'];
    await ok(d, ['create', '--name', 'test_inspect', '--ipc', 'host', '--pid', 'host', '--uts', 'host', '--restart=on-failure:10', '--hook-spec', hookSpec, ...resources, '--volume', `${d.dir}:/root`, '--env', 'a=1', 'busybox', '/bin/sh', 'ls']);
    const f = (t: string) => inspectField(d, 'test_inspect', t);
    assert.equal(await f('{{json .Path}}'), '"/bin/sh"');
    assert.match(await f('{{json .Args}}'), /"ls"/);
    assert.equal(await f('{{json .HostConfig.IpcMode}}'), '"host"');
    assert.equal(await f('{{json .HostConfig.PidMode}}'), '"host"');
    assert.equal(await f('{{json .HostConfig.UTSMode}}'), '"host"');
    assert.equal(await f('{{json .HostConfig.RestartPolicy.Name}}'), '"on-failure"');
    assert.equal(await f('{{json .HostConfig.RestartPolicy.MaximumRetryCount}}'), '10');
    assert.match(await f('{{json .HostConfig.Binds}}'), new RegExp(`${d.dir}:/root`));
    assert.equal(await f('{{json .HostConfig.CPUShares}}'), '100');
    assert.equal(await f('{{json .HostConfig.Memory}}'), '5242880');
    assert.equal(await f('{{json .HostConfig.CPUPeriod}}'), '1000000');
    assert.equal(await f('{{json .HostConfig.CPUQuota}}'), '200000');
    assert.equal(await f('{{json .HostConfig.CpusetCpus}}'), `"${cpus}"`);
    assert.equal(await f('{{json .HostConfig.PidsLimit}}'), '10000');
    assert.equal(await f('{{json .HostConfig.HookSpec}}'), JSON.stringify(hookSpec));
    assert.equal(await f('{{json .HostConfig.MemoryReservation}}'), '4194304');
    assert.equal(await f('{{json .HostConfig.CpusetMems}}'), `"${mems}"`);
    assert.equal(await f('{{json .HostConfig.KernelMemory}}'), '52428800');
    assert.equal(await f('{{json .HostConfig.FilesLimit}}'), '0');
    assert.match(await f('{{.Config.Image}}'), /busybox/);
    assert.equal(await f('{{.Image}}'), `sha256:${await inspectField(d, 'busybox', '{{.image.id}}')}`);
    assert.match(await f('{{json .Config.Env}}'), /"a=1"/);
    assert.match(await f('{{json .Config.Cmd}}'), /"ls"/);
    await ok(d, ['rm', '-f', 'test_inspect']);
    // the same fields, running: their effect read from the kernel and the hooks' marks on the host
    const run = (await ok(d, ['run', '-d', '--hook-spec', hookSpec, ...resources, 'busybox', 'sleep', '999'])).stdout.trim();
    assert.equal(cgroupFile(d, 'cpu', run, 'cpu.shares'), '100');
    assert.equal(cgroupFile(d, 'memory', run, 'memory.limit_in_bytes'), '5242880');
    assert.equal(cgroupFile(d, 'memory', run, 'memory.soft_limit_in_bytes'), '4194304');
    assert.equal(cgroupFile(d, 'cpu', run, 'cpu.cfs_period_us'), '1000000');
    assert.equal(cgroupFile(d, 'cpu', run, 'cpu.cfs_quota_us'), '200000');
    assert.equal(cgroupFile(d, 'cpuset', run, 'cpuset.cpus'), cpus);
    assert.equal(cgroupFile(d, 'cpuset', run, 'cpuset.mems'), mems);
    assert.equal(cgroupFile(d, 'pids', run, 'pids.max'), '10000');
    assert.equal(readFileSync(marks, 'utf8'), 'prestart\n');
    await ok(d, ['rm', '-f', run]);
    await until('the poststop hook', async () => readFileSync(marks, 'utf8') === 'prestart\npoststop\n');
    await ok(d, ['create', '--entrypoint', '/bin/sh', '--name', 'test_inspect_entrypoint', 'busybox', '-c', 'exit 0']);
    const g = (t: string) => inspectField(d, 'test_inspect_entrypoint', t);
    assert.equal(await g('{{json .Path}}'), '"/bin/sh"');
    assert.match(await g('{{json .Args}}'), /exit 0/);
    assert.match(await g('{{json .Config.Entrypoint}}'), /"\/bin\/sh"/);
    assert.match(await g('{{json .Config.Cmd}}'), /exit 0/);
    assert.equal(await g('{{json .State.Status}} {{.Name}}'), '"inited" test_inspect_entrypoint');
    assert.equal(await state(d, 'test_inspect_entrypoint'), 'inited');
    await ok(d, ['rm', '-f', 'test_inspect_entrypoint']);
  });

  test('storage_metdata.sh: GraphDriver names overlay and its dirs, which exist', async () => {
    const id = (await ok(d, ['run', '-tid', 'busybox'])).stdout.trim();
    const data = JSON.parse(await inspectField(d, id, '{{json .GraphDriver.Data}}')) as Record<string, string>;
    for (const k of ['LowerDir', 'MergedDir', 'UpperDir', 'WorkDir']) {
      assert.ok(data[k], `${k} in ${JSON.stringify(data)}`);
      for (const p of data[k].split(':')) assert.ok(existsSync(p), `${k}: ${p}`);
    }
    assert.match(await inspectField(d, id, '{{json .GraphDriver.Name}}'), /overlay/);
    await ok(d, ['rm', '-f', id]);
  });

  test('img_status.sh: info lines 7-9 are the storage driver, backing filesystem and d_type', async () => {
    const lines = (await ok(d, ['info'])).stdout.split('\n');
    assert.match(lines[6] ?? '', /^Storage Driver:/);
    assert.match(lines[7] ?? '', /^ Backing Filesystem:/);
    assert.match(lines[8] ?? '', /^ Supports d_type:/);
  });

  test('version.sh, help.sh: --version, the version blocks in order, --help of isula, isulad and commands', async () => {
    assert.match((await runIsula(['--version'])).stdout.split('\n')[0] ?? '', /^Version \d+\.\d+\.\d+, commit/);
    const daemonVersion = await runIsulad(['--version']);
    assert.equal(daemonVersion.code, 0);
    assert.match(daemonVersion.stdout.split('\n')[0] ?? '', /^Version \d+\.\d+\.\d+, commit/);
    const lines = (await ok(d, ['version'])).stdout.split('\n').filter((l) => l !== '');
    const want = ['Client:', '  Version:', '  Git commit:', '  Built:', 'Server:', '  Version:', '  Git commit:', '  Built:', 'OCI config:', '  Version:', '  Default file:'];
    want.forEach((w, i) => assert.ok(lines[i]?.startsWith(w), `line ${i}: ${lines[i]} (want ${w})`));
    assert.equal((await runIsulad(['--help'])).code, 0);
    assert.equal((await runIsula([])).code, 0);
    assert.equal((await runIsula(['--help'])).code, 0);
    for (const c of ['create', 'rm', 'ps', 'start', 'stop', 'exec', 'version']) assert.equal((await runIsula([c, '--help'])).code, 0, c);
    assert.notEqual((await runIsula(['foo', '--help'])).code, 0);
  });

  test('info.sh: proxies from the daemon environment, credentials masked; unset or unusable ones not shown', async () => {
    const info = async () => (await ok(d, ['info'])).stdout;
    try {
      await d.restart({ env: { http_proxy: 'http://test:123456@testproxy.com', https_proxy: 'http://test:123456@testproxy.com', no_proxy: '127.0.0.1', HTTP_PROXY: undefined, HTTPS_PROXY: undefined, NO_PROXY: undefined } });
      let text = await info();
      assert.match(text, /^Http Proxy: http:\/\/xxxx:xxxx@testproxy\.com$/m);
      assert.match(text, /^Https Proxy: http:\/\/xxxx:xxxx@testproxy\.com$/m);
      assert.match(text, /^No Proxy: 127\.0\.0\.1$/m);
      assert.doesNotMatch(text, /123456/);
      await d.restart({ env: { http_proxy: 'https://example.com', https_proxy: undefined, no_proxy: '127.0.0.1', HTTP_PROXY: undefined, HTTPS_PROXY: undefined, NO_PROXY: undefined } });
      text = await info();
      assert.match(text, /^Http Proxy: https:\/\/example\.com$/m);
      assert.doesNotMatch(text, /^Https Proxy/m);
      await d.restart({ env: { http_proxy: 'http//abc.com', https_proxy: undefined, no_proxy: undefined, HTTP_PROXY: undefined, HTTPS_PROXY: undefined, NO_PROXY: undefined } });
      assert.doesNotMatch(await info(), /Proxy/);
    } finally {
      await d.restart({ env: { http_proxy: undefined, https_proxy: undefined, no_proxy: undefined, HTTP_PROXY: undefined, HTTPS_PROXY: undefined, NO_PROXY: undefined } });
    }
  });
});
