// The CLI's gRPC client without grpc-js: gRPC's HTTP/2 mapping spoken over ./h2-session.ts (a
// small HTTP/2 client; unix socket, or TLS TCP with `tls` loaded only then), messages coded by
// ./pb.ts from descriptors the build made out of proto/*.proto (no .proto parsing and no
// protobufjs at run time). grpc-js costs ~70 ms of every `isula` start (loading and compiling
// it), node:http2 another ~15-20 ms; this file is the part of them a short-lived client needs.
//
// The objects it returns behave like grpc-js's client calls as far as the CLI uses them: the
// same method names and argument forms, 'metadata' / 'data' / 'end' / 'error' / 'status' events
// in grpc-js's order, ServiceError {code, details, metadata}, cancel(). The daemon's server
// (./grpc-server.ts) speaks the same wire; test/unit/api/h2-client.test.ts talks to it.
//
// Wire (https://github.com/grpc/grpc/blob/master/doc/PROTOCOL-HTTP2.md): POST :path
// /pkg.Service/Method, content-type application/grpc, te: trailers, grpc-timeout; each message
// is a 1-byte compressed flag (always 0 here), a 4-byte big-endian length and the bytes; the
// status comes in trailers (grpc-status, grpc-message percent-encoded), or in the headers of a
// trailers-only answer.

import { EventEmitter } from 'node:events';
import type { Duplex, Readable, Writable } from 'node:stream';
import containersJson from '../../proto/containers.proto?descriptor-json';
import volumesJson from '../../proto/volumes.proto?descriptor-json';
import imagesJson from '../../proto/images.proto?descriptor-json';
import networksJson from '../../proto/networks.proto?descriptor-json';
import type * as grpc from '@grpc/grpc-js';
import { CANCEL, ENHANCE_YOUR_CALM, H2Session, INADEQUATE_SECURITY, REFUSED_STREAM, type H2Stream, type HeaderMap } from './h2-session.ts';
import { parseHost, type HostAddress } from './host.ts';
import { pipeConnect } from './pipe-socket.ts';
import { serviceMethods, type Descriptor, type MethodInfo } from './pb.ts';

export { status, Metadata, STATUS_NAMES } from './grpc-common.ts';
import { status, Metadata, STATUS_NAMES } from './grpc-common.ts';

/** New call metadata, typed as grpc-js's for the generated client types the CLI uses. */
export function newMetadata(): grpc.Metadata {
  return new Metadata() as unknown as grpc.Metadata;
}

export interface StatusObject {
  code: number;
  details: string;
  metadata: Metadata;
}

export interface ServiceError extends Error, StatusObject {}

function callError(s: StatusObject): ServiceError {
  const err = new Error(`${s.code} ${STATUS_NAMES[s.code] ?? 'UNKNOWN'}: ${s.details}`) as ServiceError;
  return Object.assign(err, { code: s.code, details: s.details, metadata: s.metadata });
}

/** The isula services the CLI talks to, by client field name. */
// Each descriptor is parsed from its JSON text when its service is first used: `isula version`
// needs one of the four (the rest cost every start ~1.5 M instructions, docs/performance.md).
const parse = (json: string) => JSON.parse(json) as Descriptor;
export const SERVICES = {
  containers: () => serviceMethods(parse(containersJson), 'containers.ContainerService'),
  volumes: () => serviceMethods(parse(volumesJson), 'volume.VolumeService'),
  images: () => serviceMethods(parse(imagesJson), 'images.ImagesService'),
  networks: () => serviceMethods(parse(networksJson), 'network.NetworkService'),
} as const;

// ---------------------------------------------------------------------------------------------
// the connection

export interface ClientTls {
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  /** false for `--tls` without `--tlsverify`: encrypt, but do not check the daemon's certificate */
  verifyServer: boolean;
}

/** Per-call options of a unary RPC. */
export interface CallOptions {
  /** milliseconds from now; none = no deadline */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface ConnectOptions {
  /** unix:///path or tcp://host:port */
  host: string;
  /** required for tcp:// hosts */
  tls?: ClientTls;
}

export interface CallOptions {
  /** absolute time in ms (grpc-js's `deadline`) */
  deadline?: number;
}

const MAX_RECEIVE_BYTES = 64 << 20;
const WINDOW = 1 << 20;
const END_STREAM_FLAG = 0x1;
/** headers the call sets itself; call metadata cannot override them */
const RESERVED_HEADERS = new Set(['content-type', 'te', 'grpc-timeout', 'grpc-accept-encoding', 'grpc-encoding']);

/** One HTTP/2 connection to the daemon, opened on the first call and shared by every service. */
export class Channel {
  private session: H2Session | undefined;
  private readonly calls = new Set<Call>();
  private closed = false;

