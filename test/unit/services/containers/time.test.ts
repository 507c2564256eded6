import { test } from 'node:test';
import assert from 'node:assert/strict';
import { localRfc3339, timeMs } from '../../../../src/services/containers/time.ts';

test('localRfc3339: the daemon TZ offset, the fraction kept, the same instant; zero time as it is', () => {
  const saved = process.env['TZ'];
  try {
    process.env['TZ'] = 'Asia/Kolkata';
    assert.equal(localRfc3339('2026-12-06T23:30:01.123456000Z'), '2026-12-07T05:00:01.123456000+05:30');
    process.env['TZ'] = 'America/St_Johns'; // -03:30 in December
    assert.equal(localRfc3339('2026-12-06T23:30:01Z'), '2026-12-06T20:00:01-03:30');
    process.env['TZ'] = 'Pacific/Chatham'; // +13:45 in December (daylight time)
    const s = localRfc3339('2026-12-06T23:30:01.5Z');
    assert.equal(s, '2026-12-07T13:15:01.5+13:45');
    assert.equal(timeMs(s), timeMs('2026-12-06T23:30:01.5Z'));
    process.env['TZ'] = 'Etc/GMT';
    assert.equal(localRfc3339('2026-12-06T23:30:01.000000001Z'), '2026-12-06T23:30:01.000000001+00:00');
    assert.equal(localRfc3339('0001-01-01T00:00:00Z'), '0001-01-01T00:00:00Z');
    assert.equal(localRfc3339('garbage'), 'garbage');
  } finally {
    if (saved === undefined) delete process.env['TZ'];
    else process.env['TZ'] = saved;
  }
});

test('parseTzif/tableOffset: the table as glibc uses it; past a table without a footer the last entry stays', async () => {
  const { parseTzif, tableOffset } = await import('../../../../src/util/local-offset.ts');
  // a version 1 file: types 0 = -03:30 std, 1 = -02:30 dst; transitions at 1000 (dst) and 2000 (std)
  const build = (at: number[], idx: number[]) => {
    const h = Buffer.alloc(44);
    h.write('TZif', 0, 'latin1');
    h.writeUInt32BE(at.length, 32);
    h.writeUInt32BE(2, 36);
    h.writeUInt32BE(8, 40);
    const body = Buffer.alloc(at.length * 5 + 12 + 8);
    let p = 0;
    for (const t of at) { body.writeInt32BE(t, p); p += 4; }
    for (const i of idx) body[p++] = i;
    body.writeInt32BE(-12600, p); body[p + 4] = 0; body[p + 5] = 0; p += 6;
    body.writeInt32BE(-9000, p); body[p + 4] = 1; body[p + 5] = 4; p += 6;
    body.write('NST\0NDT\0', p, 'latin1');
    return Buffer.concat([h, body]);
  };
  const t = parseTzif(build([1000, 2000], [1, 0]));
  assert.ok(t);
  assert.equal(tableOffset(t, 0), -12600);
  assert.equal(tableOffset(t, 1500), -9000);
  assert.equal(tableOffset(t, 99999), -12600);
  const dstLast = parseTzif(build([1000], [1]));
  assert.ok(dstLast);
  assert.equal(tableOffset(dstLast, 99999), -9000, 'no footer: the last entry stays');
  assert.equal(parseTzif(Buffer.from('not a zone file, long enough to be read as a header....')), undefined);
});
