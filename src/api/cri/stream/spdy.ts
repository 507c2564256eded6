// The server side of SPDY/3.1 as Kubernetes' streaming clients speak it (client-go over
// moby/spdystream): the client opens every stream with SYN_STREAM (headers such as streamtype,
// port, requestid), the server answers SYN_REPLY and both send DATA until FIN.
//
// Written here rather than taken from npm: spdy-transport, the maintained SPDY package, refuses a
// SYN_STREAM without the HTTP pseudo-headers :method and :path, which spdystream never sends.
// This is the subset that the exec, attach and port-forward protocols use: no server push, no
// priorities, and no flow control (spdystream neither sends WINDOW_UPDATE nor honours it; we
// still grant every received byte back so a stricter client never stalls).
import { EventEmitter } from 'node:events';
import { Duplex } from 'node:stream';
import type { Socket } from 'node:net';
import zlib from 'node:zlib';
import { SPDY3_DICTIONARY } from './spdy-dictionary.ts';

const VERSION = 3;
const T_SYN_STREAM = 1;
const T_SYN_REPLY = 2;
const T_RST_STREAM = 3;
const T_SETTINGS = 4;
const T_PING = 6;
const T_GOAWAY = 7;
const T_HEADERS = 8;
const T_WINDOW_UPDATE = 9;
const FLAG_FIN = 0x01;
const MAX_DATA = 16 * 1024;
/** RST_STREAM status codes */
export const RST_CANCEL = 5;

/** Headers of a frame: lower-case names, NUL-separated values joined as they came. */
export type SpdyHeaders = Record<string, string>;

/** One header-compression context (SPDY keeps one per direction for the connection's life). */
class ZContext {
  readonly #z: zlib.Inflate | zlib.Deflate;
  #queue: Promise<unknown> = Promise.resolve();
  constructor(kind: 'inflate' | 'deflate') {
    this.#z = kind === 'inflate' ? zlib.createInflate({ dictionary: SPDY3_DICTIONARY }) : zlib.createDeflate({ dictionary: SPDY3_DICTIONARY });
    this.#z.on('error', () => undefined);
  }

  /** Runs one block through the shared stream, ending with a sync flush; in call order. */
  run(input: Buffer): Promise<Buffer> {
    const next = this.#queue.then(
      () =>
        new Promise<Buffer>((resolve, reject) => {
          const out: Buffer[] = [];
          const onData = (c: Buffer) => out.push(c);
          const onError = (e: Error) => {
            this.#z.removeListener('data', onData);
            reject(e);
          };
          this.#z.on('data', onData);
          this.#z.once('error', onError);
          this.#z.write(input);
          this.#z.flush(zlib.constants.Z_SYNC_FLUSH, () => {
            this.#z.removeListener('data', onData);
            this.#z.removeListener('error', onError);
            resolve(Buffer.concat(out));
          });
        }),
    );
    this.#queue = next.catch(() => undefined);
    return next;
  }

  close(): void {
    this.#z.destroy();
  }
}

export function decodeHeaderBlock(b: Buffer): SpdyHeaders {
  const h: SpdyHeaders = {};
  let o = 0;
  const n = b.readUInt32BE(o);
  o += 4;
  for (let i = 0; i < n; i++) {
    const nl = b.readUInt32BE(o);
    const name = b.subarray(o + 4, o + 4 + nl).toString('latin1').toLowerCase();
    o += 4 + nl;
    const vl = b.readUInt32BE(o);
    h[name] = b.subarray(o + 4, o + 4 + vl).toString('latin1');
    o += 4 + vl;
  }
  return h;
}

export function encodeHeaderBlock(h: SpdyHeaders): Buffer {
  const parts: Buffer[] = [];
  const u32 = (n: number) => {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(n);
    return b;
  };
  const entries = Object.entries(h);
  parts.push(u32(entries.length));
  for (const [k, v] of entries) {
    const kb = Buffer.from(k.toLowerCase(), 'latin1');
    const vb = Buffer.from(v, 'latin1');
    parts.push(u32(kb.length), kb, u32(vb.length), vb);
  }
  return Buffer.concat(parts);
}

