// util/in-root: the chrooted walk for mount destinations and the creation of mount points, on a
// temp tree with links that point out of it (issue 13 item 1).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanInRoot, makeInRoot, resolveTargetInRoot } from '../../../src/util/in-root.ts';

const base = mkdtempSync(join(tmpdir(), 'in-root-'));
const root = join(base, 'root');
const outside = join(base, 'outside');
mkdirSync(join(root, 'etc'), { recursive: true });
symlinkSync(outside, join(root, 'evil'));
symlinkSync('../../../..', join(root, 'up'));
symlinkSync('/etc', join(root, 'etclink'));
symlinkSync('loop2', join(root, 'loop1'));
symlinkSync('loop1', join(root, 'loop2'));
after(() => rmSync(base, { recursive: true, force: true }));

test('cleanInRoot: lexical, ".." clamped at the root', () => {
  for (const [p, want] of [['/', '/'], ['a/b', '/a/b'], ['/a/./b/', '/a/b'], ['/../../x', '/x'], ['/a/../../b', '/b']]) assert.equal(cleanInRoot(p as string), want, p);
});

test('resolveTargetInRoot: links are read under the root, missing tails taken lexically', async () => {
  assert.equal(await resolveTargetInRoot(root, '/evil/nologin'), `${outside}/nologin`);
  assert.equal(await resolveTargetInRoot(root, '/up/tmp/x'), '/tmp/x');
  assert.equal(await resolveTargetInRoot(root, '/etclink'), '/etc');
  assert.equal(await resolveTargetInRoot(root, '/etclink/deep/er'), '/etc/deep/er');
  assert.equal(await resolveTargetInRoot(root, '/missing/../etc'), '/etc');
  await assert.rejects(resolveTargetInRoot(root, '/loop1/x'), /too many levels/);
});

test('makeInRoot: makes dirs and a file under the root only, refuses a link on the way', async () => {
  const dest = await resolveTargetInRoot(root, '/evil/deep/mnt');
  assert.equal(await makeInRoot(root, dest, 'dir'), 'dir');
  assert.ok(lstatSync(join(root, dest)).isDirectory());
  assert.equal(existsSync(outside), false, 'nothing outside the root');
  const f = await resolveTargetInRoot(root, '/evil/nologin');
  assert.equal(await makeInRoot(root, f, 'file'), 'file');
  assert.ok(lstatSync(join(root, f)).isFile());
  assert.equal(await makeInRoot(root, '/etc', 'file'), 'dir', 'an existing dir is reported as it is');
  await assert.rejects(makeInRoot(root, '/evil/x', 'dir'), /symbolic link/);
  await assert.rejects(makeInRoot(root, '/a/../b', 'dir'), /not resolved/);
  assert.equal(existsSync(outside), false);
});
