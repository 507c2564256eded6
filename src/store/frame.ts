// The log file's byte layout: a 16-byte file header, then frames. Pure functions over buffers, no
// I/O, so recovery rules can be tested byte by byte. Layout and rules: docs/store-format.md.
//
//   header: "ISULADST" | u16 version | u16 reserved (0) | u32 crc32(bytes 0..12)
//   frame:  u32 len | u32 group | u32 crc32(bytes 0..8 ++ payload) | payload (len bytes, CBOR)
//           the top bit of `len` marks the last frame of a commit group
//
// A commit group is the set of frames written by one write+fdatasync. A group is only acknowledged
// after its fdatasync, and the next group is written only after that, so at most one group (the
// last) can be torn by a crash. That is what lets recovery tell a torn tail from real corruption.
import { crc32 } from './crc32.ts';

export const MAGIC = Buffer.from('ISULADST', 'latin1');
export const FORMAT_VERSION = 1;
export const FILE_HEADER_BYTES = 16;
export const FRAME_HEADER_BYTES = 12;
/** Frames larger than this are rejected when written and treated as garbage when read. */
export const MAX_PAYLOAD_BYTES = 64 * 1024 * 1024;
const END_OF_GROUP = 0x80000000;

export function encodeFileHeader(): Buffer {
  const b = Buffer.alloc(FILE_HEADER_BYTES);
  MAGIC.copy(b, 0);
  b.writeUInt16LE(FORMAT_VERSION, 8);
  b.writeUInt16LE(0, 10);
  b.writeUInt32LE(crc32(b.subarray(0, 12)), 12);
  return b;
}

export type HeaderProblem = 'empty' | 'truncated' | 'magic' | 'checksum' | 'version';

/** undefined when the header is good; otherwise what is wrong with it. */
export function checkFileHeader(buf: Uint8Array): { problem: HeaderProblem; detail: string } | undefined {
  if (buf.length === 0) return { problem: 'empty', detail: 'file is empty' };
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  if (b.length < FILE_HEADER_BYTES) {
    return { problem: 'truncated', detail: `file header truncated (${b.length} of ${FILE_HEADER_BYTES} bytes)` };
  }
  if (!b.subarray(0, 8).equals(MAGIC)) return { problem: 'magic', detail: 'bad magic: not a state store log' };
  if (b.readUInt32LE(12) !== crc32(b.subarray(0, 12))) return { problem: 'checksum', detail: 'file header checksum mismatch' };
  const version = b.readUInt16LE(8);
  if (version !== FORMAT_VERSION) {
    return { problem: 'version', detail: `format version ${version}, this build reads ${FORMAT_VERSION}` };
  }
  return undefined;
}

/** One frame, header included, ready to append. */
export function encodeFrame(payload: Uint8Array, group: number, endOfGroup: boolean): Buffer {
  if (payload.length === 0 || payload.length > MAX_PAYLOAD_BYTES) {
    throw new RangeError(`frame payload of ${payload.length} bytes is out of range`);
  }
  const b = Buffer.allocUnsafe(FRAME_HEADER_BYTES + payload.length);
  b.writeUInt32LE((payload.length | (endOfGroup ? END_OF_GROUP : 0)) >>> 0, 0);
  b.writeUInt32LE(group >>> 0, 4);
  b.set(payload, FRAME_HEADER_BYTES);
  b.writeUInt32LE(frameChecksum(b, 0, payload.length), 8);
  return b;
}

function frameChecksum(b: Buffer, offset: number, len: number): number {
  const head = crc32(b.subarray(offset, offset + 8));
  const start = offset + FRAME_HEADER_BYTES;
  return crc32(b.subarray(start, start + len), head);
}

export interface Frame {
  offset: number;
  /** offset just past this frame */
  next: number;
  group: number;
  endOfGroup: boolean;
  payload: Buffer;
}

/** The frame at `offset`, or why there is none (short, length out of range, checksum). */
export function readFrame(buf: Buffer, offset: number): Frame | string {
  const left = buf.length - offset;
  if (left < FRAME_HEADER_BYTES) return `incomplete frame header (${left} bytes)`;
  const word = buf.readUInt32LE(offset);
  const len = (word & ~END_OF_GROUP) >>> 0;
  if (len === 0 || len > MAX_PAYLOAD_BYTES) return `frame length ${len} out of range`;
  if (len > left - FRAME_HEADER_BYTES) return `incomplete frame (${left - FRAME_HEADER_BYTES} of ${len} payload bytes)`;
  if (buf.readUInt32LE(offset + 8) !== frameChecksum(buf, offset, len)) return 'frame checksum mismatch';
  const start = offset + FRAME_HEADER_BYTES;
  return {
    offset,
    next: start + len,
    group: buf.readUInt32LE(offset + 4),
    endOfGroup: (word & END_OF_GROUP) !== 0,
    payload: buf.subarray(start, start + len),
  };
}

export interface Damage {
  /** offset of the first frame that does not read back */
  offset: number;
  reason: string;
  /**
   * torn-tail: nothing committed after the damage, only (part of) the last, unacknowledged group.
   * corrupt-middle: a later commit group follows, so the damaged bytes had been acknowledged.
   */
  kind: 'torn-tail' | 'corrupt-middle';
  /** for corrupt-middle: where the first valid frame of a later group starts */
  laterFrameOffset?: number;
}

export interface ScanResult {
  /** the frames of the committed prefix, in order */
  frames: Frame[];
  /** where the committed prefix ends; the file may be truncated here */
  end: number;
  damage?: Damage;
}

/**
 * Walks the frames after the file header. The result's prefix holds complete groups only: a group
 * whose end-of-group frame is missing was never fdatasync'd, so it was never acknowledged and is
 * dropped as part of the torn tail.
 */
export function scanFrames(buf: Buffer): ScanResult {
  const frames: Frame[] = [];
  let offset = FILE_HEADER_BYTES;
  let damage: Damage | undefined;
  while (offset < buf.length) {
    const f = readFrame(buf, offset);
    if (typeof f === 'string') {
      damage = classifyDamage(buf, offset, f, frames[frames.length - 1]);
      break;
    }
    frames.push(f);
    offset = f.next;
  }
  if (damage?.kind === 'corrupt-middle') return { frames, end: offset, damage };
  // Cut an incomplete last group (no end-of-group frame) back to its first frame.
  let keep = frames.length;
  while (keep > 0 && !frames[keep - 1]!.endOfGroup) keep--;
  if (keep < frames.length) {
    const cut = frames[keep]!.offset;
    damage ??= { offset: cut, reason: 'last commit group has no end frame', kind: 'torn-tail' };
    damage.offset = Math.min(damage.offset, cut);
    return { frames: frames.slice(0, keep), end: cut, damage };
  }
  return { frames, end: offset, damage };
}

// The damaged frame belongs to group G: the previous frame's group if that group was still open,
// else the next one. Any valid frame further on from a group other than G proves that G had been
// completed and synced before it, so the damage hit acknowledged data.
function classifyDamage(buf: Buffer, offset: number, reason: string, prev: Frame | undefined): Damage {
  const damagedGroup = prev === undefined ? 0 : prev.endOfGroup ? prev.group + 1 : prev.group;
  let p = offset + 1;
  while (p + FRAME_HEADER_BYTES <= buf.length) {
    const f = readFrame(buf, p);
    if (typeof f === 'string') {
      p++;
      continue;
    }
    if (f.group !== damagedGroup) return { offset, reason, kind: 'corrupt-middle', laterFrameOffset: p };
    p = f.next;
  }
  return { offset, reason, kind: 'torn-tail' };
}
