import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatClientBlock, formatOciConfigBlock, formatServerBlock } from '../../../../src/cli/commands/version.ts';
import { formatBytes, formatInfo, formatTotalMemory } from '../../../../src/cli/commands/info.ts';

test('version blocks: "  Key:\\tvalue" lines', () => {
  assert.equal(
    formatClientBlock({ version: '1.2.3', gitCommit: 'abc', built: '2026-01-01' }),
    'Client:\n  Version:\t1.2.3\n  Git commit:\tabc\n  Built:\t2026-01-01\n\n',
  );
  assert.equal(formatOciConfigBlock(), 'OCI config:\n  Version:\t1.0.1\n  Default file:\t/etc/default/isulad/config.json\n\n');
  assert.equal(
    formatServerBlock({ version: '1.2.3', git_commit: 'abc', build_time: 'x', root_path: '/r', cc: 0, errmsg: '' }),
    'Server:\n  Version:\t1.2.3\n  Git commit:\tabc\n  Built:\tx\n\n',
  );
});

test('total memory: whole GB, MB below 1 GB', () => {
  assert.equal(formatTotalMemory(24 * 1024 ** 3 + 5), '24 GB');
  assert.equal(formatTotalMemory(512 * 1024 ** 2), '512 MB');
});

test('info lines in iSulad order, driver status indented', () => {
  const text = formatInfo({
    cc: 0, errmsg: '', version: '0.1.0', containers_num: 3, c_running: 1, c_paused: 1, c_stopped: 1, images_num: 2,
    kversion: '6.1.0', os_type: 'Linux', architecture: 'x86_64', nodename: 'edge', cpus: 4,
    operating_system: 'Debian GNU/Linux 12 (bookworm)', cgroup_driver: 'cgroupfs', logging_driver: 'json-file',
    huge_page_size: '2MB', isulad_root_dir: '/var/lib/isulad', total_mem: String(2 * 1024 ** 3),
    http_proxy: '', https_proxy: 'http://p:3128', no_proxy: 'localhost', driver_name: 'overlay2',
    driver_status: 'Backing Filesystem: extfs\nSupports d_type: true',
    cgroup_version: '2', root_dir_free: String(5.5 * 1024 ** 3), root_dir_size: String(29 * 1024 ** 3),
    runtimes: ['lcr', 'runc'], unusable_runtimes: ['crun: cgroups in hybrid mode not supported'], default_runtime: 'lcr', cni_plugins: ['bridge', 'host-local'], cni_bin_dirs: ['/opt/cni/bin', '/usr/lib/cni'],
  });
  assert.equal(
    text,
    [
      'Containers: 3', ' Running: 1', ' Paused: 1', ' Stopped: 1', 'Images: 2', 'Server Version: 0.1.0',
      'Storage Driver: overlay2', ' Backing Filesystem: extfs', ' Supports d_type: true', 'Logging Driver: json-file',
      'Cgroup Driver: cgroupfs', 'Cgroup Version: 2', 'Runtimes: lcr runc', ' Unusable: crun: cgroups in hybrid mode not supported', 'Default Runtime: lcr',
      'CNI Plugins: bridge host-local', ' Plugin Dirs: /opt/cni/bin /usr/lib/cni', 'Hugetlb Pagesize: 2MB', 'Kernel Version: 6.1.0',
      'Operating System: Debian GNU/Linux 12 (bookworm)', 'OSType: Linux', 'Architecture: x86_64', 'CPUs: 4',
      'Total Memory: 2 GB', 'Name: edge', 'iSulad Root Dir: /var/lib/isulad', ' Free Space: 5.5 GB of 29 GB',
      'Https Proxy: http://p:3128', 'No Proxy: localhost', '',
    ].join('\n'),
  );
});

test('byte sizes for free space', () => {
  assert.equal(formatBytes(0), '0 B');
  assert.equal(formatBytes(1536), '1.5 KB');
  assert.equal(formatBytes(300 * 1024 ** 2), '300 MB');
  assert.equal(formatBytes(29 * 1024 ** 3), '29 GB');
});

test('info: unset proxies are not printed', () => {
  const base = {
    cc: 0, errmsg: '', version: '0.1.0', containers_num: 0, c_running: 0, c_paused: 0, c_stopped: 0, images_num: 0,
    kversion: '6.1.0', os_type: 'Linux', architecture: 'x86_64', nodename: 'edge', cpus: 1, operating_system: 'x',
    cgroup_driver: 'cgroupfs', logging_driver: 'json-file', huge_page_size: '2MB', isulad_root_dir: '/r', total_mem: '0',
    http_proxy: '', https_proxy: '', no_proxy: '', driver_name: 'overlay2', driver_status: '', cgroup_version: '2',
    root_dir_free: '0', root_dir_size: '0', runtimes: [], unusable_runtimes: [], default_runtime: 'lcr', cni_plugins: [], cni_bin_dirs: [],
  };
  assert.doesNotMatch(formatInfo(base), /Proxy/);
  assert.match(formatInfo({ ...base, no_proxy: '127.0.0.1' }), /\nNo Proxy: 127\.0\.0\.1\n$/);
});
