// The portable CRC-32 (for Node builds without zlib.crc32) must equal zlib's, chained or not.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import * as zlib from 'node:zlib';
import { crc32, crc32Portable } from '../../../src/store/crc32.ts';

test('portable crc32 equals zlib.crc32, including chained calls', () => {
  assert.equal(crc32Portable(Buffer.from('123456789')), 0xcbf43926); // the standard check value
  assert.equal(crc32Portable(new Uint8Array(0)), 0);
  for (const size of [1, 7, 64, 1000, 70_000]) {
    const data = randomBytes(size);
    assert.equal(crc32Portable(data), zlib.crc32(data), `size ${size}`);
    const cut = Math.floor(size / 3);
    assert.equal(crc32Portable(data.subarray(cut), crc32Portable(data.subarray(0, cut))), zlib.crc32(data), `chained ${size}`);
    assert.equal(crc32(data), zlib.crc32(data));
  }
});
