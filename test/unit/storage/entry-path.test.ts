import { test } from 'node:test';
import assert from 'node:assert/strict';
import { entryComponents, memberComponents, whiteoutAction } from '../../../src/storage/tar/entry-path.ts';
import { detectCompression } from '../../../src/storage/decompress.ts';

const paths: Array<[string, string[] | 'refuse']> = [
  ['a/b', ['a', 'b']],
  ['./a//b/', ['a', 'b']],
  ['./', []],
  ['.', []],
  ['/etc/passwd', 'refuse'],
  ['../x', 'refuse'],
  ['a/../../x', 'refuse'],
  ['a/..', 'refuse'],
  ['a\0b', 'refuse'],
  ['..a/b..', ['..a', 'b..']],
];
test('memberComponents: an absolute member name counts from the layer root', () => {
  assert.deepEqual(memberComponents('/'), []);
  assert.deepEqual(memberComponents('/etc/passwd'), ['etc', 'passwd']);
  assert.deepEqual(memberComponents('//a/./b'), ['a', 'b']);
  assert.throws(() => memberComponents('/../x'), { kind: 'invalid-argument' });
});

for (const [name, want] of paths) {
  test(`entryComponents ${JSON.stringify(name)}`, () => {
    if (want === 'refuse') assert.throws(() => entryComponents(name), { kind: 'invalid-argument' });
    else assert.deepEqual(entryComponents(name), want);
  });
}

const whiteouts: Array<[string[], ReturnType<typeof whiteoutAction> | 'refuse']> = [
  [['etc', 'passwd'], { kind: 'none' }],
  [['etc', '.wh.passwd'], { kind: 'whiteout', target: ['etc', 'passwd'] }],
  [['.wh.top'], { kind: 'whiteout', target: ['top'] }],
  [['d', '.wh..wh..opq'], { kind: 'opaque', dir: ['d'] }],
  [['.wh..wh..opq'], { kind: 'opaque', dir: [] }],
  [['d', '.wh..wh.plnk'], { kind: 'ignore' }],
  [['d', '.wh...'], 'refuse'],
  [['d', '.wh.'], 'refuse'],
  [['d', '.wh..'], 'refuse'],
];
for (const [parts, want] of whiteouts) {
  test(`whiteoutAction ${parts.join('/')}`, () => {
    if (want === 'refuse') assert.throws(() => whiteoutAction(parts), { kind: 'invalid-argument' });
    else assert.deepEqual(whiteoutAction(parts), want);
  });
}

test('detectCompression', () => {
  assert.equal(detectCompression(Buffer.from([0x1f, 0x8b, 8, 0])), 'gzip');
  assert.equal(detectCompression(Buffer.from([0x28, 0xb5, 0x2f, 0xfd])), 'zstd');
  assert.equal(detectCompression(Buffer.from('ustar')), 'none');
  assert.equal(detectCompression(Buffer.alloc(0)), 'none');
});
