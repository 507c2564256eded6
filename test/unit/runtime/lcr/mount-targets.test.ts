// runtime/lcr/mount-targets: where mount destinations go in the rootfs before LXC sees them
// (issue 13 items 1 and 2), on a temp rootfs with links pointing out of it.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { withUserRemap } from '../../../../src/spec/opts-system.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaults } from '../../../../src/spec/defaults.ts';
import { buildSpec } from '../../../../src/spec/build.ts';
import type { Spec, SpecOpt } from '../../../../src/spec/types.ts';
import { withArgs, withRootfs } from '../../../../src/spec/opts-process.ts';
import { withBindMounts, withTmpfs } from '../../../../src/spec/opts-mounts.ts';
import { mountsForEntries } from '../../../../src/runtime/lcr/lxc-config.ts';
import { mappedRootOf, placeMountTargets, recheckMountTargets } from '../../../../src/runtime/lcr/mount-targets.ts';

const base = mkdtempSync(join(tmpdir(), 'mount-targets-'));
const root = join(base, 'root');
const outside = join(base, 'victim');
mkdirSync(join(root, 'dev'), { recursive: true });
mkdirSync(join(root, 'proc'));
symlinkSync(outside, join(root, 'evil'));
symlinkSync('/proc/self', join(root, 'self'));
after(() => rmSync(base, { recursive: true, force: true }));

const sctx = { passwd: 'root:x:0:0::/root:/bin/sh\n', group: '', hostLimits: {}, hostOomScoreAdj: 0 };
const spec = (...opts: SpecOpt[]): Spec => buildSpec(defaults(), sctx, withRootfs(root), withArgs({ cmd: ['/bin/true'] }), ...opts);
const kinds: Record<string, 'dir' | 'file'> = { '/srv': 'dir', '/f': 'file' };
const kind = (p: string) => kinds[p] ?? 'missing';
const bind = (source: string, destination: string) => withBindMounts([{ source, destination, readonly: false }]);
const plan = async (s: Spec) => placeMountTargets(s, mountsForEntries(s), kind);
const lastOf = <T>(a: T[]): T => a[a.length - 1] as T;

test('a bind through an image link is made under the rootfs and handed over resolved, without create=', async () => {
  const p = await plan(spec(bind('/f', '/evil/nologin'), withTmpfs([{ destination: '/evil/t', options: [] }])));
  const binds = p.mounts.slice(-2);
  assert.deepEqual(binds, [{ dest: `${outside}/nologin` }, { dest: `${outside}/t` }]);
  assert.ok(lstatSync(join(root, outside, 'nologin')).isFile());
  assert.ok(lstatSync(join(root, outside, 't')).isDirectory());
  assert.equal(existsSync(outside), false, 'nothing on the host');
});

test('inside LXC\'s /dev tmpfs and inside an earlier mount LXC creates the point, under the resolved prefix', async () => {
  const p = await plan(spec(bind('/srv', '/evil/data'), bind('/f', '/evil/data/inner'), bind('/f', '/dev/thing')));
  assert.deepEqual(p.mounts.slice(-3), [{ dest: `${outside}/data` }, { dest: `${outside}/data/inner`, create: 'file' }, { dest: '/dev/thing', create: 'file' }]);
  assert.equal(p.devBound, false);
  const shm = p.mounts.find((m) => m.dest === '/dev/shm');
  assert.deepEqual(shm, { dest: '/dev/shm', create: 'dir' });
});

test('/proc, links into /proc, the root and LXC\'s /dev links are refused', async () => {
  for (const dest of ['/proc', '/proc/sys/x', '/self/root', '/', '/dev/fd/3/x', '/dev/stdout']) {
    // the lexical ones already in the spec layer (every runtime), the rest here
    await assert.rejects(async () => plan(spec(bind('/srv', dest))), /not allowed/, dest);
  }
  const ok = await plan(spec(bind('/f', '/proc/cpuinfo')));
  assert.equal(lastOf(ok.mounts).dest, '/proc/cpuinfo');
});

test('a bind over /dev turns LXC\'s /dev setup off', async () => {
  const p = await plan(spec(bind('/srv', '/dev')));
  assert.equal(p.devBound, true);
});

test('recheck before a start: a mount point turned into a link is refused', async () => {
  const p = await plan(spec(bind('/f', '/data/mp')));
  await recheckMountTargets(root, p.made);
  rmSync(join(root, 'data'), { recursive: true });
  await recheckMountTargets(root, p.made); // made again
  assert.ok(lstatSync(join(root, 'data', 'mp')).isFile());
  rmSync(join(root, 'data'), { recursive: true });
  symlinkSync(outside, join(root, 'data'));
  await assert.rejects(recheckMountTargets(root, p.made), /symbolic link/);
  assert.equal(existsSync(outside), false);
});

test('a missing working dir is made in the rootfs, through an image link too; one under a mount is left to it', async () => {
  const withCwd = (cwd: string): SpecOpt => (s) => {
    s.process.cwd = cwd;
  };
  await plan(spec(withCwd('/work/dir')));
  assert.ok(lstatSync(join(root, 'work', 'dir')).isDirectory());
  await plan(spec(withCwd('/evil/wd')));
  assert.ok(lstatSync(join(root, outside, 'wd')).isDirectory());
  assert.equal(existsSync(outside), false, 'nothing on the host');
  await plan(spec(bind('/srv', '/data'), withCwd('/data/sub')));
  assert.equal(existsSync(join(root, 'data', 'sub')), false, 'the mount covers it');
});

test('in a user namespace the mount points and working dir made are the container root\'s on the host; a recheck makes a removed one so again', { skip: process.getuid?.() === 0 ? false : 'chown needs root' }, async () => {
  const remapped = spec(withUserRemap('100000:200000:65535'), bind('/f', '/remap/deep/file'), bind('/srv', '/remap/dir'));
  remapped.process.cwd = '/remap/work';
  assert.deepEqual(mappedRootOf(remapped), { uid: 100000, gid: 200000 });
  assert.equal(mappedRootOf(spec()), undefined);
  const p = await plan(remapped);
  const own = (rel: string) => {
    const st = lstatSync(join(root, rel));
    return `${st.uid}:${st.gid}`;
  };
  for (const rel of ['remap', 'remap/deep', 'remap/deep/file', 'remap/dir', 'remap/work']) assert.equal(own(rel), '100000:200000', rel);
  const made = p.made.find((m) => m.path === '/remap/deep/file');
  assert.deepEqual(made, { path: '/remap/deep/file', kind: 'file', owner: { uid: 100000, gid: 200000 } });
  rmSync(join(root, 'remap', 'deep'), { recursive: true });
  await recheckMountTargets(root, p.made);
  assert.equal(own('remap/deep/file'), '100000:200000');
  // without a mapping, what is made stays the caller's
  await plan(spec(bind('/f', '/plain/file')));
  assert.equal(own('plain/file'), `${process.getuid?.()}:${process.getgid?.()}`);
});
