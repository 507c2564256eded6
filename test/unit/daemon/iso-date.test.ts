import assert from 'node:assert/strict';
import { test } from 'node:test';
import { installIsoDate, isoString } from '../../../src/daemon/iso-date.ts';

const builtin = Date.prototype.toISOString;

const times = [
  0, 1, -1, 999, 1000, 86_399_999, 86_400_000, Date.UTC(2026, 11, 6, 23, 59, 59, 999), Date.UTC(2024, 1, 29, 12),
  Date.UTC(1969, 11, 31, 23, 59, 59, 1), Date.UTC(9999, 11, 31, 23, 59, 59, 999), Date.UTC(10000, 0, 1),
  Date.UTC(-1, 0, 1), Date.UTC(0, 0, 1) - 1, 8.64e15, -8.64e15, -62198755200000, 253402300800000,
];

test('isoString formats exactly as the builtin toISOString, years outside 0-9999 included', () => {
  for (const t of times) assert.equal(isoString(new Date(t)), builtin.call(new Date(t)), String(t));
  // a spread of ordinary times
  for (let t = -4e12; t < 4e12; t += 7_654_321_987) assert.equal(isoString(new Date(t)), builtin.call(new Date(t)));
});

test('an invalid date throws RangeError, as the builtin does', () => {
  assert.throws(() => isoString(new Date(NaN)), RangeError);
  assert.throws(() => builtin.call(new Date(NaN)), RangeError);
});

test('installIsoDate replaces toISOString and toJSON follows; non-dates still get the TypeError', () => {
  const saved = Object.getOwnPropertyDescriptor(Date.prototype, 'toISOString') as PropertyDescriptor;
  try {
    const original = installIsoDate();
    assert.equal(original, builtin);
    assert.notEqual(Date.prototype.toISOString, builtin);
    const d = new Date(Date.UTC(2026, 11, 7, 0, 1, 2, 3));
    assert.equal(d.toISOString(), '2026-12-07T00:01:02.003Z');
    assert.equal(JSON.stringify({ d }), '{"d":"2026-12-07T00:01:02.003Z"}');
    assert.throws(() => Date.prototype.toISOString.call({} as Date), TypeError);
  } finally {
    Object.defineProperty(Date.prototype, 'toISOString', saved);
  }
});
