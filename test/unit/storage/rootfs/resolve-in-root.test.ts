// resolveInRoot on a temporary tree: every symlink and ".." stays inside the root, whatever it
// names (these run without root; the container cases are in test/integration/container-cp.test.ts).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveInRoot } from '../../../../src/storage/rootfs/resolve-in-root.ts';
import { kindOf } from '../../../../src/util/errors.ts';

let root: string;
before(() => {
  root = mkdtempSync(join(tmpdir(), 'resolve-in-root-'));
  mkdirSync(join(root, 'etc'));
  writeFileSync(join(root, 'etc', 'passwd'), 'x');
  mkdirSync(join(root, 'a', 'b'), { recursive: true });
  symlinkSync('/etc/passwd', join(root, 'abs'));
  symlinkSync('../../../../../../etc', join(root, 'a', 'up'));
  symlinkSync('/', join(root, 'rootlink'));
  symlinkSync('loop2', join(root, 'loop1'));
  symlinkSync('loop1', join(root, 'loop2'));
  symlinkSync('/etc/passwd/x', join(root, 'through-file'));
});
after(() => rmSync(root, { recursive: true, force: true }));

const rows: Array<{ path: string; follow: boolean; inRoot: string; exists: boolean }> = [
  { path: '/abs', follow: true, inRoot: '/etc/passwd', exists: true },
  { path: '/abs', follow: false, inRoot: '/abs', exists: true },
  { path: '/a/up/passwd', follow: false, inRoot: '/etc/passwd', exists: true },
  { path: '/a/b/../../../../../etc/passwd', follow: false, inRoot: '/etc/passwd', exists: true },
  { path: '/rootlink/etc/passwd', follow: false, inRoot: '/etc/passwd', exists: true },
  { path: '/rootlink/rootlink/../rootlink', follow: true, inRoot: '/', exists: true },
  { path: '/..', follow: false, inRoot: '/', exists: true },
  { path: '/rootlink/new-file', follow: false, inRoot: '/new-file', exists: false },
  { path: 'a/../etc', follow: false, inRoot: '/etc', exists: true },
];

for (const r of rows) {
  test(`${r.path} (follow ${r.follow}) → ${r.inRoot}`, async () => {
    const got = await resolveInRoot(root, r.path, { followFinal: r.follow });
    assert.equal(got.inRoot, r.inRoot);
    assert.equal(got.host, r.inRoot === '/' ? root : root + r.inRoot);
    assert.equal(got.stat !== undefined, r.exists);
  });
}

test('a missing middle component is not-found; a link loop and a file as a dir are refused', async () => {
  await assert.rejects(resolveInRoot(root, '/no/such', { followFinal: false }), (e: unknown) => kindOf(e) === 'not-found');
  await assert.rejects(resolveInRoot(root, '/loop1', { followFinal: true }), (e: unknown) => kindOf(e) === 'invalid-argument');
  await assert.rejects(resolveInRoot(root, '/through-file', { followFinal: true }), (e: unknown) => kindOf(e) === 'invalid-argument');
});
