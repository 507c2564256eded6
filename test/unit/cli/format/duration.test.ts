import { test } from 'node:test';
import assert from 'node:assert/strict';
import { humanDuration, timeAgo, upFor } from '../../../../src/cli/format/duration.ts';

const S = 1000, M = 60 * S, H = 60 * M, D = 24 * H;
const cases = [
  { ms: 0, want: 'Less than a second' },
  { ms: 999, want: 'Less than a second' },
  { ms: 1000, want: '1 second' },
  { ms: 3 * S, want: '3 seconds' },
  { ms: 59 * S, want: '59 seconds' },
  { ms: 60 * S, want: 'About a minute' },
  { ms: 119 * S, want: 'About a minute' },
  { ms: 2 * M, want: '2 minutes' },
  { ms: 59 * M, want: '59 minutes' },
  { ms: 60 * M, want: 'About an hour' },
  { ms: 2 * H, want: '2 hours' },
  { ms: 47 * H, want: '47 hours' },
  { ms: 3 * D, want: '3 days' },
  { ms: 15 * D, want: '2 weeks' },
  { ms: 90 * D, want: '3 months' },
  { ms: 800 * D, want: '2 years' },
  { ms: -5 * S, want: 'Less than a second' },
];
for (const c of cases) test(`humanDuration(${c.ms}) = ${c.want}`, () => assert.equal(humanDuration(c.ms), c.want));

test('timeAgo and upFor', () => {
  assert.equal(timeAgo(1_000_000, 1_000_000 + 5 * M), '5 minutes ago');
  assert.equal(upFor(0, 3 * S), 'Up 3 seconds');
});