  private readonly opts: ConnectOptions;
  private readonly addr: HostAddress;

  /** `:authority` of every call: what node:http2 sent for the same URL */
  private readonly authority: string;

  /** Throws an invalid-argument error for a malformed host, before any call. */
  constructor(opts: ConnectOptions) {
    this.opts = opts;
    this.addr = parseHost(opts.host);
    this.authority = this.addr.kind === 'unix' ? 'localhost' : `${this.addr.host}:${this.addr.port}`;
  }

  private connectSession(): H2Session {
    if (this.session && !this.session.destroyed && !this.session.closed) return this.session;
    const addr = this.addr;
    const session = new H2Session({ window: WINDOW });
    if (addr.kind === 'unix') {
      session.attach(pipeConnect(addr.path), 'connect');
    } else {
      // `tls` (with crypto) loads only for a tcp:// host. process.getBuiltinModule where Node
      // has it (22.3+): the x64 executable compiles the CLI with vm.Script (scripts/sea-main.cjs),
      // where import() would need Node's experimental default-loader option, which warns.
      const tlsOpts = this.opts.tls ?? { verifyServer: true };
      const host = addr.host.replace(/^\[|\]$/g, '');
      const builtin = process.getBuiltinModule as ((id: string) => unknown) | undefined;
      const loaded: Promise<[typeof import('node:tls'), typeof import('node:net')]> = builtin
        ? Promise.resolve([builtin('node:tls') as typeof import('node:tls'), builtin('node:net') as typeof import('node:net')])
        : Promise.all([import('node:tls'), import('node:net')]);
      loaded.then(
        ([tls, { isIP }]) => {
          if (session.destroyed) return;
          const socket = tls.connect({
            host,
            port: addr.port,
            ...(isIP(host) ? {} : { servername: host }),
            ALPNProtocols: ['h2'],
            ca: tlsOpts.ca,
            cert: tlsOpts.cert,
            key: tlsOpts.key,
            rejectUnauthorized: tlsOpts.verifyServer,
          });
          session.attach(socket, 'secureConnect');
        },
        (err: Error) => session.destroy(err),
      );
    }
    session.on('error', (err: NodeJS.ErrnoException) => this.failAll(session, err));
    session.on('close', () => this.failAll(session, undefined));
    session.on('goaway', () => {
      if (this.session === session) this.session = undefined;
    });
    this.session = session;
    return session;
  }

  /** Every call still open on a dead session ends UNAVAILABLE, as grpc-js reports it. */
  private failAll(session: H2Session, err: NodeJS.ErrnoException | undefined): void {
    if (this.session === session) this.session = undefined;
    const detail = err
      ? `No connection established. Last error: ${err.code ? `connect ${err.code} ${this.opts.host}` : ''} ${err.message}`.trim()
      : 'Connection dropped';
    for (const c of [...this.calls]) if (c.session === session) c.finish({ code: status.UNAVAILABLE, details: detail, metadata: new Metadata() });
  }

  start(method: MethodInfo, md: Metadata | undefined, opts: CallOptions | undefined, listener: CallListener): Call {
    const call = new Call(method, listener, () => this.calls.delete(call));
    this.calls.add(call);
    if (this.closed) {
      queueMicrotask(() => call.finish({ code: status.UNAVAILABLE, details: 'Channel has been shut down', metadata: new Metadata() }));
      return call;
    }
    let session: H2Session;
    try {
      session = this.connectSession();
    } catch (err) {
      queueMicrotask(() =>
        call.finish({ code: status.UNAVAILABLE, details: `No connection established. Last error: ${(err as Error).message}`, metadata: new Metadata() }),
      );
      return call;
    }
    call.open(session, this.authority, md, opts);
    return call;
  }

  close(): void {
    this.closed = true;
    const s = this.session;
    this.session = undefined;
    if (s && !s.destroyed) s.close();
  }
}

interface CallListener {
  onMetadata(md: Metadata): void;
  onMessage(msg: unknown): void;
  /** false = stop reading until resume() (a paused consumer) */
  onStatus(s: StatusObject): void;
}

/** One RPC on the wire: framing, headers, trailers, deadline and cancel. */
class Call {
  session: H2Session | undefined;
  private stream: H2Stream | undefined;
  private pending: Buffer[] = [];
  private pendingLen = 0;
  private trailers: StatusObject | undefined;
  private done = false;
  private timer: NodeJS.Timeout | undefined;
  private paused = false;
  private streamError: NodeJS.ErrnoException | undefined;

