import { test } from 'node:test';
import assert from 'node:assert/strict';
import { alignTabbed, charCount, formatTable } from '../../../../src/cli/format/table.ts';

const cases = [
  {
    name: 'columns as wide as the widest cell, 3 spaces apart, last column unpadded',
    headers: ['REPOSITORY', 'TAG', 'IMAGE ID'],
    rows: [['busybox', 'latest', 'abc123def456'], ['a', 'v1', 'x']],
    want: 'REPOSITORY   TAG      IMAGE ID\nbusybox      latest   abc123def456\na            v1       x\n',
  },
  { name: 'no rows prints the header', headers: ['DRIVER', 'VOLUME NAME'], rows: [], want: 'DRIVER   VOLUME NAME\n' },
  { name: 'empty last cell leaves no trailing spaces', headers: ['A', 'B'], rows: [['x', '']], want: 'A   B\nx\n' },
  { name: 'width counts characters', headers: ['N', 'M'], rows: [['ü', 'z']], want: 'N   M\nü   z\n' },
  { name: 'a character outside the BMP (two UTF-16 units) counts once', headers: ['N', 'M'], rows: [['\u{1F600}x', 'z'], ['ab', 'y']], want: 'N    M\n\u{1F600}x   z\nab   y\n' },
];
for (const c of cases) test(c.name, () => assert.equal(formatTable(c.headers, c.rows), c.want));

test('charCount counts code points, a lone surrogate as one', () => {
  assert.equal(charCount('abc'), 3);
  assert.equal(charCount('\u{1F600}\u{1F600}a'), 3);
  assert.equal(charCount('a\uD800b'), 3);
});
test('no headers and no rows is empty', () => assert.equal(formatTable(undefined, []), ''));
test('alignTabbed splits on tabs', () => assert.equal(alignTabbed(['ID\tNAME', '1\tweb']), 'ID   NAME\n1    web\n'));
