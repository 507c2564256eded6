import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatImageSize, formatPercent, formatStatsSize } from '../../../../src/cli/format/size.ts';

const image = [
  { bytes: 0, want: '0B' },
  { bytes: 1023, want: '1023B' },
  { bytes: 1024, want: '1.000KB' },
  { bytes: 1536, want: '1.500KB' },
  { bytes: 1314914, want: '1.254MB' },
  { bytes: 1024 ** 3 * 2.5, want: '2.500GB' },
];
for (const c of image) test(`formatImageSize(${c.bytes}) = ${c.want}`, () => assert.equal(formatImageSize(c.bytes), c.want));

const stats = [
  { bytes: 512, want: '512B' },
  { bytes: 1024 * 12.5, want: '12.50KiB' },
  { bytes: 1024 ** 2 * 100, want: '100.00MiB' },
  { bytes: 1024 ** 3 * 23.4, want: '23.40GiB' },
];
for (const c of stats) test(`formatStatsSize(${c.bytes}) = ${c.want}`, () => assert.equal(formatStatsSize(c.bytes), c.want));

test('formatPercent', () => {
  assert.equal(formatPercent(0.1234), '12.34%');
  assert.equal(formatPercent(0), '0.00%');
  assert.equal(formatPercent(Number.NaN), '0.00%');
});