  private readonly method: MethodInfo;
  private readonly listener: CallListener;
  private readonly onDone: () => void;
  private gotResponse = false;

  constructor(method: MethodInfo, listener: CallListener, onDone: () => void) {
    this.method = method;
    this.listener = listener;
    this.onDone = onDone;
  }

  open(session: H2Session, authority: string, md: Metadata | undefined, opts: CallOptions | undefined): void {
    this.session = session;
    const headers: Array<[string, string]> = [
      [':method', 'POST'],
      [':scheme', authority === 'localhost' ? 'http' : 'https'],
      [':authority', authority],
      [':path', this.method.path],
      ['content-type', 'application/grpc'],
      ['te', 'trailers'],
      ['grpc-accept-encoding', 'identity'],
    ];
    if (opts?.deadline !== undefined) {
      const ms = Math.max(1, Math.ceil(opts.deadline - Date.now()));
      headers.push(['grpc-timeout', `${ms}m`]);
      this.timer = setTimeout(() => this.cancelWith(status.DEADLINE_EXCEEDED, 'Deadline exceeded'), ms);
    }
    for (const h of md?.toHttp2Headers() ?? []) {
      // reserved and pseudo headers are the call's own
      if (!h[0].startsWith(':') && !RESERVED_HEADERS.has(h[0])) headers.push(h);
    }
    let stream: H2Stream;
    try {
      stream = session.request(headers);
    } catch (err) {
      queueMicrotask(() => this.finish({ code: status.UNAVAILABLE, details: (err as Error).message, metadata: new Metadata() }));
      return;
    }
    this.stream = stream;
    stream.on('response', (h, flags) => this.onResponse(h, flags));
    stream.on('trailers', (h) => (this.trailers = this.statusOf(h)));
    stream.on('data', (chunk: Buffer) => this.onData(chunk));
    stream.on('end', () => this.onEnd());
    stream.on('error', (err: NodeJS.ErrnoException) => {
      // the 'close' that follows says how the stream ended
      this.streamError = err;
    });
    stream.on('close', () => this.onClose());
  }

  private statusOf(h: HeaderMap): StatusObject {
    const raw = h['grpc-status'];
    const code = raw === undefined ? status.UNKNOWN : Number(raw);
    let details = String(h['grpc-message'] ?? '');
    try {
      details = decodeURIComponent(details);
    } catch {
      // not percent-encoded after all
    }
    if (raw === undefined) details = 'No status received';
    return { code: Number.isInteger(code) ? code : status.UNKNOWN, details, metadata: Metadata.fromHttp2Headers(h) };
  }

  private onResponse(h: HeaderMap, flags: number): void {
    this.gotResponse = true;
    const httpStatus = Number(h[':status']);
    if (httpStatus !== 200) {
      const code = httpStatus === 401 ? status.UNAUTHENTICATED : httpStatus === 403 ? status.PERMISSION_DENIED
        : httpStatus === 404 ? status.UNIMPLEMENTED : [429, 502, 503, 504].includes(httpStatus) ? status.UNAVAILABLE : status.UNKNOWN;
      this.cancelWith(code, `Received HTTP status code ${httpStatus}`);
      return;
    }
    // trailers-only: the status is in the headers and there is no metadata event (as grpc-js)
    if (h['grpc-status'] !== undefined || (flags & END_STREAM_FLAG) !== 0) {
      this.trailers = this.statusOf(h);
      return;
    }
    this.listener.onMetadata(Metadata.fromHttp2Headers(h));
  }

  private onData(chunk: Buffer): void {
    if (this.done) return;
    this.pending.push(chunk);
    this.pendingLen += chunk.length;
    while (this.pendingLen >= 5) {
      let head = this.pending[0] as Buffer;
      if (head.length < 5) {
        head = Buffer.concat(this.pending);
        this.pending = [head];
      }
      if (head[0] !== 0) return this.cancelWith(status.INTERNAL, 'Received a compressed message, but no compression was negotiated');
      const len = head.readUInt32BE(1);
      if (len > MAX_RECEIVE_BYTES) return this.cancelWith(status.RESOURCE_EXHAUSTED, `Received message larger than max (${len} vs. ${MAX_RECEIVE_BYTES})`);
      if (this.pendingLen < 5 + len) return;
      if (head.length < 5 + len) {
        head = Buffer.concat(this.pending);
        this.pending = [head];
      }
      const body = head.subarray(5, 5 + len);
      const rest = head.subarray(5 + len);
      this.pending = rest.length > 0 ? [rest, ...this.pending.slice(1)] : this.pending.slice(1);
      this.pendingLen -= 5 + len;
      let msg: unknown;
      try {
        msg = this.method.res.deserialize(body);
      } catch (err) {
        return this.cancelWith(status.INTERNAL, `Response message parsing error: ${(err as Error).message}`);
      }
      this.listener.onMessage(msg);
      if (this.done) return;
    }
  }

