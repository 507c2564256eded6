import { test } from 'node:test';
import assert from 'node:assert/strict';
import { infoResponseFrom, versionResponseFrom } from '../../../src/api/isula/system.ts';

test('version facts map to VersionResponse with cc 0', () => {
  assert.deepEqual(versionResponseFrom({ version: '1.0', gitCommit: 'abc', built: 'now', rootPath: '/r' }), {
    version: '1.0', git_commit: 'abc', build_time: 'now', root_path: '/r', cc: 0, errmsg: '',
  });
});

test('info facts map to InfoResponse; memory travels as an exact int64 string', () => {
  const r = infoResponseFrom({
    version: '1.0', containers: { total: 4, running: 2, paused: 1, stopped: 1 }, images: 3,
    storageDriver: 'overlay2', storageStatus: ['Backing Filesystem: ext4', 'Supports d_type: true'],
    loggingDriver: 'json-file', cgroupDriver: 'cgroupfs', hugePageSize: '2MB', kernelVersion: '6.1',
    operatingSystem: 'Debian', osType: 'Linux', architecture: 'aarch64', cpus: 4, totalMemoryBytes: 2 ** 53 - 1,
    name: 'edge', rootDir: '/var/lib/isulad', httpProxy: 'h', httpsProxy: 's', noProxy: 'n',
    cgroupVersion: '2', rootDirFree: 2 ** 40 + 1, rootDirSize: 2 ** 41, runtimes: ['lcr', 'runc'], unusableRuntimes: ['crun: hybrid'], defaultRuntime: 'lcr',
    cniPlugins: ['bridge', 'loopback'], cniBinDirs: ['/opt/cni/bin', '/usr/lib/cni'],
  });
  assert.equal(r.cgroup_version, '2');
  assert.equal(r.root_dir_free, String(2 ** 40 + 1));
  assert.equal(r.root_dir_size, String(2 ** 41));
  assert.deepEqual(r.runtimes, ['lcr', 'runc']);
  assert.deepEqual(r.unusable_runtimes, ['crun: hybrid']);
  assert.equal(r.default_runtime, 'lcr');
  assert.deepEqual(r.cni_plugins, ['bridge', 'loopback']);
  assert.deepEqual(r.cni_bin_dirs, ['/opt/cni/bin', '/usr/lib/cni']);
  assert.equal(r.containers_num, 4);
  assert.equal(r.c_running, 2);
  assert.equal(r.c_paused, 1);
  assert.equal(r.c_stopped, 1);
  assert.equal(r.images_num, 3);
  assert.equal(r.total_mem, String(2 ** 53 - 1));
  assert.equal(r.driver_status, 'Backing Filesystem: ext4\nSupports d_type: true');
  assert.equal(r.architecture, 'aarch64');
  assert.equal(r.isulad_root_dir, '/var/lib/isulad');
  assert.equal(r.cc, 0);
});
