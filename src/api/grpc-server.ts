// The daemon's gRPC server on node:http2, without grpc-js (grpc-js cost the idle daemon ~5 MB of
// anonymous memory and ~12 MB of RSS on top of node:http2, docs/performance.md). It serves the
// service definitions of ./service-def.ts (pb.ts codecs) and gives handlers the call objects
// grpc-js gave them, as far as src/api/handler.ts and the tests use them:
//
//   unary, client-streaming: handler(call, callback(err, response, trailers?))
//   server-streaming, bidi:  handler(call) with call.write(msg) / call.end(trailers?) /
//                            call.emit('error', serviceError) (the error's status ends the call)
//   every call:              call.request (not client-streaming), call.metadata, call.cancelled,
//                            'cancelled' event (client cancel, deadline, dropped connection),
//                            sendMetadata(md), getDeadline(), getPath(), getPeer()
//   client-streaming, bidi:  the call is a Readable of request messages ('data'/'end', for-await)
//
// Wire (gRPC over HTTP/2, https://github.com/grpc/grpc/blob/master/doc/PROTOCOL-HTTP2.md):
// POST /pkg.Service/Method, messages framed as flag byte + 4-byte length + body, the status in
// trailers (or in the only HEADERS of a trailers-only answer), grpc-message percent-encoded.
// Unknown paths and methods without a handler answer UNIMPLEMENTED; a message over the receive
// limit RESOURCE_EXHAUSTED; an undecodable one INTERNAL; a grpc-timeout that passes
// DEADLINE_EXCEEDED. A bad frame or a broken connection ends that call or connection only.

import * as http2 from 'node:http2';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import { Duplex } from 'node:stream';
import { Metadata, status } from './grpc-common.ts';
import { screenConnection } from './uds-authority.ts';

export { Metadata, status };

/** One method as the server needs it (the shape of grpc-js's MethodDefinition; service-def.ts makes them). */
export interface MethodDefinition {
  path: string;
  requestStream: boolean;
  responseStream: boolean;
  requestDeserialize(buf: Buffer): unknown;
  responseSerialize(value: unknown): Buffer;
  originalName?: string;
}

export type ServiceDefinition = Record<string, MethodDefinition>;

/** What a handler may hand back as an error: an Error with a gRPC code, details and trailers (else UNKNOWN). */
export interface ServiceErrorLike {
  message?: string;
  code?: number;
  details?: string;
  metadata?: MetadataLike;
}

/** Metadata as handlers build it: this file's Metadata, or any object with toHttp2Headers/getMap. */
export interface MetadataLike {
  get(key: string): Array<string | Buffer>;
}

export type UnaryCallback = (err: ServiceErrorLike | null, value?: unknown, trailers?: MetadataLike) => void;
export type ServerHandler = (call: ServerCall, callback: UnaryCallback) => void;

export interface ServerOptions {
  maxReceiveBytes: number;
  maxSendBytes: number;
  maxConcurrentStreams: number;
  /** MB of buffered outgoing data per connection before nghttp2 refuses new streams */
  maxSessionMemory: number;
  /** a connection without a call for this long is closed (GOAWAY) */
  idleConnectionMs: number;
  /** connections per listening socket; more are closed at accept */
  maxConnections: number;
  /** false: unix connections go to HTTP/2 as they are, without uds-authority.ts's screen (tests of the quirk) */
  screenUnix?: boolean;
  /** where connection-level problems are reported (the daemon log at DEBUG) */
  debug?: (line: string) => void;
}

export interface TlsOptions {
  ca: Buffer;
  cert: Buffer;
  key: Buffer;
  verifyClients: boolean;
}

const STREAM_WINDOW = 1 << 20;
const CONTENT_TYPE = 'application/grpc+proto';

interface Status {
  code: number;
  details: string;
  metadata?: MetadataLike | undefined;
}