  private onEnd(): void {
    if (this.pendingLen > 0) return this.cancelWith(status.INTERNAL, 'Received a truncated message');
    this.finish(this.trailers ?? { code: status.UNKNOWN, details: 'No status received', metadata: new Metadata() });
  }

  private onClose(): void {
    if (this.done) return;
    if (this.trailers && this.pendingLen === 0) return this.finish(this.trailers);
    const err = this.streamError;
    if (err && !this.trailers && !this.gotResponse) {
      // the connection itself failed (no socket, refused, TLS): UNAVAILABLE as grpc-js says it
      const cause = err.cause instanceof Error ? err.cause : err;
      return this.finish({ code: status.UNAVAILABLE, details: `No connection established. Last error: ${cause.message}`, metadata: new Metadata() });
    }
    const rst = this.stream?.rstCode ?? 0;
    const code = rst === REFUSED_STREAM ? status.UNAVAILABLE
      : rst === CANCEL ? status.CANCELLED
      : rst === ENHANCE_YOUR_CALM ? status.RESOURCE_EXHAUSTED
      : rst === INADEQUATE_SECURITY ? status.PERMISSION_DENIED
      : status.INTERNAL;
    this.finish({ code, details: rst ? `Received RST_STREAM with code ${rst}` : 'Connection dropped', metadata: new Metadata() });
  }

  /** Ends the call once: the status goes to the listener; the stream is reset if still open. */
  finish(s: StatusObject): void {
    if (this.done) return;
    this.done = true;
    if (this.timer) clearTimeout(this.timer);
    const st = this.stream;
    if (st && !st.closed && !st.destroyed) st.close(CANCEL);
    this.onDone();
    this.listener.onStatus(s);
  }

  cancelWith(code: number, details: string): void {
    this.finish({ code, details, metadata: new Metadata() });
  }

  /** Sends one message; cb once it is handed to HTTP/2 (or at once if the call is over). */
  write(msg: unknown, cb: (err?: Error | null) => void): void {
    const st = this.stream;
    if (this.done || !st || st.destroyed || st.writableEnded) return cb();
    let body: Buffer;
    try {
      body = this.method.req.serialize(msg);
    } catch (err) {
      this.cancelWith(status.INTERNAL, `Request message serialization failure: ${(err as Error).message}`);
      return cb();
    }
    const head = Buffer.allocUnsafe(5);
    head[0] = 0;
    head.writeUInt32BE(body.length, 1);
    st.write(head);
    st.write(body, () => cb());
  }

  halfClose(): void {
    const st = this.stream;
    if (st && !st.destroyed && !st.writableEnded) st.end();
  }