function controlFrame(type: number, flags: number, body: Buffer): Buffer {
  const h = Buffer.alloc(8);
  h.writeUInt16BE(0x8000 | VERSION, 0);
  h.writeUInt16BE(type, 2);
  h.writeUInt32BE(((flags & 0xff) << 24) | body.length, 4);
  return Buffer.concat([h, body]);
}

function dataFrame(id: number, flags: number, data: Buffer): Buffer {
  const h = Buffer.alloc(8);
  h.writeUInt32BE(id & 0x7fffffff, 0);
  h.writeUInt32BE(((flags & 0xff) << 24) | data.length, 4);
  return Buffer.concat([h, data]);
}

/** A stream the client opened. Readable side: its DATA; writable side: our DATA; end() sends FIN. */
export class SpdyStream extends Duplex {
  readonly id: number;
  readonly headers: SpdyHeaders;
  readonly #conn: SpdyConnection;
  #replied: Promise<void> | undefined;

  constructor(conn: SpdyConnection, id: number, headers: SpdyHeaders) {
    super({ allowHalfOpen: true });
    this.#conn = conn;
    this.id = id;
    this.headers = headers;
  }

  /** SYN_REPLY (once); DATA waits for it. */
  reply(headers: SpdyHeaders = {}): Promise<void> {
    this.#replied ??= this.#conn.sendReply(this.id, headers);
    return this.#replied;
  }

  override _read(): void {}

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.reply().then(() => this.#conn.sendData(this.id, chunk, false)).then(() => cb(), cb);
  }

  override _final(cb: (err?: Error | null) => void): void {
    this.reply().then(() => this.#conn.sendData(this.id, Buffer.alloc(0), true)).then(() => cb(), cb);
  }

  /** RST_STREAM: the stream ends on both sides at once. */
  reset(): void {
    this.#conn.sendRst(this.id, RST_CANCEL);
    this.push(null);
    this.destroy();
  }
}

export interface SpdyConnection {
  on(event: 'stream', fn: (s: SpdyStream) => void): this;
  on(event: 'close', fn: () => void): this;
}

/** One upgraded connection. Emits 'stream' for each SYN_STREAM, 'close' once the socket is gone. */
export class SpdyConnection extends EventEmitter {
  readonly #socket: Socket | Duplex;
  readonly #inflate = new ZContext('inflate');
  readonly #deflate = new ZContext('deflate');
  readonly #streams = new Map<number, SpdyStream>();
  #buf: Buffer = Buffer.alloc(0);
  /** frames are handled one at a time: header blocks decode asynchronously */
  #work: Promise<void> = Promise.resolve();
  /** writes keep their order (a SYN_REPLY is never overtaken by its DATA) */
  #out: Promise<void> = Promise.resolve();
  #closed = false;

  constructor(socket: Socket | Duplex) {
    super();
    this.#socket = socket;
    socket.on('data', (c: Buffer) => {
      this.#buf = this.#buf.length === 0 ? c : Buffer.concat([this.#buf, c]);
      this.#work = this.#work.then(() => this.#drain()).catch(() => this.close());
    });
    socket.on('error', () => this.close());
    socket.on('close', () => this.close());
  }

  get closed(): boolean {
    return this.#closed;
  }

  async #drain(): Promise<void> {
    while (this.#buf.length >= 8) {
      const len = this.#buf.readUInt32BE(4) & 0xffffff;
      if (this.#buf.length < 8 + len) return;
      const head = this.#buf.subarray(0, 8);
      const body = this.#buf.subarray(8, 8 + len);
      this.#buf = this.#buf.subarray(8 + len);
      const flags = head[4] as number;
      if ((head[0] as number) & 0x80) await this.#control(head.readUInt16BE(2), flags, body);
      else this.#data(head.readUInt32BE(0) & 0x7fffffff, flags, Buffer.from(body));
    }
  }

