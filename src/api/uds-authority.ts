// Clients that send the unix socket path as `:authority`. grpc-go before 1.53 (kubelet and crictl
// of Kubernetes ≤ 1.26, critest v1.26.1), grpc-java and older C-core send
// `:authority: /run/isulad.sock` on a unix socket. nghttp2, inside Node's HTTP/2 server, checks
// the value against RFC 3986's authority characters, finds the `/` and resets the stream with
// PROTOCOL_ERROR before our server code sees it; Node has no option to relax that check.
//
// So each connection on a unix socket is looked at before nghttp2 gets it:
// 1. An empty SETTINGS frame is written at once: clients such as grpc-go send no request before
//    the server's SETTINGS. Its ACK is later dropped from the client's bytes (nghttp2 never sent
//    that SETTINGS and would take the ACK as a protocol error). nghttp2's own SETTINGS follows.
// 2. The client's bytes are read up to its first complete header block (and that ACK), and the
//    block is decoded.
// 3. If its `:authority` is acceptable (the CLI, grpc-js, grpc-go ≥ 1.53 all send one), the socket
//    itself is handed to the HTTP/2 server with the bytes read put back: nothing runs in JS for
//    the rest of the connection. Otherwise the connection goes through a filter that decodes
//    each header block of the client and re-encodes it with `:authority: localhost`.
// The authority is not used by the daemon (no virtual hosts), so nothing else changes.

import { Duplex } from 'node:stream';
import type { Socket } from 'node:net';
import { HpackDecoder, HpackError, encodeLiterals, type HeaderField } from '../util/hpack.ts';

const PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');
const EMPTY_SETTINGS = Buffer.from([0, 0, 0, 4, 0, 0, 0, 0, 0]);
const FRAME_HEADERS = 1;
const FRAME_SETTINGS = 4;
const FRAME_CONTINUATION = 9;
const FLAG_ACK = 0x1;
const FLAG_END_STREAM = 0x1;
const FLAG_END_HEADERS = 0x4;
const FLAG_PADDED = 0x8;
const FLAG_PRIORITY = 0x20;
/** SETTINGS_MAX_FRAME_SIZE's default, which Node's server keeps */
const MAX_FRAME = 16384;
/** a header block longer than this (HEADERS + CONTINUATIONs) ends the connection */
const MAX_BLOCK = 256 * 1024;

