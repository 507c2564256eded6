// Frame payloads: a CBOR array of ops, each op itself a CBOR array:
//   put    = [kindNumber, id, value]
//   delete = [kindNumber, id]
//   patch  = [kindNumber, id, null, changes]   (a re-put written as a delta, see patch.ts)
// An id of exactly 64 lower-case hex digits (container, image and layer ids) travels as a 32-byte
// CBOR byte string: 33 bytes saved on every op that names it. Any other id is a text string.
// Ops are encoded one by one (so each op's size is known for the live-bytes estimate) and joined
// under one array header. cbor-x is loaded on first open, not at import: the CLI never pays for it.
import type { Decoder, Encoder } from 'cbor-x';
import { kindFromNumber, kindNumber } from './kinds.ts';
import type { Patch } from './patch.ts';
import type { RecordKind, StoreOp } from './types.ts';
import { invalidArgument } from '../util/errors.ts';

export interface Codec {
  encoder: Encoder;
  decoder: Decoder;
}

let loaded: Promise<Codec> | undefined;

export function loadCodec(): Promise<Codec> {
  loaded ??= import('cbor-x').then((m) => {
    // No record extension: a log frame must decode on its own, without structures from earlier
    // frames. variableMapSize: small objects get 1-byte map headers (smaller on flash).
    const options = { useRecords: false, variableMapSize: true } as const;
    return { encoder: new m.Encoder(options), decoder: new m.Decoder(options) };
  });
  return loaded;
}

/** An op as applied to memory: values already decoded from their bytes and frozen. */
export type AppliedOp =
  | { type: 'put'; kind: RecordKind; id: string; value: unknown; size: number }
  | { type: 'delete'; kind: RecordKind; id: string }
  /** size: the full record's encoded size when known (live writes); replay keeps the old size */
  | { type: 'patch'; kind: RecordKind; id: string; patch: Patch; size?: number };

/** Encodes one op; throws invalid-argument for unknown kinds, bad ids, unencodable values. */
export function encodeOp(codec: Codec, op: StoreOp): Buffer {
  const n = kindNumber(op.kind);
  if (n === undefined) throw invalidArgument(`store: unknown record kind ${JSON.stringify(op.kind)}`);
  if (typeof op.id !== 'string' || op.id.length === 0) throw invalidArgument(`store: ${op.kind} id must be a non-empty string`);
  let bytes: Uint8Array;
  try {
    const id = wireId(op.id);
    bytes = codec.encoder.encode(op.op === 'put' ? [n, id, op.value] : [n, id]);
  } catch (err) {
    throw invalidArgument(`store: ${op.kind} ${JSON.stringify(op.id)}: value is not CBOR-encodable`, { cause: err });
  }
  // cbor-x hands out views of a buffer it reuses; copy before the next encode overwrites it.
  return Buffer.from(bytes);
}

/** Encodes a patch op (changes come from diff() over decoded data, so they always encode). */
export function encodePatchOp(codec: Codec, kind: RecordKind, id: string, patch: Patch): Buffer {
  return Buffer.from(codec.encoder.encode([kindNumber(kind), wireId(id), null, patch]));
}

const HEX_ID = /^[0-9a-f]{64}$/;

function wireId(id: string): string | Buffer {
  return HEX_ID.test(id) ? Buffer.from(id, 'hex') : id;
}

function idFromWire(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (v instanceof Uint8Array && v.length === 32) return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex');
  return undefined;
}

/** Decodes one encoded op (as made by encodeOp) back into canonical, frozen form. */
export function decodeOp(codec: Codec, bytes: Uint8Array): AppliedOp {
  return opFromWire(codec.decoder.decode(bytes), 0, bytes.length);
}

/** Joins encoded ops into one payload (a CBOR array). */
export function joinOps(ops: Buffer[]): Buffer {
  return Buffer.concat([cborArrayHeader(ops.length), ...ops]);
}

function cborArrayHeader(n: number): Buffer {
  if (n < 24) return Buffer.from([0x80 + n]);
  if (n < 0x100) return Buffer.from([0x98, n]);
  if (n < 0x10000) {
    const b = Buffer.from([0x99, 0, 0]);
    b.writeUInt16BE(n, 1);
    return b;
  }
  const b = Buffer.from([0x9a, 0, 0, 0, 0]);
  b.writeUInt32BE(n, 1);
  return b;
}

/**
 * Decodes a payload into ops with frozen values. `sizes` (per op encoded length, when known) feeds
 * the live-bytes estimate; otherwise the payload is shared evenly. Throws on anything malformed.
 */
export function decodeOps(codec: Codec, payload: Uint8Array, sizes?: number[]): AppliedOp[] {
  const raw: unknown = codec.decoder.decode(payload);
  if (!Array.isArray(raw) || raw.length === 0) throw new Error('payload is not a non-empty array of ops');
  const even = Math.ceil(payload.length / raw.length);
  return raw.map((item: unknown, i) => opFromWire(item, i, sizes?.[i] ?? even));
}

function opFromWire(item: unknown, i: number, size: number): AppliedOp {
  if (!Array.isArray(item) || item.length < 2 || item.length > 4) throw new Error(`op ${i} is malformed`);
  const kind = kindFromNumber(item[0]);
  const id = idFromWire(item[1]);
  if (kind === undefined || id === undefined) throw new Error(`op ${i} has a bad kind or id`);
  if (item.length === 2) return { type: 'delete', kind, id };
  if (item.length === 3) return { type: 'put', kind, id, value: deepFreeze(item[2]), size };
  const patch: unknown = item[3];
  if (item[2] !== null || !Array.isArray(patch)) throw new Error(`op ${i} is a malformed patch`);
  return { type: 'patch', kind, id, patch: deepFreeze(patch) };
}

/** Freezes plain data in place. Byte arrays cannot be frozen and are left as they are. */
export function deepFreeze<T>(v: T): T {
  if (typeof v !== 'object' || v === null || ArrayBuffer.isView(v)) return v;
  for (const key of Object.keys(v)) deepFreeze((v as Record<string, unknown>)[key]);
  return Object.freeze(v);
}
