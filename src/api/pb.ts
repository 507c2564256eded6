// A small protobuf codec driven by the descriptors the build makes from proto/*.proto (protobufjs's
// JSON form, see scripts/bundle.mjs), for the CLI: no library to load and no code generated at
// run time (protobufjs compiles a function per message type on first use, which cost more than
// the call itself in `isula version`).
//
// It produces what src/api/service-def.ts's protobufjs conversion produces (the daemon's side):
// keepCase names, int64 as decimal strings, enums as numbers, bytes as Buffers, every scalar,
// repeated and map field present with its default, absent sub-messages null. Encoding is as
// lenient as protobufjs's fromObject: numbers or strings for integers, enum names or numbers,
// Buffers or base64 for bytes; null and undefined fields are left out.

export interface Descriptor {
  nested?: Record<string, DescriptorNode>;
}

export interface DescriptorNode extends Descriptor {
  fields?: Record<string, { type: string; id: number; rule?: string; keyType?: string }>;
  values?: Record<string, number>;
  methods?: Record<string, { requestType: string; responseType: string; requestStream?: boolean; responseStream?: boolean }>;
}

type Kind = 'message' | 'enum' | 'scalar';

interface Field {
  name: string;
  id: number;
  type: string;
  kind: Kind;
  repeated: boolean;
  keyType: string | undefined;
  /** the message type, for kind 'message' (resolved on first use) */
  message: (() => MessageType) | undefined;
  enumValues: Record<string, number> | undefined;
}

export interface MessageType {
  readonly name: string;
  readonly fields: Field[];
  readonly byId: Map<number, Field>;
}

const SCALARS = new Set([
  'double', 'float', 'int32', 'uint32', 'sint32', 'fixed32', 'sfixed32', 'int64', 'uint64', 'sint64', 'fixed64', 'sfixed64',
  'bool', 'string', 'bytes',
]);

/** Types of one descriptor, looked up by full name ("containers.VersionRequest"). */
export class Registry {
  private readonly nodes = new Map<string, DescriptorNode>();
  private readonly messages = new Map<string, MessageType>();

  constructor(descriptor: Descriptor) {
    const walk = (ns: Descriptor, prefix: string) => {
      for (const [name, node] of Object.entries(ns.nested ?? {})) {
        const full = prefix ? `${prefix}.${name}` : name;
        this.nodes.set(full, node);
        walk(node, full);
      }
    };
    walk(descriptor, '');
  }

  /** protobuf name resolution: `name` as seen from inside `scope`, innermost scope first. */
  resolve(name: string, scope: string): string {
    if (name.startsWith('.')) return name.slice(1);
    const parts = scope ? scope.split('.') : [];
    for (let i = parts.length; i >= 0; i--) {
      const full = [...parts.slice(0, i), name].join('.');
      if (this.nodes.has(full)) return full;
    }
    throw new Error(`proto type ${name} not found from ${scope || '(root)'}`);
  }

  node(full: string): DescriptorNode {
    const n = this.nodes.get(full);
    if (!n) throw new Error(`proto type ${full} not found`);
    return n;
  }

  message(full: string): MessageType {
    const cached = this.messages.get(full);
    if (cached) return cached;
    const node = this.node(full);
    if (!node.fields) throw new Error(`${full} is not a message`);
    const scope = full;
    const fields: Field[] = [];
    for (const [name, f] of Object.entries(node.fields)) {
      let kind: Kind = 'scalar';
      let message: (() => MessageType) | undefined;
      let enumValues: Record<string, number> | undefined;
      if (!SCALARS.has(f.type)) {
        const target = this.resolve(f.type, scope);
        const t = this.node(target);
        if (t.values) {
          kind = 'enum';
          enumValues = t.values;
        } else {
          kind = 'message';
          message = () => this.message(target);
        }
      }
      fields.push({ name, id: f.id, type: f.type, kind, repeated: f.rule === 'repeated', keyType: f.keyType, message, enumValues });
    }
    fields.sort((a, b) => a.id - b.id);
    const type: MessageType = { name: full, fields, byId: new Map(fields.map((f) => [f.id, f])) };
    this.messages.set(full, type);
    return type;
  }
}

// ---------------------------------------------------------------------------------------------
// encoding

