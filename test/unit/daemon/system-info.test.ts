import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cgroupVersionFromMounts, hugePageSizeFromMeminfo, maskProxy, prettyNameFromOsRelease } from '../../../src/daemon/system-info.ts';

test('PRETTY_NAME from os-release', () => {
  assert.equal(prettyNameFromOsRelease('NAME="Debian"\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n'), 'Debian GNU/Linux 12 (bookworm)');
  assert.equal(prettyNameFromOsRelease("PRETTY_NAME='openEuler 22.03'"), 'openEuler 22.03');
  assert.equal(prettyNameFromOsRelease('NAME=x\n'), undefined);
});

const pages = [
  { text: 'MemTotal: 1 kB\nHugepagesize:       2048 kB\n', want: '2MB' },
  { text: 'Hugepagesize:    1048576 kB\n', want: '1GB' },
  { text: 'Hugepagesize:         64 kB\n', want: '64KB' },
  { text: 'MemTotal: 1 kB\n', want: '' },
];
for (const c of pages) test(`hugepage size ${c.want || 'none'}`, () => assert.equal(hugePageSizeFromMeminfo(c.text), c.want));

const mounts = [
  { name: 'unified', text: 'sysfs /sys sysfs rw 0 0\ncgroup2 /sys/fs/cgroup cgroup2 rw,nosuid 0 0\n', want: '2' },
  {
    name: 'hybrid',
    text: 'tmpfs /sys/fs/cgroup tmpfs ro 0 0\ncgroup2 /sys/fs/cgroup/unified cgroup2 rw 0 0\ncgroup /sys/fs/cgroup/memory cgroup rw,memory 0 0\n',
    want: '1',
  },
  { name: 'legacy', text: 'tmpfs /sys/fs/cgroup tmpfs ro 0 0\ncgroup /sys/fs/cgroup/cpu cgroup rw,cpu 0 0\n', want: '1' },
  { name: 'none', text: 'proc /proc proc rw 0 0\n', want: '' },
];
for (const c of mounts) test(`cgroup version: ${c.name}`, () => assert.equal(cgroupVersionFromMounts(c.text), c.want));

test('proxies in info: credentials masked as iSulad does, unusable ones left out', () => {
  assert.equal(maskProxy(''), '');
  assert.equal(maskProxy('http://test:123456@testproxy.com'), 'http://xxxx:xxxx@testproxy.com');
  assert.equal(maskProxy('https://example.com'), 'https://example.com');
  assert.equal(maskProxy('http//abc.com'), '');
  assert.equal(maskProxy('http//xxxx@abc:abc.com'), '');
});