  pause(): void {
    if (this.paused) return;
    this.paused = true;
    this.stream?.pause();
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    this.stream?.resume();
  }
}

// ---------------------------------------------------------------------------------------------
// grpc-js-shaped call objects

type Callback = (err: ServiceError | null, res?: unknown) => void;

function unaryListener(cb: Callback, emitter: { emit(ev: string, ...a: unknown[]): boolean }): CallListener {
  let response: unknown;
  let got = false;
  return {
    onMetadata: (md) => emitter.emit('metadata', md),
    onMessage: (m) => {
      response = m;
      got = true;
    },
    onStatus: (s) => {
      if (s.code !== status.OK) cb(callError(s));
      else if (!got) cb(callError({ code: status.UNIMPLEMENTED, details: 'No message received', metadata: s.metadata }));
      else cb(null, response);
      emitter.emit('status', s);
    },
  };
}

class UnaryCall extends EventEmitter {
  call: Call | undefined;
  cancel(): void {
    this.call?.cancelWith(status.CANCELLED, 'Cancelled on client');
  }
}

// The streaming call objects are node:stream classes, made on the first streaming call: `stream`
// and its internal modules cost a unary-only command (version, inspect, ps ...) ~3 ms to load.
interface CancellableStream {
  call: Call | undefined;
  cancel(): void;
}
type ClientReadable = Readable & CancellableStream;
type ClientWritable = Writable & CancellableStream;
type ClientDuplex = Duplex & CancellableStream;
interface StreamClasses {
  ClientReadable: new () => ClientReadable;
  ClientWritable: new () => ClientWritable;
  ClientDuplex: new () => ClientDuplex;
}

let streamClasses: StreamClasses | undefined;

function makeStreamClasses(): StreamClasses {
  const { Duplex, Readable, Writable } = (process.getBuiltinModule?.('node:stream') ?? require('node:stream')) as typeof import('node:stream');
  class ClientReadable extends Readable {
    call: Call | undefined;
    constructor() {
      super({ objectMode: true });
    }
    cancel(): void {
      this.call?.cancelWith(status.CANCELLED, 'Cancelled on client');
    }
    override _read(): void {
      this.call?.resume();
    }
  }

  class ClientWritable extends Writable {
    call: Call | undefined;
    constructor() {
      super({ objectMode: true });
    }
    cancel(): void {
      this.call?.cancelWith(status.CANCELLED, 'Cancelled on client');
    }
    override _write(chunk: unknown, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
      if (!this.call) return cb();
      this.call.write(chunk, cb);
    }
    override _final(cb: (err?: Error | null) => void): void {
      this.call?.halfClose();
      cb();
    }
  }

  class ClientDuplex extends Duplex {
    call: Call | undefined;
    constructor() {
      super({ objectMode: true });
    }
    cancel(): void {
      this.call?.cancelWith(status.CANCELLED, 'Cancelled on client');
    }
    override _read(): void {
      this.call?.resume();
    }
    override _write(chunk: unknown, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
      if (!this.call) return cb();
      this.call.write(chunk, cb);
    }
    override _final(cb: (err?: Error | null) => void): void {
      this.call?.halfClose();
      cb();
    }
  }

  return { ClientReadable, ClientWritable, ClientDuplex };
}

function classes(): StreamClasses {
  return (streamClasses ??= makeStreamClasses());
}

function readingListener(stream: ClientReadable | ClientDuplex): CallListener {
  return {
    onMetadata: (md) => stream.emit('metadata', md),
    onMessage: (m) => {
      if (!stream.push(m)) stream.call?.pause();
    },
    onStatus: (s) => {
      stream.push(null);
      if (s.code !== status.OK) stream.emit('error', callError(s));
      stream.emit('status', s);
    },
  };
}

/** Sorts grpc-js's optional arguments: ([metadata], [options], [callback]). */
function splitArgs(args: unknown[]): { md?: Metadata; opts?: CallOptions; cb?: Callback } {
  const out: { md?: Metadata; opts?: CallOptions; cb?: Callback } = {};
  for (const a of args) {
    if (typeof a === 'function') out.cb = a as Callback;
    else if (a instanceof Metadata) out.md = a;
    else if (a && typeof a === 'object') out.opts = a as CallOptions;
  }
  return out;
}

/**
 * A service client with grpc-js's call forms: unary `M(req, [md], [opts], cb)`, server stream
 * `M(req, [md], [opts])`, client stream `M([md], [opts], cb)`, bidi `M([md], [opts])`.
 */
export function serviceClient(channel: Channel, methods: Map<string, MethodInfo>): Record<string, (...args: unknown[]) => unknown> {
  const client: Record<string, (...args: unknown[]) => unknown> = {};
  for (const [name, m] of methods) {
    let fn: (...args: unknown[]) => unknown;
    if (!m.requestStream && !m.responseStream) {
      fn = (req: unknown, ...rest: unknown[]) => {
        const { md, opts, cb } = splitArgs(rest);
        if (!cb) throw new TypeError(`${name}: a unary call needs a callback`);
        const emitter = new UnaryCall();
        const call = channel.start(m, md, opts, unaryListener(cb, emitter));
        emitter.call = call;
        call.write(req, () => {});
        call.halfClose();
        return emitter;
      };
    } else if (!m.requestStream) {
      fn = (req: unknown, ...rest: unknown[]) => {
        const { md, opts } = splitArgs(rest);
        const stream = new (classes().ClientReadable)();
        const call = channel.start(m, md, opts, readingListener(stream));
        stream.call = call;
        call.write(req, () => {});
        call.halfClose();
        return stream;
      };
    } else if (!m.responseStream) {
      fn = (...rest: unknown[]) => {
        const { md, opts, cb } = splitArgs(rest);
        if (!cb) throw new TypeError(`${name}: a client-streaming call needs a callback`);
        const stream = new (classes().ClientWritable)();
        stream.call = channel.start(m, md, opts, unaryListener(cb, stream));
        return stream;
      };
    } else {
      fn = (...rest: unknown[]) => {
        const { md, opts } = splitArgs(rest);
        const stream = new (classes().ClientDuplex)();
        stream.call = channel.start(m, md, opts, readingListener(stream));
        return stream;
      };
    }
    client[name] = fn;
    client[name.charAt(0).toLowerCase() + name.slice(1)] = fn;
  }
  return client;
}