class Writer {
  buf = Buffer.allocUnsafe(256);
  pos = 0;

  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  varint(v: number): void {
    // v is a uint32 or a non-negative safe integer
    this.room(10);
    while (v > 0x7f) {
      this.buf[this.pos++] = (v & 0x7f) | 0x80;
      v = v > 0xffffffff ? Math.floor(v / 128) : v >>> 7;
    }
    this.buf[this.pos++] = v;
  }

  varint64(v: bigint): void {
    let u = BigInt.asUintN(64, v);
    this.room(10);
    while (u > 0x7fn) {
      this.buf[this.pos++] = Number(u & 0x7fn) | 0x80;
      u >>= 7n;
    }
    this.buf[this.pos++] = Number(u);
  }

  tag(id: number, wire: number): void {
    this.varint(id * 8 + wire);
  }

  /** a string's UTF-8 bytes, length first, written in place (no Buffer per string) */
  string(s: string): void {
    const n = Buffer.byteLength(s, 'utf8');
    this.varint(n);
    this.room(n);
    if (n > 0) this.buf.write(s, this.pos, n, 'utf8');
    this.pos += n;
  }

  /**
   * Starts a length-delimited region (a sub-message) written in place: one byte is kept for its
   * length, which end() writes, moving the region when the length needs more than one byte.
   */
  begin(): number {
    this.room(1);
    return ++this.pos;
  }

  end(start: number): void {
    const len = this.pos - start;
    let extra = 0;
    for (let v = len; v > 0x7f; v = Math.floor(v / 128)) extra++;
    if (extra > 0) {
      this.room(extra);
      this.buf.copyWithin(start + extra, start, this.pos);
    }
    // the length's varint, in the byte kept for it and the `extra` ones made after it
    let p = start - 1;
    let v = len;
    while (v > 0x7f) {
      this.buf[p++] = (v & 0x7f) | 0x80;
      v = v > 0xffffffff ? Math.floor(v / 128) : v >>> 7;
    }
    this.buf[p] = v;
    this.pos += extra;
  }

