import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCgroupLayout, cgroupDirs, controllerDir } from '../../../src/cgroups/hierarchy.ts';
import { parseKeyValues, parseLimit } from '../../../src/cgroups/stats.ts';

const hybrid = [
  '25 24 0:22 / /sys/fs/cgroup rw,nosuid,nodev,noexec - tmpfs tmpfs ro,mode=755',
  '26 25 0:23 / /sys/fs/cgroup/unified rw,nosuid,nodev,noexec,relatime - cgroup2 cgroup2 rw,nsdelegate',
  '27 25 0:24 / /sys/fs/cgroup/memory rw,nosuid,nodev,noexec,relatime - cgroup cgroup rw,memory',
  '28 25 0:25 / /sys/fs/cgroup/cpu rw,nosuid,nodev,noexec,relatime - cgroup cgroup rw,cpu',
  '29 25 0:26 / /sys/fs/cgroup/cpuacct rw,nosuid,nodev,noexec,relatime - cgroup cgroup rw,cpuacct',
  '30 25 0:27 / /sys/fs/cgroup/systemd rw - cgroup cgroup rw,xattr,name=systemd',
  '31 25 0:28 / /sys/fs/cgroup/net_cls,net_prio rw - cgroup cgroup rw,net_cls,net_prio',
].join('\n');

test('hybrid layout: v1 controllers, unified mount', () => {
  const l = parseCgroupLayout(hybrid);
  assert.equal(l.version, 'v1');
  assert.equal(l.v1.memory, '/sys/fs/cgroup/memory');
  assert.equal(l.v1.net_prio, '/sys/fs/cgroup/net_cls,net_prio');
  assert.equal(l.v1['name=systemd'], '/sys/fs/cgroup/systemd', 'named hierarchies are cleaned up too');
  assert.ok(cgroupDirs(l, 'isulad/c1').includes('/sys/fs/cgroup/systemd/isulad/c1'));
  assert.equal(l.unified, '/sys/fs/cgroup/unified');
  assert.equal(controllerDir(l, 'memory', '/isulad/c1'), '/sys/fs/cgroup/memory/isulad/c1');
  assert.ok(cgroupDirs(l, 'isulad/c1').includes('/sys/fs/cgroup/unified/isulad/c1'));
  assert.equal(cgroupDirs(l, 'x').filter((d) => d.startsWith('/sys/fs/cgroup/net_cls')).length, 1, 'co-mounted once');
});

test('unified layout', () => {
  const l = parseCgroupLayout('26 25 0:23 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw');
  assert.equal(l.version, 'v2');
  assert.equal(controllerDir(l, 'memory', 'a/b'), '/sys/fs/cgroup/a/b');
});

test('limits and key-value files', () => {
  assert.equal(parseLimit('max'), undefined);
  assert.equal(parseLimit('9223372036854771712'), undefined);
  assert.equal(parseLimit('67108864'), 67108864);
  assert.deepEqual(parseKeyValues('oom_kill_disable 0\nunder_oom 0\noom_kill 2\n'), { oom_kill_disable: 0, under_oom: 0, oom_kill: 2 });
});