/**
 * grpc-message's percent-encoding: bytes outside printable ASCII, `%`, and a space at either end
 * (HTTP/2 drops a header value with whitespace at its edges: "No such volume: " for an empty
 * name reached the client as no message at all).
 */
export function encodeGrpcMessage(s: string): string {
  if (/^[\x20-\x24\x26-\x7e]*$/.test(s) && !s.startsWith(' ') && !s.endsWith(' ')) return s;
  const bytes = Buffer.from(s, 'utf8');
  let out = '';
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    const edgeSpace = b === 0x20 && (i === 0 || i === bytes.length - 1);
    out += b < 0x20 || b > 0x7e || b === 0x25 || edgeSpace ? `%${b.toString(16).toUpperCase().padStart(2, '0')}` : String.fromCharCode(b);
  }
  return out;
}

/** grpc-timeout (`<digits><unit>`) in milliseconds, or undefined when malformed. */
export function parseTimeout(v: string): number | undefined {
  const m = /^(\d{1,8})([HMSmun])$/.exec(v);
  if (!m) return undefined;
  const n = Number(m[1]);
  const unitMs: Record<string, number> = { H: 3_600_000, M: 60_000, S: 1000, m: 1, u: 1e-3, n: 1e-6 };
  return n * unitMs[m[2]!]!;
}

function headersOf(md: MetadataLike | undefined): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  const pairs = md instanceof Metadata ? md.toHttp2Headers() : fromMap(md);
  for (const [k, v] of pairs) {
    if (k.startsWith(':') || k.startsWith('grpc-') || k === 'content-type' || k === 'te') continue;
    const prev = out[k];
    if (prev === undefined) out[k] = v;
    else if (Array.isArray(prev)) prev.push(v);
    else out[k] = [prev, v];
  }
  return out;
}

/** grpc-js Metadata (tests' handlers) or any object with getMap. */
function fromMap(md: MetadataLike | undefined): Array<[string, string]> {
  const getMap = (md as { getMap?: () => Record<string, string | Buffer> } | undefined)?.getMap;
  if (!md || typeof getMap !== 'function') return [];
  return Object.entries(getMap.call(md)).map(([k, v]) => [k, k.endsWith('-bin') ? Buffer.from(v).toString('base64') : String(v)]);
}

function isMetadata(v: unknown): v is MetadataLike {
  return v instanceof Metadata || (typeof v === 'object' && v !== null && typeof (v as MetadataLike).get === 'function' && typeof (v as { getMap?: unknown }).getMap === 'function');
}

function statusOfError(err: ServiceErrorLike | Error): Status {
  const e = err as ServiceErrorLike;
  const code = typeof e.code === 'number' && Number.isInteger(e.code) && e.code >= 0 && e.code <= 16 ? e.code : status.UNKNOWN;
  const details = typeof e.details === 'string' ? e.details : typeof e.message === 'string' ? e.message : 'Unknown error';
  return { code, details, metadata: isMetadata(e.metadata) ? e.metadata : undefined };
}

/**
 * One call: a Duplex of messages (readable: the client's requests for streaming calls; writable:
 * the responses), with grpc-js's call fields and events.
 */
export class ServerCall extends Duplex {
  request: unknown = undefined;
  readonly metadata: Metadata;
  cancelled = false;

  readonly #stream: http2.ServerHttp2Stream;
  readonly #method: MethodDefinition;
  readonly #server: GrpcServer;
  readonly #deadline: number;
  #timer: NodeJS.Timeout | undefined;
  #headersSent = false;
  #pendingHeaders: MetadataLike | undefined;
  #trailers: MetadataLike | undefined;
  #done = false;