  bytes(b: Uint8Array): void {
    this.varint(b.length);
    this.room(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  /** bytes already encoded (tag and length included) */
  raw(b: Uint8Array): void {
    this.room(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  fixed(n: number, write: (buf: Buffer, pos: number) => void): void {
    this.room(n);
    write(this.buf, this.pos);
    this.pos += n;
  }

  finish(): Buffer {
    return this.buf.subarray(0, this.pos);
  }
}

function toBigInt(v: unknown, field: string): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') return BigInt(Math.trunc(v));
  if (typeof v === 'string') return BigInt(v === '' ? 0 : v);
  if (typeof v === 'object' && v !== null && 'low' in v && 'high' in v) {
    const l = v as { low: number; high: number };
    return (BigInt(l.high >>> 0) << 32n) | BigInt(l.low >>> 0);
  }
  throw new TypeError(`${field}: integer expected`);
}

function toBytes(v: unknown, field: string): Uint8Array {
  if (v instanceof Uint8Array) return v;
  if (typeof v === 'string') return Buffer.from(v, 'base64');
  if (Array.isArray(v)) return Buffer.from(v as number[]);
  throw new TypeError(`${field}: buffer expected`);
}

function enumNumber(f: Field, v: unknown): number {
  if (typeof v === 'number') return v | 0;
  const n = f.enumValues?.[String(v)];
  if (n === undefined) throw new TypeError(`${f.name}: enum value expected`);
  return n;
}

/**
 * Sub-message objects whose encoding is kept once made (keepEncoding): null until first encoded,
 * then the bytes with the tag of the field and the type they were encoded as.
 */
const keptBytes = new WeakMap<object, { type: MessageType; id: number; bytes: Buffer } | null>();

/**
 * Marks a message object that will never change so that its bytes, once encoded as a field of
 * some message, are kept (as long as the object lives) and copied as they are the next time.
 * `isula ps -a` sends one Container per container on every call, most of them unchanged since
 * the last call (the daemon keeps one such object per stored record: api/isula/containers.ts).
 */
export function keepEncoding<T extends object>(obj: T): T {
  if (!keptBytes.has(obj)) keptBytes.set(obj, null);
  return obj;
}

/** Writes one value of field f's element type (scalar/enum/message), tag included. */
function writeValue(w: Writer, f: { id: number; type: string; kind: Kind; name: string; message?: () => MessageType; enumValues?: Record<string, number> }, v: unknown): void {
  if (f.kind === 'message') {
    if (typeof v !== 'object' || v === null) throw new TypeError(`${f.name}: object expected`);
    const type = (f.message as () => MessageType)();
    const kept = keptBytes.get(v);
    if (kept !== undefined && kept !== null && kept.type === type && kept.id === f.id) {
      w.raw(kept.bytes);
      return;
    }
    const from = w.pos;
    w.tag(f.id, 2);
    const at = w.begin();
    encodeInto(w, type, v as Record<string, unknown>);
    w.end(at);
    if (kept !== undefined) keptBytes.set(v, { type, id: f.id, bytes: Buffer.from(w.buf.subarray(from, w.pos)) });
    return;
  }
  if (f.kind === 'enum') {
    w.tag(f.id, 0);
    const n = enumNumber(f as Field, v);
    if (n < 0) w.varint64(BigInt(n));
    else w.varint(n);
    return;
  }
  switch (f.type) {
    case 'string':
      w.tag(f.id, 2);
      w.string(typeof v === 'string' ? v : String(v));
      return;
    case 'bytes':
      w.tag(f.id, 2);
      w.bytes(toBytes(v, f.name));
      return;
    case 'bool':
      w.tag(f.id, 0);
      w.varint(v ? 1 : 0);
      return;
    case 'uint32':
      w.tag(f.id, 0);
      w.varint(Number(v) >>> 0);
      return;
    case 'int32': {
      const n = Number(v) | 0;
      w.tag(f.id, 0);
      if (n < 0) w.varint64(BigInt(n));
      else w.varint(n);
      return;
    }
    case 'sint32': {
      const n = Number(v) | 0;
      w.tag(f.id, 0);
      w.varint(((n << 1) ^ (n >> 31)) >>> 0);
      return;
    }
    case 'int64':
    case 'uint64':
      w.tag(f.id, 0);
      // most int64s (sizes, times, counts) are small non-negative: no BigInt for those
      if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) w.varint(v);
      else if (typeof v === 'string' && SMALL_DECIMAL.test(v)) w.varint(Number(v));
      else w.varint64(toBigInt(v, f.name));
      return;
    case 'sint64': {
      const n = BigInt.asIntN(64, toBigInt(v, f.name));
      w.tag(f.id, 0);
      w.varint64((n << 1n) ^ (n >> 63n));
      return;
    }
    case 'double':
      w.tag(f.id, 1);
      w.fixed(8, (b, p) => b.writeDoubleLE(Number(v), p));
      return;
    case 'float':
      w.tag(f.id, 5);
      w.fixed(4, (b, p) => b.writeFloatLE(Number(v), p));
      return;
    case 'fixed32':
      w.tag(f.id, 5);
      w.fixed(4, (b, p) => b.writeUInt32LE(Number(v) >>> 0, p));
      return;
    case 'sfixed32':
      w.tag(f.id, 5);
      w.fixed(4, (b, p) => b.writeInt32LE(Number(v) | 0, p));
      return;
    case 'fixed64':
    case 'sfixed64': {
      const n = BigInt.asUintN(64, toBigInt(v, f.name));
      w.tag(f.id, 1);
      w.fixed(8, (b, p) => b.writeBigUInt64LE(n, p));
      return;
    }
    default:
      throw new TypeError(`${f.name}: unsupported type ${f.type}`);
  }
}

/** a non-negative decimal below 2^53 */
const SMALL_DECIMAL = /^\d{1,15}$/;

export function encodeMessage(type: MessageType, obj: Record<string, unknown>): Buffer {
  const w = new Writer();
  encodeInto(w, type, obj);
  return w.finish();
}

function encodeInto(w: Writer, type: MessageType, obj: Record<string, unknown>): void {
  for (const f of type.fields) {
    const v = obj[f.name];
    if (v === undefined || v === null) continue;
    if (f.keyType !== undefined) {
      if (typeof v !== 'object') throw new TypeError(`${type.name}.${f.name}: object expected`);
      const keyField = { id: 1, type: f.keyType, kind: 'scalar' as const, name: `${f.name} key` };
      const valField = { id: 2, type: f.type, kind: f.kind, name: f.name, message: f.message, enumValues: f.enumValues };
      for (const [k, val] of Object.entries(v as Record<string, unknown>)) {
        const entry = new Writer();
        writeValue(entry, keyField, f.keyType === 'bool' ? k === 'true' : k);
        if (val !== undefined && val !== null) writeValue(entry, valField, val);
        w.tag(f.id, 2);
        w.bytes(entry.finish());
      }
    } else if (f.repeated) {
      if (!Array.isArray(v)) throw new TypeError(`${type.name}.${f.name}: array expected`);
      for (const one of v) writeValue(w, f, one);
    } else {
      writeValue(w, f, v);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// decoding
//
// `isula ps -a` decodes one message per container: with 1000 of them this was most of the CLI's
// time, all of it in code V8 had not optimised yet. So each message type gets a decode plan on
// first use (a field table indexed by field number, each field's wire type and a small type
// code, an object of defaults copied per message), and the reader reads one-byte varints and
// strings without the generic paths (Buffer#toString checks its encoding argument every call).

/** the small integer each scalar type is switched on by the decoder */
const TYPE_CODE: Record<string, number> = {
  string: 0, bytes: 1, bool: 2, uint32: 3, int32: 4, sint32: 5, uint64: 6, int64: 7, sint64: 8,
  double: 9, float: 10, fixed32: 11, sfixed32: 12, fixed64: 13, sfixed64: 14,
};
const T_ENUM = 15;
const T_MESSAGE = 16;

interface DecodeField {
  name: string;
  code: number;
  /** the wire type a non-repeated field of this type comes as */
  wire: number;
  /** map<,> fields: the key's type code */
  keyCode: number | undefined;
  repeated: boolean;
  /** scalar or enum: may come packed */
  packable: boolean;
  message: (() => MessageType) | undefined;
}

interface DecodePlan {
  table: (DecodeField | undefined)[];
  /** every field at its default, copied for each decoded message */
  defaults: Record<string, unknown>;
  /** fields whose default is a fresh object (repeated, map, bytes) */
  fresh: DecodeField[];
}

const plans = new WeakMap<MessageType, DecodePlan>();

function wireOf(code: number): number {
  if (code === T_ENUM || code <= 8) return code <= 1 ? 2 : 0;
  if (code === T_MESSAGE) return 2;
  if (code === 9 || code === 13 || code === 14) return 1;
  return 5;
}

function planOf(type: MessageType): DecodePlan {
  let plan = plans.get(type);
  if (plan) return plan;
  const table: (DecodeField | undefined)[] = [];
  const defaults: Record<string, unknown> = {};
  const fresh: DecodeField[] = [];
  for (const f of type.fields) {
    const code = f.kind === 'message' ? T_MESSAGE : f.kind === 'enum' ? T_ENUM : TYPE_CODE[f.type];
    if (code === undefined) throw new Error(`unsupported type ${f.type}`);
    const keyCode = f.keyType === undefined ? undefined : TYPE_CODE[f.keyType];
    if (f.keyType !== undefined && keyCode === undefined) throw new Error(`unsupported map key type ${f.keyType}`);
    const d: DecodeField = {
      name: f.name, code, wire: wireOf(code), keyCode, repeated: f.repeated,
      packable: code === T_ENUM || (code >= 2 && code <= 14), message: f.message,
    };
    table[f.id] = d;
    defaults[f.name] = defaultOf(f);
    if (f.keyType !== undefined || f.repeated || code === 1) fresh.push(d);
  }
  plan = { table, defaults, fresh };
  plans.set(type, plan);
  return plan;
}

const utf8Slice = (Buffer.prototype as unknown as { utf8Slice?: (this: Buffer, start: number, end: number) => string }).utf8Slice;

class Reader {
  pos: number;
  readonly end: number;
  readonly buf: Buffer;
  /** the high 32 bits of the last varint() */
  hi = 0;

  constructor(buf: Buffer, start = 0, end = buf.length) {
    this.buf = buf;
    this.pos = start;
    this.end = end;
  }

  /** Reads a varint: returns the low 32 bits (unsigned), leaves the high ones in this.hi. */
  varint(): number {
    if (this.pos < this.end) {
      const b = this.buf[this.pos] as number;
      if (b < 0x80) {
        this.pos++;
        this.hi = 0;
        return b;
      }
    }
    let lo = 0;
    let hi = 0;
    let shift = 0;
    for (;;) {
      if (this.pos >= this.end) throw new RangeError('index out of range');
      const b = this.buf[this.pos++] as number;
      if (shift < 28) lo |= (b & 0x7f) << shift;
      else if (shift === 28) {
        lo |= (b & 0x0f) << 28;
        hi |= (b & 0x7f) >> 4;
      } else if (shift < 64) hi |= (b & 0x7f) << (shift - 32);
      shift += 7;
      if ((b & 0x80) === 0) break;
      if (shift >= 70) throw new Error('invalid varint encoding');
    }
    this.hi = hi >>> 0;
    return lo >>> 0;
  }

  bigint(): bigint {
    const lo = this.varint();
    return (BigInt(this.hi) << 32n) | BigInt(lo);
  }

  len(): number {
    const n = this.varint();
    if (this.pos + n > this.end) throw new RangeError('index out of range');
    return n;
  }

  string(): string {
    const n = this.len();
    const at = this.pos;
    this.pos += n;
    if (n === 0) return '';
    return utf8Slice ? utf8Slice.call(this.buf, at, at + n) : this.buf.toString('utf8', at, at + n);
  }

  skip(wire: number): void {
    switch (wire) {
      case 0:
        this.varint();
        return;
      case 1:
        this.pos += 8;
        break;
      case 2: {
        // not `this.pos += this.len()`: that adds to pos as it was before the length was read
        const n = this.len();
        this.pos += n;
        return;
      }
      case 5:
        this.pos += 4;
        break;
      case 3:
        for (;;) {
          const t = this.varint();
          if ((t & 7) === 4) return;
          this.skip(t & 7);
        }
      default:
        throw new Error(`invalid wire type ${wire}`);
    }
    if (this.pos > this.end) throw new RangeError('index out of range');
  }
}

function defaultOf(f: Pick<Field, 'keyType' | 'repeated' | 'kind' | 'type'>): unknown {
  if (f.keyType !== undefined) return {};
  if (f.repeated) return [];
  if (f.kind === 'message') return null;
  if (f.kind === 'enum') return 0;
  switch (f.type) {
    case 'string':
      return '';
    case 'bytes':
      return Buffer.alloc(0);
    case 'bool':
      return false;
    case 'int64':
    case 'uint64':
    case 'sint64':
    case 'fixed64':
    case 'sfixed64':
      return '0';
    default:
      return 0;
  }
}

/** a map entry's key or value before it is read: the type's default */
function defaultOfCode(code: number): unknown {
  if (code === 0) return '';
  if (code === 1) return Buffer.alloc(0);
  if (code === 2) return false;
  if (code === T_MESSAGE) return null;
  if (code >= 6 && code <= 8) return '0';
  if (code === 13 || code === 14) return '0';
  return 0;
}

function readValue(r: Reader, code: number, message: (() => MessageType) | undefined): unknown {
  switch (code) {
    case 0:
      return r.string();
    case T_MESSAGE: {
      const n = r.len();
      const v = decodeFrom((message as () => MessageType)(), new Reader(r.buf, r.pos, r.pos + n));
      r.pos += n;
      return v;
    }
    case T_ENUM:
      return r.varint() | 0;
    case 1: {
      const n = r.len();
      const b = r.buf.subarray(r.pos, r.pos + n);
      r.pos += n;
      return b;
    }
    case 2:
      return r.varint() !== 0 || r.hi !== 0;
    case 3:
      return r.varint();
    case 4:
      return r.varint() | 0;
    case 5: {
      const u = r.varint();
      return (u >>> 1) ^ -(u & 1);
    }
    case 6: {
      const lo = r.varint();
      return r.hi === 0 ? String(lo) : ((BigInt(r.hi) << 32n) | BigInt(lo)).toString();
    }
    case 7: {
      const lo = r.varint();
      return r.hi === 0 ? String(lo) : BigInt.asIntN(64, (BigInt(r.hi) << 32n) | BigInt(lo)).toString();
    }
    case 8: {
      const u = r.bigint();
      return ((u >> 1n) ^ -(u & 1n)).toString();
    }
    case 9: {
      const v = r.buf.readDoubleLE(r.pos);
      r.pos += 8;
      return v;
    }
    case 10: {
      const v = r.buf.readFloatLE(r.pos);
      r.pos += 4;
      return v;
    }
    case 11: {
      const v = r.buf.readUInt32LE(r.pos);
      r.pos += 4;
      return v;
    }
    case 12: {
      const v = r.buf.readInt32LE(r.pos);
      r.pos += 4;
      return v;
    }
    case 13: {
      const v = r.buf.readBigUInt64LE(r.pos);
      r.pos += 8;
      return v.toString();
    }
    case 14: {
      const v = r.buf.readBigInt64LE(r.pos);
      r.pos += 8;
      return v.toString();
    }
    default:
      throw new Error(`unsupported type code ${code}`);
  }
}

function decodeFrom(type: MessageType, r: Reader): Record<string, unknown> {
  const plan = planOf(type);
  const out: Record<string, unknown> = { ...plan.defaults };
  for (const f of plan.fresh) out[f.name] = f.keyCode !== undefined ? {} : f.repeated ? [] : Buffer.alloc(0);
  const table = plan.table;
  while (r.pos < r.end) {
    const tag = r.varint();
    const wire = tag & 7;
    const f = r.hi === 0 ? table[tag >>> 3] : undefined;
    if (f === undefined) {
      r.skip(wire);
      continue;
    }
    if (f.keyCode !== undefined) {
      const n = r.len();
      const er = new Reader(r.buf, r.pos, r.pos + n);
      r.pos += n;
      let key: unknown = defaultOfCode(f.keyCode);
      let val: unknown = defaultOfCode(f.code);
      while (er.pos < er.end) {
        const t = er.varint();
        if (t >>> 3 === 1) key = readValue(er, f.keyCode, undefined);
        else if (t >>> 3 === 2) val = readValue(er, f.code, f.message);
        else er.skip(t & 7);
      }
      (out[f.name] as Record<string, unknown>)[String(key)] = val;
    } else if (f.repeated) {
      const list = out[f.name] as unknown[];
      if (f.packable && wire === 2) {
        const n = r.len();
        const pr = new Reader(r.buf, r.pos, r.pos + n);
        r.pos += n;
        while (pr.pos < pr.end) list.push(readValue(pr, f.code, f.message));
      } else list.push(readValue(r, f.code, f.message));
    } else if (wire !== f.wire) {
      r.skip(wire);
    } else {
      out[f.name] = readValue(r, f.code, f.message);
    }
  }
  if (r.pos > r.end) throw new RangeError('index out of range');
  return out;
}

export function decodeMessage(type: MessageType, buf: Buffer): Record<string, unknown> {
  return decodeFrom(type, new Reader(buf));
}

// ---------------------------------------------------------------------------------------------
// services

export interface Codec {
  serialize(value: unknown): Buffer;
  deserialize(buf: Buffer): Record<string, unknown>;
}

export interface MethodInfo {
  path: string;
  requestStream: boolean;
  responseStream: boolean;
  req: Codec;
  res: Codec;
}

function codec(registry: Registry, fullName: string): Codec {
  let type: MessageType | undefined;
  const get = () => (type ??= registry.message(fullName));
  return {
    serialize(value) {
      if (Array.isArray(value) || typeof value !== 'object' || value === null) {
        throw new TypeError(`serialize ${fullName}: expected an object`);
      }
      return encodeMessage(get(), value as Record<string, unknown>);
    },
    deserialize: (buf) => decodeMessage(get(), buf),
  };
}

/**
 * The methods of service `pkg.Service` of a build-time descriptor, by method name; a message
 * type's codec is made on its first use. The CLI (h2-client.ts) and the daemon's server
 * definitions (service-def.ts) both come from here.
 */
export function serviceMethods(descriptor: Descriptor, fullName: string): Map<string, MethodInfo> {
  const registry = new Registry(descriptor);
  const service = registry.node(fullName);
  const scope = fullName.slice(0, fullName.lastIndexOf('.'));
  const methods = new Map<string, MethodInfo>();
  for (const [name, m] of Object.entries(service.methods ?? {})) {
    methods.set(name, {
      path: `/${fullName}/${name}`,
      requestStream: m.requestStream === true,
      responseStream: m.responseStream === true,
      req: codec(registry, registry.resolve(m.requestType, scope)),
      res: codec(registry, registry.resolve(m.responseType, scope)),
    });
  }
  return methods;
}
