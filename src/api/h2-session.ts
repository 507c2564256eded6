// A small HTTP/2 client connection (RFC 9113) over any byte stream: what ./h2-client.ts needs to
// speak gRPC to the daemon, nothing more. node:http2 works, but loading it loads `tls`, `http`
// and nghttp2's bindings: ~15-20 ms of every `isula` start on this host and more on a board
// (docs/performance.md); this file needs `node:events` only, plus `net` or `tls` to connect.
//
// Its objects mimic the subset of node:http2 the client uses: `request(headers)` returns a
// stream emitting 'response' (headers, flags), 'data', 'trailers', 'end', 'error' and 'close'
// (with `rstCode`), with write/end/pause/resume/close(code); the session emits 'connect',
// 'error', 'goaway' and 'close'.
//
// What it does: the preface and SETTINGS (no push, a 1 MiB window per stream and for the
// connection), HEADERS/CONTINUATION both ways (HPACK in ../util/hpack.ts), DATA with flow control both
// ways (the peer's windows and max frame size respected; ours credited as the consumer takes the
// data, so a paused consumer stops the daemon), RST_STREAM, PING answers, GOAWAY (streams above
// its last id end REFUSED_STREAM), padding and priority fields skipped. Server push is refused
// by SETTINGS; a PUSH_PROMISE, a bad frame or a bad header block ends the connection.

import { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';
import { encodeLiterals, HpackDecoder } from '../util/hpack.ts';

/** Decoded header fields by name (lower case); a repeated name becomes an array. */
export type HeaderMap = Record<string, string | string[]>;

function headerMap(fields: ReadonlyArray<{ name: string; value: string }>): HeaderMap {
  const out: HeaderMap = {};
  for (const { name, value } of fields) {
    const prev = out[name];
    if (prev === undefined) out[name] = value;
    else if (Array.isArray(prev)) prev.push(value);
    else out[name] = [prev, value];
  }
  return out;
}

const PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');

const DATA = 0;
const HEADERS = 1;
const RST_STREAM = 3;
const SETTINGS = 4;
const PUSH_PROMISE = 5;
const PING = 6;
const GOAWAY = 7;
const WINDOW_UPDATE = 8;
const CONTINUATION = 9;

const END_STREAM = 0x1;
const ACK = 0x1;
const END_HEADERS = 0x4;
const PADDED = 0x8;
const PRIORITY = 0x20;

export const NO_ERROR = 0;
export const PROTOCOL_ERROR = 1;
export const FLOW_CONTROL_ERROR = 3;
export const FRAME_SIZE_ERROR = 6;
export const REFUSED_STREAM = 7;
export const CANCEL = 8;
export const COMPRESSION_ERROR = 9;
export const ENHANCE_YOUR_CALM = 11;
export const INADEQUATE_SECURITY = 12;

/** Largest frame payload we accept (we announce no other SETTINGS_MAX_FRAME_SIZE). */
const MAX_FRAME = 16384;
const DEFAULT_WINDOW = 65535;
const MAX_WINDOW = 2 ** 31 - 1;

export interface SessionOptions {
  /** our receive window per stream and for the connection, in bytes */
  window?: number;
}

/** A frame's 9-byte header and payload. */
function frame(type: number, flags: number, id: number, payload: Buffer = Buffer.alloc(0)): Buffer {
  const head = Buffer.allocUnsafe(9);
  head.writeUIntBE(payload.length, 0, 3);
  head[3] = type;
  head[4] = flags;
  head.writeUInt32BE(id, 5);
  return payload.length > 0 ? Buffer.concat([head, payload]) : head;
}

function u32(v: number): Buffer {
  const b = Buffer.allocUnsafe(4);
  b.writeUInt32BE(v >>> 0, 0);
  return b;
}

class ConnectionError extends Error {
  readonly code: number;
  constructor(code: number, message: string) {
    super(message);
    this.code = code;
  }
}

interface Outgoing {
  buf: Buffer;
  off: number;
  end: boolean;
  cb?: () => void;
}

export class H2Stream extends EventEmitter {
  readonly id: number;
  /** the RST_STREAM code it ended with (NO_ERROR for a clean end); set when 'close' is emitted */
  rstCode: number | undefined;
  closed = false;
  destroyed = false;
  writableEnded = false;

  /** @internal */ sendWindow: number;
  /** @internal */ queue: Outgoing[] = [];
  private readonly session: H2Session;
  private gotHeaders = false;
  private remoteEnded = false;
  private endEmitted = false;
  private localEnded = false;
  private paused = false;
  private inbound: Buffer[] = [];
  private unacked = 0;
  private draining = false;

  /** @internal */
  constructor(session: H2Session, id: number, sendWindow: number) {
    super();
    this.session = session;
    this.id = id;
    this.sendWindow = sendWindow;
  }

  write(buf: Buffer, cb?: () => void): boolean {
    if (this.writableEnded || this.closed) {
      if (cb) process.nextTick(cb);
      return false;
    }
    this.queue.push({ buf, off: 0, end: false, cb });
    this.session.flush();
    return true;
  }

  end(): void {
    if (this.writableEnded || this.closed) return;
    this.writableEnded = true;
    this.queue.push({ buf: Buffer.alloc(0), off: 0, end: true });
    this.session.flush();
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    process.nextTick(() => this.drain());
  }

  /** Resets the stream with `code` (CANCEL unless told) unless it has already ended. */
  close(code = CANCEL): void {
    if (this.closed) return;
    this.session.sendFrame(frame(RST_STREAM, 0, this.id, u32(code)));
    this.finish(code);
  }

  /** @internal the last bytes of the request went out */
  sentEnd(): void {
    this.localEnded = true;
    this.maybeClosed();
  }

  /** @internal */
  onHeaders(headers: HeaderMap, flags: number): void {
    if (this.closed) return;
    if (!this.gotHeaders) {
      this.gotHeaders = true;
      if (flags & END_STREAM) this.remoteEnded = true;
      this.emit('response', headers, flags);
    } else {
      // trailers end the stream; a second HEADERS without END_STREAM is not valid gRPC
      this.remoteEnded = true;
      this.emit('trailers', headers, flags);
    }
    this.drain();
  }

  /** @internal */
  onData(data: Buffer, flowLength: number, flags: number): void {
    if (this.closed) return;
    if (data.length > 0) this.inbound.push(data);
    // padding is flow-controlled but never reaches the consumer: credit it at once
    this.unacked += flowLength - data.length;
    if (flags & END_STREAM) this.remoteEnded = true;
    this.drain();
  }

  /** @internal the peer reset the stream, or the connection went */
  onReset(code: number, err?: Error): void {
    if (this.closed) return;
    if (err) this.emit('error', err);
    this.finish(code);
  }

  private drain(): void {
    if (this.draining) return;
    this.draining = true;
    try {
      while (!this.paused && !this.closed && this.inbound.length > 0) {
        const chunk = this.inbound.shift()!;
        this.unacked += chunk.length;
        this.emit('data', chunk);
      }
      if (!this.remoteEnded && this.unacked >= this.session.window / 2) {
        this.session.sendFrame(frame(WINDOW_UPDATE, 0, this.id, u32(this.unacked)));
        this.unacked = 0;
      }
      if (this.remoteEnded && !this.paused && this.inbound.length === 0 && !this.endEmitted && !this.closed) {
        this.endEmitted = true;
        this.emit('end');
        this.maybeClosed();
      }
    } finally {
      this.draining = false;
    }
  }

  private maybeClosed(): void {
    if (this.localEnded && this.endEmitted) this.finish(NO_ERROR);
  }

  private finish(code: number): void {
    if (this.closed) return;
    this.closed = true;
    this.destroyed = true;
    this.writableEnded = true;
    this.rstCode = code;
    for (const q of this.queue) if (q.cb) process.nextTick(q.cb);
    this.queue = [];
    this.inbound = [];
    this.session.forget(this);
    process.nextTick(() => this.emit('close'));
  }
}

export class H2Session extends EventEmitter {
  closed = false;
  destroyed = false;
  /** @internal */ readonly window: number;

  private socket: Duplex | undefined;
  private early: Buffer[] = [];
  private readonly streams = new Map<number, H2Stream>();
  private readonly decoder = new HpackDecoder();
  private nextId = 1;
  private input: Buffer = Buffer.alloc(0);
  private sendWindow = DEFAULT_WINDOW;
  private peerInitialWindow = DEFAULT_WINDOW;
  private peerMaxFrame = 16384;
  private unacked = 0;
  private pendingHeaders: { id: number; flags: number; parts: Buffer[] } | undefined;
  private goawayId: number | undefined;
  private socketBlocked = false;
  private error: Error | undefined;
  private closedDown = false;

  /**
   * The preface and SETTINGS are queued at once; they and everything after go out when a socket
   * is attached (a TLS socket may only exist once `tls` is loaded).
   */
  constructor(opts: SessionOptions = {}) {
    super();
    this.window = Math.min(opts.window ?? DEFAULT_WINDOW, MAX_WINDOW);
    const settings = Buffer.alloc(12);
    settings.writeUInt16BE(0x2, 0); // ENABLE_PUSH
    settings.writeUInt32BE(0, 2);
    settings.writeUInt16BE(0x4, 6); // INITIAL_WINDOW_SIZE
    settings.writeUInt32BE(this.window, 8);
    this.early.push(PREFACE, frame(SETTINGS, 0, 0, settings));
    if (this.window > DEFAULT_WINDOW) this.early.push(frame(WINDOW_UPDATE, 0, 0, u32(this.window - DEFAULT_WINDOW)));
  }

  /**
   * `socket` is a connecting net.Socket or tls.TLSSocket; `connectEvent` is the event that says
   * it is ready ('connect' or 'secureConnect'). Writes before that are buffered by the socket.
   */
  attach(socket: Duplex, connectEvent: string): void {
    if (this.socket) throw new Error('socket already attached');
    this.socket = socket;
    socket.once(connectEvent, () => this.emit('connect'));
    socket.on('data', (chunk: Buffer) => this.onInput(chunk));
    socket.on('drain', () => {
      this.socketBlocked = false;
      this.flush();
    });
    socket.on('error', (err: Error) => (this.error ??= err));
    socket.on('close', () => this.onSocketClose());
    const early = this.early;
    this.early = [];
    if (this.destroyed) socket.destroy();
    else if (!socket.write(Buffer.concat(early))) this.socketBlocked = true;
  }

  /** Opens a stream and sends its HEADERS. Throws once the session is closing or gone. */
  request(headers: ReadonlyArray<readonly [string, string]>): H2Stream {
    if (this.destroyed || this.closed || this.goawayId !== undefined) {
      throw new Error(this.goawayId !== undefined ? 'The session has received a GOAWAY' : 'The session has been destroyed');
    }
    const id = this.nextId;
    this.nextId += 2;
    const stream = new H2Stream(this, id, this.peerInitialWindow);
    this.streams.set(id, stream);
    const block = encodeLiterals(headers.map(([name, value]) => ({ name, value })));
    let off = 0;
    let type = HEADERS;
    do {
      const part = block.subarray(off, off + this.peerMaxFrame);
      off += part.length;
      this.sendFrame(frame(type, off >= block.length ? END_HEADERS : 0, id, part));
      type = CONTINUATION;
    } while (off < block.length);
    return stream;
  }

  /** Ends the connection once its streams are done (at once if there are none). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.maybeEnd();
  }

  /** Cuts the connection now; open streams end as if the peer had gone. */
  destroy(err?: Error): void {
    if (err) this.error ??= err;
    this.destroyed = true; // nothing more is written; 'close' follows from the socket
    if (this.socket) this.socket.destroy();
    else this.onSocketClose(); // never attached (the connection could not even be started)
  }

  /** @internal */
  sendFrame(buf: Buffer): void {
    if (this.destroyed) return;
    if (!this.socket) this.early.push(buf);
    else if (!this.socket.write(buf)) this.socketBlocked = true;
  }

  /** @internal */
  forget(stream: H2Stream): void {
    this.streams.delete(stream.id);
    this.maybeEnd();
  }

  /** @internal sends what the windows allow, streams in id order */
  flush(): void {
    for (const s of this.streams.values()) {
      while (s.queue.length > 0 && !this.socketBlocked && !this.destroyed) {
        const q = s.queue[0]!;
        if (q.end) {
          s.queue.shift();
          this.sendFrame(frame(DATA, END_STREAM, s.id));
          s.sentEnd();
          break;
        }
        const n = Math.min(q.buf.length - q.off, this.sendWindow, s.sendWindow, this.peerMaxFrame);
        if (n <= 0 && q.buf.length > 0) break;
        const part = q.buf.subarray(q.off, q.off + n);
        q.off += n;
        this.sendWindow -= n;
        s.sendWindow -= n;
        this.sendFrame(frame(DATA, 0, s.id, part));
        if (q.off >= q.buf.length) {
          s.queue.shift();
          if (q.cb) process.nextTick(q.cb);
        }
      }
    }
  }

  private maybeEnd(): void {
    if (this.closed && this.streams.size === 0 && !this.destroyed) {
      this.sendFrame(frame(GOAWAY, 0, 0, Buffer.concat([u32(0), u32(NO_ERROR)])));
      this.socket?.end();
    }
  }

  private onSocketClose(): void {
    if (this.closedDown) return;
    this.closedDown = true;
    this.destroyed = true;
    this.closed = true;
    const err = this.error;
    for (const s of [...this.streams.values()]) s.onReset(NO_ERROR, err);
    this.streams.clear();
    if (err) this.emit('error', err);
    this.emit('close');
  }

  private onInput(chunk: Buffer): void {
    this.input = this.input.length > 0 ? Buffer.concat([this.input, chunk]) : chunk;
    try {
      while (this.input.length >= 9 && !this.destroyed) {
        const len = this.input.readUIntBE(0, 3);
        if (len > MAX_FRAME) throw new ConnectionError(FRAME_SIZE_ERROR, `frame of ${len} bytes`);
        if (this.input.length < 9 + len) break;
        const type = this.input[3]!;
        const flags = this.input[4]!;
        const id = this.input.readUInt32BE(5) & 0x7fffffff;
        const payload = this.input.subarray(9, 9 + len);
        this.input = this.input.subarray(9 + len);
        this.onFrame(type, flags, id, payload);
      }
    } catch (err) {
      if (!(err instanceof ConnectionError)) throw err; // a listener's own failure is not the peer's
      this.sendFrame(frame(GOAWAY, 0, 0, Buffer.concat([u32(0), u32(err.code)])));
      this.destroy(new Error(`HTTP/2 connection error: ${err.message}`));
    }
  }

  private onFrame(type: number, flags: number, id: number, payload: Buffer): void {
    if (this.pendingHeaders && (type !== CONTINUATION || id !== this.pendingHeaders.id)) {
      throw new ConnectionError(PROTOCOL_ERROR, 'header block interrupted');
    }
    switch (type) {
      case DATA: {
        if (id === 0) throw new ConnectionError(PROTOCOL_ERROR, 'DATA on stream 0');
        const data = stripPadding(payload, flags);
        this.unacked += payload.length;
        if (this.unacked >= this.window / 2) {
          this.sendFrame(frame(WINDOW_UPDATE, 0, 0, u32(this.unacked)));
          this.unacked = 0;
        }
        this.streams.get(id)?.onData(data, payload.length, flags);
        return;
      }
      case HEADERS: {
        if (id === 0) throw new ConnectionError(PROTOCOL_ERROR, 'HEADERS on stream 0');
        let block = stripPadding(payload, flags);
        if (flags & PRIORITY) block = block.subarray(5);
        if (flags & END_HEADERS) this.onHeaderBlock(id, flags, block);
        else this.pendingHeaders = { id, flags, parts: [Buffer.from(block)] };
        return;
      }
      case CONTINUATION: {
        const p = this.pendingHeaders;
        if (!p) throw new ConnectionError(PROTOCOL_ERROR, 'CONTINUATION without HEADERS');
        p.parts.push(Buffer.from(payload));
        if (p.parts.reduce((n, b) => n + b.length, 0) > 1 << 20) throw new ConnectionError(PROTOCOL_ERROR, 'header block too large');
        if (flags & END_HEADERS) {
          this.pendingHeaders = undefined;
          this.onHeaderBlock(p.id, p.flags, Buffer.concat(p.parts));
        }
        return;
      }
      case RST_STREAM:
        if (payload.length !== 4) throw new ConnectionError(FRAME_SIZE_ERROR, 'RST_STREAM size');
        this.streams.get(id)?.onReset(payload.readUInt32BE(0));
        return;
      case SETTINGS:
        if (id !== 0) throw new ConnectionError(PROTOCOL_ERROR, 'SETTINGS on a stream');
        if (flags & ACK) return;
        if (payload.length % 6 !== 0) throw new ConnectionError(FRAME_SIZE_ERROR, 'SETTINGS size');
        for (let i = 0; i < payload.length; i += 6) this.onSetting(payload.readUInt16BE(i), payload.readUInt32BE(i + 2));
        this.sendFrame(frame(SETTINGS, ACK, 0));
        this.flush();
        return;
      case PUSH_PROMISE:
        throw new ConnectionError(PROTOCOL_ERROR, 'PUSH_PROMISE although push is disabled');
      case PING:
        if (payload.length !== 8) throw new ConnectionError(FRAME_SIZE_ERROR, 'PING size');
        if (!(flags & ACK)) this.sendFrame(frame(PING, ACK, 0, Buffer.from(payload)));
        return;
      case GOAWAY: {
        if (payload.length < 8) throw new ConnectionError(FRAME_SIZE_ERROR, 'GOAWAY size');
        const last = payload.readUInt32BE(0) & 0x7fffffff;
        this.goawayId = Math.min(this.goawayId ?? last, last);
        this.emit('goaway', payload.readUInt32BE(4), last);
        for (const s of [...this.streams.values()]) if (s.id > last) s.onReset(REFUSED_STREAM);
        this.closed = true;
        this.maybeEnd();
        return;
      }
      case WINDOW_UPDATE: {
        if (payload.length !== 4) throw new ConnectionError(FRAME_SIZE_ERROR, 'WINDOW_UPDATE size');
        const inc = payload.readUInt32BE(0) & 0x7fffffff;
        if (id === 0) {
          if (inc === 0) throw new ConnectionError(PROTOCOL_ERROR, 'WINDOW_UPDATE of 0');
          this.sendWindow += inc;
          if (this.sendWindow > MAX_WINDOW) throw new ConnectionError(FLOW_CONTROL_ERROR, 'window over 2^31-1');
        } else {
          const s = this.streams.get(id);
          if (s) s.sendWindow += inc;
        }
        this.flush();
        return;
      }
      default:
        // PRIORITY and unknown frame types are ignored (RFC 9113 4.1, 5.3.2)
        return;
    }
  }

  private onHeaderBlock(id: number, flags: number, block: Buffer): void {
    let headers: HeaderMap;
    try {
      headers = headerMap(this.decoder.decode(block)); // always: the decoder's table must see every block
    } catch (err) {
      throw new ConnectionError(COMPRESSION_ERROR, (err as Error).message);
    }
    this.streams.get(id)?.onHeaders(headers, flags);
  }

  private onSetting(key: number, value: number): void {
    if (key === 0x4) {
      if (value > MAX_WINDOW) throw new ConnectionError(FLOW_CONTROL_ERROR, 'initial window over 2^31-1');
      const delta = value - this.peerInitialWindow;
      this.peerInitialWindow = value;
      for (const s of this.streams.values()) s.sendWindow += delta;
    } else if (key === 0x5) {
      if (value < 16384 || value > 16777215) throw new ConnectionError(PROTOCOL_ERROR, `max frame size ${value}`);
      this.peerMaxFrame = value;
    }
    // HEADER_TABLE_SIZE: our encoder never indexes; the rest do not concern a client
  }
}

function stripPadding(payload: Buffer, flags: number): Buffer {
  if (!(flags & PADDED)) return payload;
  if (payload.length < 1) throw new ConnectionError(PROTOCOL_ERROR, 'padded frame without its length');
  const pad = payload[0]!;
  if (pad >= payload.length) throw new ConnectionError(PROTOCOL_ERROR, 'padding longer than the frame');
  return payload.subarray(1, payload.length - pad);
}
