// docker cp's destination rules (src/storage/rootfs/copy-plan.ts), one row per case of docker's
// documentation, plus the errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyTarget } from '../../../../src/storage/rootfs/copy-plan.ts';
import { kindOf } from '../../../../src/util/errors.ts';

type Kind = 'dir' | 'other' | undefined;
const cases: Array<{ name: string; src: [boolean, string]; dest: [string, Kind, boolean]; want: { dir: 'dest' | 'parent'; name: string } | string }> = [
  { name: 'file → missing path', src: [false, '/a/f'], dest: ['/x/new', undefined, true], want: { dir: 'parent', name: 'new' } },
  { name: 'file → existing file', src: [false, '/a/f'], dest: ['/x/old', 'other', true], want: { dir: 'parent', name: 'old' } },
  { name: 'file → existing dir', src: [false, '/a/f'], dest: ['/x', 'dir', true], want: { dir: 'dest', name: 'f' } },
  { name: 'file → missing dir/ ', src: [false, '/a/f'], dest: ['/x/', undefined, true], want: 'not-found' },
  { name: 'file → missing parent', src: [false, '/a/f'], dest: ['/x/y', undefined, false], want: 'not-found' },
  { name: 'file/ is not a dir', src: [false, '/a/f/'], dest: ['/x', 'dir', true], want: 'invalid-argument' },
  { name: 'file → file/', src: [false, '/a/f'], dest: ['/x/old/', 'other', true], want: 'invalid-argument' },
  { name: 'dir → missing path', src: [true, '/a/d'], dest: ['/x/new', undefined, true], want: { dir: 'parent', name: 'new' } },
  { name: 'dir → missing path/', src: [true, '/a/d'], dest: ['/x/new/', undefined, true], want: { dir: 'parent', name: 'new' } },
  { name: 'dir → existing file', src: [true, '/a/d'], dest: ['/x/f', 'other', true], want: 'failed-precondition' },
  { name: 'dir → existing dir', src: [true, '/a/d'], dest: ['/x', 'dir', true], want: { dir: 'dest', name: 'd' } },
  { name: 'dir/ → existing dir', src: [true, '/a/d/'], dest: ['/x', 'dir', true], want: { dir: 'dest', name: 'd' } },
  { name: 'dir/. → existing dir: contents', src: [true, '/a/d/.'], dest: ['/x', 'dir', true], want: { dir: 'dest', name: '' } },
  { name: '/ → existing dir: contents', src: [true, '/'], dest: ['/x', 'dir', true], want: { dir: 'dest', name: '' } },
  { name: 'relative dir → existing dir', src: [true, 'd'], dest: ['.', 'dir', true], want: { dir: 'dest', name: 'd' } },
];

for (const c of cases) {
  test(c.name, () => {
    const run = () => copyTarget({ isDir: c.src[0], path: c.src[1] }, { path: c.dest[0], kind: c.dest[1], parentIsDir: c.dest[2] }, { destLabel: c.dest[0] });
    if (typeof c.want === 'string') {
      assert.throws(run, (err: unknown) => kindOf(err) === c.want);
    } else {
      assert.deepEqual(run(), c.want);
    }
  });
}
