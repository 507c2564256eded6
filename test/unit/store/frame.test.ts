// Byte-level recovery rules of the log format, on synthetic frames (no CBOR, no I/O).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { crc32 } from 'node:zlib';
import {
  FILE_HEADER_BYTES,
  FRAME_HEADER_BYTES,
  checkFileHeader,
  encodeFileHeader,
  encodeFrame,
  readFrame,
  scanFrames,
} from '../../../src/store/frame.ts';

type G = Array<[group: number, payloads: string[]]>;

/** A log of whole groups; returns the bytes and each frame's offset. */
function buildLog(groups: G): { buf: Buffer; offsets: number[] } {
  const parts = [encodeFileHeader()];
  const offsets: number[] = [];
  let at = FILE_HEADER_BYTES;
  for (const [group, payloads] of groups) {
    payloads.forEach((p, i) => {
      const f = encodeFrame(Buffer.from(p), group, i === payloads.length - 1);
      offsets.push(at);
      at += f.length;
      parts.push(f);
    });
  }
  return { buf: Buffer.concat(parts), offsets };
}

const payloadsOf = (buf: Buffer) => scanFrames(buf).frames.map((f) => f.payload.toString());

test('a clean log reads back every frame with its group and end flag', () => {
  const { buf } = buildLog([[0, ['a', 'b']], [1, ['c']], [2, ['d', 'e', 'f']]]);
  const r = scanFrames(buf);
  assert.equal(r.damage, undefined);
  assert.equal(r.end, buf.length);
  assert.deepEqual(
    r.frames.map((f) => [f.payload.toString(), f.group, f.endOfGroup]),
    [['a', 0, false], ['b', 0, true], ['c', 1, true], ['d', 2, false], ['e', 2, false], ['f', 2, true]],
  );
});

test('header: good, empty, truncated, bad magic, bad checksum, newer version', () => {
  const good = encodeFileHeader();
  assert.equal(checkFileHeader(good), undefined);
  assert.equal(checkFileHeader(Buffer.alloc(0))?.problem, 'empty');
  assert.equal(checkFileHeader(good.subarray(0, 7))?.problem, 'truncated');
  const magic = Buffer.from(good);
  magic[0] = 0x58;
  assert.equal(checkFileHeader(magic)?.problem, 'magic');
  const sum = Buffer.from(good);
  sum[13]! ^= 1;
  assert.equal(checkFileHeader(sum)?.problem, 'checksum');
  const newer = Buffer.from(good);
  newer.writeUInt16LE(2, 8);
  newer.writeUInt32LE(crc32(newer.subarray(0, 12)), 12);
  assert.equal(checkFileHeader(newer)?.problem, 'version');
});

test('every cut inside the last group is a torn tail back to the group start', () => {
  const { buf, offsets } = buildLog([[0, ['first']], [1, ['x1', 'x2', 'x3']]]);
  const groupStart = offsets[1]!;
  for (let cut = groupStart; cut < buf.length; cut++) {
    const r = scanFrames(buf.subarray(0, cut));
    assert.deepEqual(payloadsOf(buf.subarray(0, cut)), ['first'], `cut at ${cut}`);
    assert.equal(r.end, groupStart, `cut at ${cut}`);
    if (cut > groupStart) assert.equal(r.damage?.kind, 'torn-tail', `cut at ${cut}`);
  }
});

test('garbage or zeros appended after the last group are a torn tail', () => {
  const { buf } = buildLog([[0, ['a']], [1, ['b']]]);
  for (const tail of [Buffer.alloc(4096), Buffer.from('garbage that is not a frame at all')]) {
    const r = scanFrames(Buffer.concat([buf, tail]));
    assert.equal(r.damage?.kind, 'torn-tail');
    assert.equal(r.end, buf.length);
    assert.deepEqual(r.frames.length, 2);
  }
});

test('damage inside the last group with later frames of that same group is still a torn tail', () => {
  // Pages of the last, unsynced write can reach the disk out of order on power loss.
  const { buf, offsets } = buildLog([[0, ['a']], [1, ['b1', 'b2', 'b3']]]);
  const bad = Buffer.from(buf);
  bad[offsets[1]! + FRAME_HEADER_BYTES]! ^= 0xff; // first frame of group 1
  const r = scanFrames(bad);
  assert.equal(r.damage?.kind, 'torn-tail');
  assert.equal(r.end, offsets[1]);
  assert.deepEqual(payloadsOf(bad), ['a']);
});

test('damage followed by a later group is corrupt-middle, whichever frame is hit', () => {
  const { buf, offsets } = buildLog([[0, ['a']], [1, ['b1', 'b2']], [2, ['c']], [3, ['d']]]);
  // b2 ends group 1; hitting it loses the end flag too, yet group 2 proves group 1 was synced.
  for (const [i, name] of [[0, 'a'], [1, 'b1'], [2, 'b2'], [3, 'c']] as const) {
    for (const where of ['length', 'payload', 'checksum'] as const) {
      const bad = Buffer.from(buf);
      const at = offsets[i]! + (where === 'length' ? 1 : where === 'checksum' ? 9 : FRAME_HEADER_BYTES);
      bad[at]! ^= 0x5a;
      const r = scanFrames(bad);
      assert.equal(r.damage?.kind, 'corrupt-middle', `${where} of ${name}`);
      assert.equal(r.damage.offset, offsets[i], `${where} of ${name}`);
      assert.equal(r.end, offsets[i]);
      assert.ok((r.damage.laterFrameOffset ?? 0) > offsets[i]!);
    }
  }
});

test('readFrame rejects zero and oversized lengths', () => {
  const zero = Buffer.concat([encodeFileHeader(), Buffer.alloc(FRAME_HEADER_BYTES)]);
  assert.equal(typeof readFrame(zero, FILE_HEADER_BYTES), 'string');
  const huge = Buffer.concat([encodeFileHeader(), Buffer.from([0xff, 0xff, 0xff, 0x7f]), Buffer.alloc(100)]);
  assert.match(String(readFrame(huge, FILE_HEADER_BYTES)), /out of range/);
  assert.throws(() => encodeFrame(Buffer.alloc(0), 0, true), RangeError);
});