  async #control(type: number, flags: number, body: Buffer): Promise<void> {
    switch (type) {
      case T_SYN_STREAM: {
        const id = body.readUInt32BE(0) & 0x7fffffff;
        const headers = decodeHeaderBlock(await this.#inflate.run(body.subarray(10)));
        const s = new SpdyStream(this, id, headers);
        this.#streams.set(id, s);
        s.once('close', () => this.#streams.delete(id));
        if (flags & FLAG_FIN) s.push(null);
        this.emit('stream', s);
        return;
      }
      case T_SYN_REPLY:
      case T_HEADERS:
        // keep the shared inflate context in step even though we have no use for these
        await this.#inflate.run(body.subarray(4));
        return;
      case T_RST_STREAM: {
        const s = this.#streams.get(body.readUInt32BE(0) & 0x7fffffff);
        if (s) {
          s.push(null);
          s.destroy();
        }
        return;
      }
      case T_PING:
        this.#write(controlFrame(T_PING, 0, body));
        return;
      case T_GOAWAY:
        this.close();
        return;
      case T_SETTINGS:
      case T_WINDOW_UPDATE:
      default:
        return;
    }
  }

  #data(id: number, flags: number, data: Buffer): void {
    const s = this.#streams.get(id);
    if (data.length > 0) {
      // grant the bytes back to the stream and the session (SPDY/3.1)
      const wu = (sid: number) => {
        const b = Buffer.alloc(8);
        b.writeUInt32BE(sid, 0);
        b.writeUInt32BE(data.length, 4);
        return controlFrame(T_WINDOW_UPDATE, 0, b);
      };
      this.#write(Buffer.concat([wu(id), wu(0)]));
      s?.push(data);
    }
    if (flags & FLAG_FIN) s?.push(null);
  }

  #write(b: Buffer): Promise<void> {
    const next = this.#out.then(
      () =>
        new Promise<void>((resolve) => {
          if (this.#closed) return resolve();
          this.#socket.write(b, () => resolve());
        }),
    );
    this.#out = next;
    return next;
  }

  async sendReply(id: number, headers: SpdyHeaders): Promise<void> {
    const block = await this.#deflate.run(encodeHeaderBlock(headers));
    const sid = Buffer.alloc(4);
    sid.writeUInt32BE(id);
    await this.#write(controlFrame(T_SYN_REPLY, 0, Buffer.concat([sid, block])));
  }

  async sendData(id: number, data: Buffer, fin: boolean): Promise<void> {
    if (data.length === 0) {
      if (fin) await this.#write(dataFrame(id, FLAG_FIN, data));
      return;
    }
    for (let o = 0; o < data.length; o += MAX_DATA) {
      const last = o + MAX_DATA >= data.length;
      await this.#write(dataFrame(id, last && fin ? FLAG_FIN : 0, data.subarray(o, o + MAX_DATA)));
    }
  }

  sendRst(id: number, status: number): void {
    const b = Buffer.alloc(8);
    b.writeUInt32BE(id & 0x7fffffff, 0);
    b.writeUInt32BE(status, 4);
    void this.#write(controlFrame(T_RST_STREAM, 0, b));
  }

  /** GOAWAY once everything queued is written, then the socket closes. */
  async goAway(): Promise<void> {
    if (this.#closed) return;
    const b = Buffer.alloc(8);
    await this.#write(controlFrame(T_GOAWAY, 0, b));
    this.#socket.end();
    this.close();
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const s of this.#streams.values()) {
      s.push(null);
      s.destroy();
    }
    this.#streams.clear();
    this.#inflate.close();
    this.#deflate.close();
    this.#socket.destroy();
    this.emit('close');
  }
}