  constructor(stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders, method: MethodDefinition, server: GrpcServer, timeoutMs: number | undefined) {
    super({ objectMode: true, allowHalfOpen: true, autoDestroy: false, emitClose: false });
    this.#stream = stream;
    this.#method = method;
    this.#server = server;
    this.metadata = Metadata.fromHttp2Headers(headers);
    this.#deadline = timeoutMs === undefined ? Infinity : Date.now() + timeoutMs;
    if (timeoutMs !== undefined) {
      this.#timer = setTimeout(() => {
        this.sendStatus({ code: status.DEADLINE_EXCEEDED, details: 'Deadline exceeded' });
        this.#cancel();
      }, Math.min(timeoutMs, 2 ** 31 - 1));
    }
    // call.emit('error', err) is how a streaming handler ends its call with a status (grpc-js):
    // the messages written before it go out first
    this.on('error', (err: Error) => {
      if (this.#done) return;
      this.#errorStatus = statusOfError(err);
      if (this.writableEnded || this.destroyed) this.sendStatus(this.#errorStatus);
      else super.end();
    });
  }

  get done(): boolean {
    return this.#done;
  }

  getPath(): string {
    return this.#method.path;
  }

  getDeadline(): number {
    return this.#deadline;
  }

  getPeer(): string {
    const s = this.#stream.session?.socket;
    return s?.remoteAddress ? `${s.remoteAddress}:${s.remotePort}` : 'unix';
  }

  /** Initial metadata, sent with the response headers (before the first message). */
  sendMetadata(md: MetadataLike): void {
    if (this.#headersSent || this.#done) return;
    this.#pendingHeaders = md;
    this.#sendHeaders();
  }

  #sendHeaders(): void {
    if (this.#headersSent) return;
    this.#headersSent = true;
    const st = this.#stream;
    if (st.destroyed || st.closed) return;
    st.respond(
      { ':status': 200, 'content-type': CONTENT_TYPE, 'grpc-accept-encoding': 'identity,deflate,gzip', ...headersOf(this.#pendingHeaders) },
      { waitForTrailers: true },
    );
    st.on('wantTrailers', () => {
      const s = this.#finalStatus ?? { code: status.OK, details: 'OK' };
      try {
        st.sendTrailers({ 'grpc-status': String(s.code), 'grpc-message': encodeGrpcMessage(s.details), ...headersOf(s.metadata) });
      } catch {
        st.close(http2.constants.NGHTTP2_INTERNAL_ERROR);
      }
    });
  }

  #finalStatus: Status | undefined;
  #errorStatus: Status | undefined;

  /** Ends the call with a status (once; later calls are no-ops). */
  sendStatus(s: Status): void {
    if (this.#done) return;
    this.#done = true;
    if (this.#timer) clearTimeout(this.#timer);
    const st = this.#stream;
    if (st.destroyed || st.closed) return;
    if (!this.#headersSent) {
      // trailers-only
      this.#headersSent = true;
      st.respond(
        { ':status': 200, 'content-type': CONTENT_TYPE, 'grpc-status': String(s.code), 'grpc-message': encodeGrpcMessage(s.details), ...headersOf(s.metadata) },
        { endStream: true },
      );
    } else {
      this.#finalStatus = s;
      st.end();
    }
    // what a client still sends is read and dropped (no RST_STREAM: grpc-js clients would take
    // a reset after the status for an INTERNAL error)
    st.resume();
  }

  /** The client went away, or the deadline passed: 'cancelled' once. */
  #cancel(): void {
    if (this.cancelled) return;
    this.cancelled = true;
    this.#done = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.emit('cancelled');
    // a handler reading the requests sees an error, not a (truncated) end
    if (!this.readableEnded) this.destroy(new Error('call cancelled'));
  }

  /**
   * @internal the server ends the call over what the client sent (a bad frame, a truncated
   * message): the status goes out and the handler sees a cancel, as for a client that went away.
   * Without the cancel a bidi handler (RemoteExec) waits for an end of input that never comes
   * and its process (`cat`) runs on.
   */
  fail(s: Status): void {
    this.sendStatus(s);
    this.#cancel();
  }

  /** @internal the stream closed: a cancel unless the status went out */
  onStreamClose(): void {
    if (!this.#done) this.#cancel();
    else if (this.#timer) clearTimeout(this.#timer);
  }

  /** Serializes and frames one response; undefined after an error status was sent instead. */
  frame(msg: unknown): Buffer | undefined {
    let body: Buffer;
    try {
      body = this.#method.responseSerialize(msg);
    } catch (err) {
      this.sendStatus({ code: status.INTERNAL, details: `Error serializing response: ${(err as Error).message}` });
      return undefined;
    }
    if (body.length > this.#server.options.maxSendBytes) {
      this.sendStatus({ code: status.RESOURCE_EXHAUSTED, details: `Sent message larger than max (${body.length} vs. ${this.#server.options.maxSendBytes})` });
      return undefined;
    }
    const head = Buffer.allocUnsafe(5);
    head[0] = 0;
    head.writeUInt32BE(body.length, 1);
    return Buffer.concat([head, body]);
  }

  /** Writes one framed message; cb once HTTP/2 took it (or at once when the call is over). */
  writeMessage(msg: unknown, cb: () => void): void {
    if (this.#done) return cb();
    const data = this.frame(msg);
    const st = this.#stream;
    if (!data || st.destroyed || st.closed) return cb();
    this.#sendHeaders();
    if (st.write(data)) return cb();
    const go = () => {
      st.off('drain', go);
      st.off('close', go);
      cb();
    };
    st.on('drain', go);
    st.on('close', go);
  }

  override _write(msg: unknown, _enc: BufferEncoding, cb: (e?: Error | null) => void): void {
    this.writeMessage(msg, () => cb());
  }

  override _final(cb: (e?: Error | null) => void): void {
    this.sendStatus(this.#errorStatus ?? { code: status.OK, details: 'OK', metadata: this.#trailers });
    cb();
  }

  override _read(): void {
    if (this.#stream.isPaused()) this.#stream.resume();
  }

  /** @internal a request message of a streaming call: false = stop reading */
  pushMessage(msg: unknown): void {
    if (!this.push(msg)) this.#stream.pause();
  }

  /** grpc-js's end([trailing metadata]) */
  override end(...args: unknown[]): this {
    if (isMetadata(args[0])) {
      this.#trailers = args[0];
      return super.end();
    }
    return super.end(...(args as []));
  }

  /** Answers a unary or client-streaming call. */
  reply(err: ServiceErrorLike | null, value: unknown, trailers: MetadataLike | undefined): void {
    if (this.#done) return;
    if (err) return this.sendStatus(statusOfError(err));
    const data = this.frame(value);
    if (!data) return;
    this.#sendHeaders();
    const st = this.#stream;
    if (st.destroyed || st.closed) return;
    st.write(data);
    this.sendStatus({ code: status.OK, details: 'OK', metadata: trailers });
  }
}

/** Reads gRPC messages out of DATA chunks. */
class MessageReader {
  #chunks: Buffer[] = [];
  #len = 0;

  readonly #max: number;

  constructor(max: number) {
    this.#max = max;
  }

  get pending(): number {
    return this.#len;
  }

  /** Complete messages in `chunk` (with earlier bytes); throws a Status for a bad one. */
  push(chunk: Buffer): Array<{ compressed: boolean; body: Buffer }> {
    this.#chunks.push(chunk);
    this.#len += chunk.length;
    const out: Array<{ compressed: boolean; body: Buffer }> = [];
    while (this.#len >= 5) {
      let head = this.#chunks[0]!;
      if (head.length < 5) {
        head = Buffer.concat(this.#chunks);
        this.#chunks = [head];
      }
      const flag = head[0]!;
      if (flag > 1) throw { code: status.INTERNAL, details: `Bad message flag ${flag}` } satisfies Status;
      const len = head.readUInt32BE(1);
      if (len > this.#max) throw { code: status.RESOURCE_EXHAUSTED, details: `Received message larger than max (${len} vs. ${this.#max})` } satisfies Status;
      if (this.#len < 5 + len) break;
      if (head.length < 5 + len) {
        head = Buffer.concat(this.#chunks);
        this.#chunks = [head];
      }
      out.push({ compressed: flag === 1, body: head.subarray(5, 5 + len) });
      const rest = head.subarray(5 + len);
      this.#chunks = rest.length > 0 ? [rest, ...this.#chunks.slice(1)] : this.#chunks.slice(1);
      this.#len -= 5 + len;
    }
    return out;
  }
}

type ZlibModule = typeof import('node:zlib');
let zlib: ZlibModule | undefined;

function decompress(encoding: string, body: Buffer, max: number): Buffer {
  zlib ??= process.getBuiltinModule('node:zlib') as ZlibModule;
  const opts = { maxOutputLength: max };
  if (encoding === 'gzip') return zlib.gunzipSync(body, opts);
  if (encoding === 'deflate') return zlib.inflateSync(body, opts);
  throw { code: status.UNIMPLEMENTED, details: `Received message compressed with unsupported encoding "${encoding}"` } satisfies Status;
}

interface Registered {
  method: MethodDefinition;
  handler: ServerHandler | undefined;
}

/** The server: services by path, listeners (unix sockets screened, TLS TCP), connections. */
export class GrpcServer {
  readonly options: ServerOptions;
  readonly #methods = new Map<string, Registered>();
  readonly #sessions = new Set<http2.ServerHttp2Session>();
  readonly #listeners: NetServer[] = [];
  readonly #rawSockets = new Set<Socket>();
  /** unix connections not yet handed to HTTP/2 (uds-authority.ts looks at their first request) */
  readonly #screening = new Set<Socket>();
  #h2: http2.Http2Server | undefined;
  #shuttingDown = false;
  #onIdle: Array<() => void> = [];

  constructor(options: ServerOptions) {
    this.options = options;
  }

  /** Registers a service's handlers by method name (grpc-js's addService); missing ones answer UNIMPLEMENTED. */
  addService(def: ServiceDefinition, impl: Record<string, unknown>): void {
    for (const [name, method] of Object.entries(def)) {
      if (this.#methods.has(method.path)) throw new Error(`method ${method.path} registered twice`);
      const h = impl[name] ?? (method.originalName ? impl[method.originalName] : undefined);
      this.#methods.set(method.path, { method, handler: typeof h === 'function' ? (h as ServerHandler) : undefined });
    }
  }

  #debug(line: string): void {
    this.options.debug?.(`grpc: ${line}`);
  }

  #settings(): http2.Settings {
    return { maxConcurrentStreams: this.options.maxConcurrentStreams, initialWindowSize: STREAM_WINDOW, enablePush: false };
  }

  #plain(): http2.Http2Server {
    if (this.#h2) return this.#h2;
    const h2 = http2.createServer({ settings: this.#settings(), maxSessionMemory: this.options.maxSessionMemory });
    this.#wire(h2);
    this.#h2 = h2;
    return h2;
  }

  #wire(h2: http2.Http2Server | http2.Http2SecureServer): void {
    h2.on('session', (s) => this.#onSession(s));
    h2.on('stream', (stream, headers) => this.#onStream(stream, headers));
    h2.on('sessionError', (err: Error) => this.#debug(`connection error: ${err.message}`));
    h2.on('error', (err: Error) => this.#debug(`server error: ${err.message}`));
  }

  /** Listens on a unix socket (the caller made the path free and sets its mode). */
  listenUnix(path: string): Promise<void> {
    const h2 = this.#plain();
    const net = createNetServer({ pauseOnConnect: false });
    net.maxConnections = this.options.maxConnections;
    net.on('connection', (socket: Socket) => {
      if (this.#shuttingDown) {
        socket.destroy();
        return;
      }
      this.#rawSockets.add(socket);
      this.#screening.add(socket);
      socket.once('close', () => {
        this.#rawSockets.delete(socket);
        this.#screening.delete(socket);
      });
      socket.on('error', (e) => this.#debug(`socket error: ${e.message}`));
      const deliver = (c: Duplex) => {
        this.#screening.delete(socket);
        h2.emit('connection', c);
      };
      if (this.options.screenUnix === false) deliver(socket);
      else screenConnection(socket, deliver, this.options.idleConnectionMs);
    });
    net.on('error', (err) => this.#debug(`listener error: ${err.message}`));
    return new Promise((resolve, reject) => {
      net.once('error', reject);
      net.listen(path, () => {
        net.off('error', reject);
        this.#listeners.push(net);
        resolve();
      });
    });
  }

  /** Listens on TCP with TLS (ALPN h2); resolves the port. */
  listenTls(host: string, port: number, tls: TlsOptions): Promise<number> {
    const h2 = http2.createSecureServer({
      settings: this.#settings(),
      maxSessionMemory: this.options.maxSessionMemory,
      cert: tls.cert,
      key: tls.key,
      ...(tls.verifyClients ? { ca: tls.ca, requestCert: true, rejectUnauthorized: true } : {}),
      allowHTTP1: false,
    });
    h2.maxConnections = this.options.maxConnections;
    this.#wire(h2);
    h2.on('tlsClientError', (err: Error) => this.#debug(`TLS handshake: ${err.message}`));
    h2.on('unknownProtocol', (s: { destroy(): void }) => s.destroy());
    h2.on('connection', (socket: Socket) => {
      this.#rawSockets.add(socket);
      socket.once('close', () => this.#rawSockets.delete(socket));
      socket.on('error', (e) => this.#debug(`socket error: ${e.message}`));
    });
    return new Promise((resolve, reject) => {
      h2.once('error', reject);
      h2.listen(port, host.replace(/^\[|\]$/g, ''), () => {
        h2.off('error', reject);
        this.#listeners.push(h2);
        const a = h2.address();
        resolve(typeof a === 'object' && a ? a.port : port);
      });
    });
  }

  #onSession(session: http2.ServerHttp2Session): void {
    this.#sessions.add(session);
    session.on('error', (err: Error) => this.#debug(`connection error: ${err.message}`));
    if (this.#shuttingDown) session.close();
    const local = () => {
      try {
        session.setLocalWindowSize(4 * STREAM_WINDOW);
      } catch {
        // session already gone
      }
    };
    if (session.connecting === false) local();
    else session.once('connect', local);
    // a connection with no call in flight for idleConnectionMs is closed (GOAWAY, then close)
    let open = 0;
    let idle: NodeJS.Timeout | undefined;
    const arm = () => {
      idle = setTimeout(() => {
        if (open === 0 && !session.closed && !session.destroyed) session.close();
      }, this.options.idleConnectionMs);
      idle.unref();
    };
    arm();
    session.on('stream', (stream: http2.ServerHttp2Stream) => {
      open++;
      if (idle) clearTimeout(idle);
      idle = undefined;
      stream.once('close', () => {
        if (--open === 0 && !session.destroyed) arm();
      });
    });
    session.once('close', () => {
      if (idle) clearTimeout(idle);
      this.#sessions.delete(session);
      this.#checkIdle();
    });
  }

  #onStream(stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders): void {
    stream.on('error', (err: Error) => this.#debug(`stream error: ${err.message}`));
    const fail = (s: Status) => {
      if (stream.destroyed || stream.closed) return;
      stream.respond({ ':status': 200, 'content-type': CONTENT_TYPE, 'grpc-status': String(s.code), 'grpc-message': encodeGrpcMessage(s.details) }, { endStream: true });
      stream.resume();
    };
    const ct = String(headers['content-type'] ?? '');
    if (headers[':method'] !== 'POST' || !ct.startsWith('application/grpc')) {
      stream.respond({ ':status': 415 }, { endStream: true });
      stream.resume();
      return;
    }
    const path = String(headers[':path'] ?? '');
    const reg = this.#methods.get(path);
    if (!reg?.handler) return fail({ code: status.UNIMPLEMENTED, details: `The server does not implement the method ${path}` });
    let timeoutMs: number | undefined;
    const rawTimeout = headers['grpc-timeout'];
    if (rawTimeout !== undefined) {
      timeoutMs = parseTimeout(String(rawTimeout));
      if (timeoutMs === undefined) return fail({ code: status.OUT_OF_RANGE, details: `Invalid grpc-timeout value "${String(rawTimeout)}"` });
    }
    const encoding = String(headers['grpc-encoding'] ?? 'identity');
    const { method, handler } = reg;
    const call = new ServerCall(stream, headers, method, this, timeoutMs);
    stream.once('close', () => call.onStreamClose());
    const reader = new MessageReader(this.options.maxReceiveBytes);
    const streaming = method.requestStream;
    let first: unknown;
    let count = 0;
    let failed = false;
    const start = () => {
      try {
        handler(call, (err, value, trailers) => call.reply(err, value, trailers));
      } catch (err) {
        this.#debug(`handler of ${path} threw: ${(err as Error).message}`);
        call.sendStatus({ code: status.INTERNAL, details: (err as Error).message });
      }
    };
    if (streaming) start();
    stream.on('data', (chunk: Buffer) => {
      if (failed || call.done) return;
      try {
        for (const m of reader.push(chunk)) {
          let body = m.body;
          if (m.compressed) {
            if (encoding === 'identity') throw { code: status.INTERNAL, details: 'Compressed message without grpc-encoding' } satisfies Status;
            body = decompress(encoding, body, this.options.maxReceiveBytes);
          }
          let msg: unknown;
          try {
            msg = method.requestDeserialize(body);
          } catch (err) {
            throw { code: status.INTERNAL, details: `Error deserializing request: ${(err as Error).message}` } satisfies Status;
          }
          count++;
          if (streaming) call.pushMessage(msg);
          else if (count > 1) throw { code: status.UNIMPLEMENTED, details: `Received a second request message for server streaming method ${path}` } satisfies Status;
          else first = msg;
        }
      } catch (e) {
        failed = true;
        call.fail((typeof e === 'object' && e !== null && 'code' in e ? e : { code: status.INTERNAL, details: (e as Error).message }) as Status);
      }
    });
    stream.once('end', () => {
      if (failed || call.done) return;
      if (reader.pending > 0) return call.fail({ code: status.INTERNAL, details: 'Received a truncated message' });
      if (streaming) {
        call.push(null);
        return;
      }
      if (count === 0) return call.sendStatus({ code: status.UNIMPLEMENTED, details: `No message received for unary method ${path}` });
      call.request = first;
      call.push(null);
      start();
    });
  }

  #checkIdle(): void {
    if (!this.#shuttingDown || this.#sessions.size > 0) return;
    const cbs = this.#onIdle;
    this.#onIdle = [];
    for (const cb of cbs) cb();
  }

  /** Stops accepting; calls in flight finish; cb once every connection is closed. */
  tryShutdown(cb: () => void): void {
    this.#shuttingDown = true;
    for (const l of this.#listeners) l.close();
    // connections still being screened (no HTTP/2 session yet) have nothing in flight
    for (const s of this.#screening) s.destroy();
    for (const s of this.#sessions) s.close();
    this.#onIdle.push(cb);
    this.#checkIdle();
  }

  /** Cuts every connection now. */
  forceShutdown(): void {
    this.#shuttingDown = true;
    for (const l of this.#listeners) l.close();
    for (const s of this.#sessions) s.destroy();
    for (const s of this.#rawSockets) s.destroy();
    this.#checkIdle();
  }

  /** Open connections (HTTP/2 sessions), for tests. */
  get sessionCount(): number {
    return this.#sessions.size;
  }
}