/** The characters nghttp2 accepts in `:authority` (RFC 3986 authority: unreserved, sub-delims, `:@[]%`). */
const AUTHORITY_OK = /^[A-Za-z0-9\-._~!$&'()*+,;=:@[\]%]*$/;

export function authorityAccepted(value: string): boolean {
  return AUTHORITY_OK.test(value);
}

type Listener = (socket: Duplex) => void;

interface HeaderBlock {
  streamId: number;
  flags: number;
  fragment: Buffer;
}

/**
 * Parses the client→server byte stream frame by frame. Everything but the first SETTINGS ACK and
 * header blocks is passed through as is; header blocks are handed to `onBlock`, which returns the
 * bytes to send in their place.
 */
class ClientFrames {
  #buf: Buffer = Buffer.alloc(0);
  #prefaceSeen = false;
  #ackDropped = false;
  #block: HeaderBlock | undefined;
  #blockLen = 0;

  readonly #onBlock: (b: HeaderBlock) => Buffer;

  constructor(onBlock: (b: HeaderBlock) => Buffer) {
    this.#onBlock = onBlock;
  }

  get ackDropped(): boolean {
    return this.#ackDropped;
  }

  /** Consumes bytes; returns what to pass on. Throws on a malformed stream. */
  push(data: Buffer): Buffer {
    this.#buf = this.#buf.length ? Buffer.concat([this.#buf, data]) : data;
    const out: Buffer[] = [];
    if (!this.#prefaceSeen) {
      if (this.#buf.length < PREFACE.length) return Buffer.alloc(0);
      if (!this.#buf.subarray(0, PREFACE.length).equals(PREFACE)) throw new Error('not an HTTP/2 client preface');
      out.push(this.#buf.subarray(0, PREFACE.length));
      this.#buf = this.#buf.subarray(PREFACE.length);
      this.#prefaceSeen = true;
    }
    while (this.#buf.length >= 9) {
      const len = this.#buf.readUIntBE(0, 3);
      if (this.#buf.length < 9 + len) break;
      const frame = this.#buf.subarray(0, 9 + len);
      this.#buf = this.#buf.subarray(9 + len);
      const type = frame[3]!;
      const flags = frame[4]!;
      const streamId = frame.readUInt32BE(5) & 0x7fffffff;
      const payload = frame.subarray(9);
      if (this.#block) {
        if (type !== FRAME_CONTINUATION || streamId !== this.#block.streamId) throw new Error('header block interrupted');
        this.#addFragment(payload);
        if (flags & FLAG_END_HEADERS) out.push(this.#endBlock());
        continue;
      }
      if (type === FRAME_SETTINGS && flags & FLAG_ACK && !this.#ackDropped) {
        this.#ackDropped = true;
        continue;
      }
      if (type === FRAME_HEADERS) {
        let p = payload;
        let pad = 0;
        if (flags & FLAG_PADDED) {
          pad = p[0] ?? 0;
          p = p.subarray(1);
        }
        if (flags & FLAG_PRIORITY) p = p.subarray(5);
        if (pad > p.length) throw new Error('bad HEADERS padding');
        this.#block = { streamId, flags, fragment: Buffer.alloc(0) };
        this.#blockLen = 0;
        this.#addFragment(p.subarray(0, p.length - pad));
        if (flags & FLAG_END_HEADERS) out.push(this.#endBlock());
        continue;
      }
      out.push(frame);
    }
    return out.length === 1 ? out[0]! : Buffer.concat(out);
  }

  /** bytes received but not yet part of a whole frame */
  rest(): Buffer {
    return this.#buf;
  }

  #addFragment(p: Buffer): void {
    this.#blockLen += p.length;
    if (this.#blockLen > MAX_BLOCK) throw new Error('header block too large');
    this.#block!.fragment = Buffer.concat([this.#block!.fragment, p]);
  }

  #endBlock(): Buffer {
    const b = this.#block!;
    this.#block = undefined;
    return this.#onBlock(b);
  }
}

/** HEADERS (+ CONTINUATION) frames carrying `block`, END_STREAM kept, no padding or priority. */
function headerFrames(streamId: number, endStream: boolean, block: Buffer): Buffer {
  const frames: Buffer[] = [];
  let off = 0;
  do {
    const chunk = block.subarray(off, off + MAX_FRAME);
    const first = off === 0;
    off += chunk.length;
    const last = off >= block.length;
    const h = Buffer.alloc(9);
    h.writeUIntBE(chunk.length, 0, 3);
    h[3] = first ? FRAME_HEADERS : FRAME_CONTINUATION;
    h[4] = (first && endStream ? FLAG_END_STREAM : 0) | (last ? FLAG_END_HEADERS : 0);
    h.writeUInt32BE(streamId, 5);
    frames.push(h, chunk);
  } while (off < block.length);
  return Buffer.concat(frames);
}

/** Re-encodes a decoded block with every unacceptable `:authority` (or `host`) made `localhost`. */
function rewritten(b: HeaderBlock, fields: HeaderField[]): Buffer {
  const fixed = fields.map((f) =>
    (f.name === ':authority' || f.name === 'host') && !authorityAccepted(f.value) ? { name: f.name, value: 'localhost' } : f,
  );
  return headerFrames(b.streamId, (b.flags & FLAG_END_STREAM) !== 0, encodeLiterals(fixed));
}

function needsRewrite(fields: HeaderField[]): boolean {
  return fields.some((f) => (f.name === ':authority' || f.name === 'host') && !authorityAccepted(f.value));
}

/**
 * A socket-like stream over `socket` whose incoming bytes go through `frames` (write side passes
 * straight to the socket).
 */
class FilteredConnection extends Duplex {
  readonly #socket: Socket;

  constructor(socket: Socket, frames: ClientFrames, first: Buffer) {
    super({ allowHalfOpen: false });
    this.#socket = socket;
    if (first.length) this.push(first);
    socket.on('data', (d: Buffer) => {
      let out: Buffer;
      try {
        out = frames.push(d);
      } catch (e) {
        this.destroy(e as Error);
        return;
      }
      if (out.length && !this.push(out)) socket.pause();
    });
    socket.on('end', () => this.push(null));
    socket.on('error', (e) => this.destroy(e));
    socket.on('close', () => this.destroy());
    socket.resume();
  }

  override _read(): void {
    this.#socket.resume();
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (e?: Error | null) => void): void {
    this.#socket.write(chunk, cb);
  }

  override _final(cb: (e?: Error | null) => void): void {
    this.#socket.end(cb);
  }

  override _destroy(err: Error | null, cb: (e?: Error | null) => void): void {
    this.#socket.destroy();
    cb(err);
  }
}

/**
 * Looks at a new unix connection as described at the top, then calls `deliver` with either the
 * socket itself or a filtered stream. `idleMs` bounds the wait for the first request.
 */
export function screenConnection(socket: Socket, deliver: Listener, idleMs: number): void {
  const decoder = new HpackDecoder();
  let decided: 'native' | 'rewrite' | undefined;
  const frames = new ClientFrames((b) => {
    const fields = decoder.decode(b.fragment);
    if (decided === undefined) decided = needsRewrite(fields) ? 'rewrite' : 'native';
    return rewritten(b, fields);
  });
  const raw: Buffer[] = [];
  const passed: Buffer[] = [];
  const timer = setTimeout(() => socket.destroy(), idleMs);
  const cleanup = () => {
    clearTimeout(timer);
    socket.off('data', onData);
    socket.off('error', onError);
    socket.off('close', onClose);
  };
  const onError = () => cleanup();
  const onClose = () => cleanup();
  const onData = (d: Buffer) => {
    raw.push(d);
    try {
      passed.push(frames.push(d));
    } catch (e) {
      cleanup();
      socket.destroy(e instanceof HpackError ? e : undefined);
      return;
    }
    if (decided === undefined || !frames.ackDropped) return;
    cleanup();
    socket.pause();
    if (decided === 'native') {
      // Put back what was read exactly as the client encoded it (later header blocks refer to
      // the dynamic table entries of the first), minus the SETTINGS ACK of our frame, the one
      // thing nghttp2 must not see.
      socket.unshift(withoutFirstAck(Buffer.concat(raw)));
      deliver(socket);
    } else {
      deliver(new FilteredConnection(socket, frames, Buffer.concat(passed)));
    }
  };
  socket.on('data', onData);
  socket.on('error', onError);
  socket.on('close', onClose);
  socket.write(EMPTY_SETTINGS);
}

/** `buf` (the client's bytes, preface first) without its first SETTINGS ACK frame. */
function withoutFirstAck(buf: Buffer): Buffer {
  let pos = PREFACE.length;
  while (pos + 9 <= buf.length) {
    const len = buf.readUIntBE(pos, 3);
    if (buf[pos + 3] === FRAME_SETTINGS && buf[pos + 4]! & FLAG_ACK) {
      return Buffer.concat([buf.subarray(0, pos), buf.subarray(pos + 9 + len)]);
    }
    pos += 9 + len;
  }
  return buf;
}
