// The CLI's connection to a unix socket, on libuv's pipe handle without node:net. Loading `net`
// (with node:stream and its ~20 internal modules) and making a net.Socket cost every `isula`
// call that talks to the daemon ~8-10 ms of CPU, about a third of what the whole CLI then costs
// (docs/performance.md). This object is the part of a net.Socket that ./h2-session.ts uses:
// write() (false once libuv queued the write; 'drain' when the queue is written), end() (a
// shutdown after the queued writes), destroy(), and 'connect', 'data', 'drain', 'error' then
// 'close' in net's order. Writes made before the connection are kept and sent on 'connect'.
//
// The handle comes from `process.binding('pipe_wrap')`, the binding net.Socket itself is built on.
// Where that is not available (or would print a deprecation warning: --pending-deprecation),
// pipeConnect() returns a plain net.Socket instead; so does anything but a unix socket.

import { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';

interface StreamState {
  [i: number]: number;
}
interface WriteReq {
  handle: unknown;
  oncomplete: (status: number) => void;
  async: boolean;
  buffer?: Buffer;
}
interface PipeHandle {
  connect(req: { oncomplete: (status: number) => void; address?: string }, path: string): number;
  readStart(): number;
  writeBuffer(req: WriteReq, buf: Buffer): number;
  shutdown(req: { handle: unknown; oncomplete: (status: number) => void }): number;
  close(cb: () => void): void;
  /** a function only: the binding aborts the process on anything else */
  onread: (buf: ArrayBuffer | undefined) => void;
}
interface Bindings {
  newPipe(): PipeHandle;
  newConnectReq(): { oncomplete: (status: number) => void; address?: string };
  newWriteReq(): WriteReq;
  newShutdownReq(): { handle: unknown; oncomplete: (status: number) => void };
  state: StreamState;
  kReadBytesOrError: number;
  kArrayBufferOffset: number;
  kLastWriteWasAsync: number;
  errname(code: number): string;
}

const UV_EOF = -4095;

let bindings: Bindings | null | undefined;

function loadBindings(): Bindings | null {
  if (bindings !== undefined) return bindings;
  bindings = null;
  try {
    const pending = process.execArgv.includes('--pending-deprecation') || /^(1|true)$/.test(process.env['NODE_PENDING_DEPRECATION'] ?? '');
    const binding = (process as unknown as { binding?: (name: string) => Record<string, unknown> }).binding;
    if (pending || typeof binding !== 'function') return null;
    const pw = binding('pipe_wrap') as { Pipe: new (t: number) => PipeHandle; PipeConnectWrap: new () => never; constants: { SOCKET: number } };
    const sw = binding('stream_wrap') as {
      WriteWrap: new () => WriteReq;
      ShutdownWrap: new () => never;
      streamBaseState: StreamState;
      kReadBytesOrError: number;
      kArrayBufferOffset: number;
      kLastWriteWasAsync: number;
    };
    const uv = binding('uv') as { errname(code: number): string };
    const ok =
      typeof pw.Pipe === 'function' && typeof pw.PipeConnectWrap === 'function' && typeof pw.constants?.SOCKET === 'number' &&
      typeof sw.WriteWrap === 'function' && typeof sw.ShutdownWrap === 'function' && sw.streamBaseState !== undefined &&
      typeof sw.kReadBytesOrError === 'number' && typeof sw.kArrayBufferOffset === 'number' && typeof sw.kLastWriteWasAsync === 'number' &&
      typeof uv.errname === 'function';
    if (!ok) return null;
    bindings = {
      newPipe: () => new pw.Pipe(pw.constants.SOCKET),
      newConnectReq: () => new pw.PipeConnectWrap(),
      newWriteReq: () => new sw.WriteWrap(),
      newShutdownReq: () => new sw.ShutdownWrap(),
      state: sw.streamBaseState,
      kReadBytesOrError: sw.kReadBytesOrError,
      kArrayBufferOffset: sw.kArrayBufferOffset,
      kLastWriteWasAsync: sw.kLastWriteWasAsync,
      errname: (code) => uv.errname(code),
    };
  } catch {
    bindings = null;
  }
  return bindings;
}

function uvError(b: Bindings, status: number, syscall: string, path: string): NodeJS.ErrnoException {
  let code: string;
  try {
    code = b.errname(status);
  } catch {
    code = `Unknown system error ${status}`;
  }
  const where = syscall === 'connect' ? ` ${path}` : '';
  return Object.assign(new Error(`${syscall} ${code}${where}`), { errno: status, code, syscall, ...(syscall === 'connect' ? { address: path } : {}) });
}

/** A connection to the unix socket at `path`; see the top of this file. */
export class PipeSocket extends EventEmitter {
  private readonly b: Bindings;
  private readonly handle: PipeHandle;
  private readonly path: string;
  private connected = false;
  private closing = false;
  private ending = false;
  private ended = false;
  private queued: Buffer[] = [];
  private pendingWrites = 0;
  private blocked = false;

  constructor(b: Bindings, path: string) {
    super();
    this.b = b;
    this.path = path;
    this.handle = b.newPipe();
    const req = b.newConnectReq();
    req.address = path;
    req.oncomplete = (status) => this.afterConnect(status);
    const err = this.handle.connect(req, path);
    if (err < 0) queueMicrotask(() => this.destroy(uvError(b, err, 'connect', path)));
  }

  private afterConnect(status: number): void {
    if (this.closing) return;
    if (status < 0) return this.destroy(uvError(this.b, status, 'connect', this.path));
    this.connected = true;
    this.handle.onread = (buf) => this.onRead(buf);
    const err = this.handle.readStart();
    if (err < 0) return this.destroy(uvError(this.b, err, 'read', this.path));
    this.emit('connect');
    const queued = this.queued;
    this.queued = [];
    for (const buf of queued) if (!this.closing) this.writeNow(buf);
    if (this.ending && !this.closing) this.shutdownNow();
  }

  private onRead(ab: ArrayBuffer | undefined): void {
    const nread = this.b.state[this.b.kReadBytesOrError]!;
    if (nread > 0 && ab) {
      this.emit('data', Buffer.from(ab, this.b.state[this.b.kArrayBufferOffset]!, nread));
      return;
    }
    if (nread === 0) return;
    // EOF: the daemon is done with us (net.Socket without allowHalfOpen ends here too)
    this.destroy(nread === UV_EOF ? undefined : uvError(this.b, nread, 'read', this.path));
  }

  private writeNow(buf: Buffer): void {
    const req = this.b.newWriteReq();
    req.handle = this.handle;
    req.async = false;
    req.buffer = buf; // held until libuv has written it
    req.oncomplete = (status) => {
      this.pendingWrites--;
      if (status < 0) return this.destroy(uvError(this.b, status, 'write', this.path));
      if (this.pendingWrites === 0 && this.blocked && !this.closing) {
        this.blocked = false;
        this.emit('drain');
      }
    };
    const err = this.handle.writeBuffer(req, buf);
    if (err < 0) return this.destroy(uvError(this.b, err, 'write', this.path));
    if (this.b.state[this.b.kLastWriteWasAsync]) this.pendingWrites++;
  }

  /** false when the data waits in libuv's queue ('drain' follows), as a net.Socket says. */
  write(buf: Buffer): boolean {
    if (this.closing || this.ending) return false;
    if (!this.connected) {
      this.queued.push(buf);
      return true;
    }
    this.writeNow(buf);
    if (this.pendingWrites > 0) this.blocked = true;
    return !this.blocked;
  }

  private shutdownNow(): void {
    if (this.ended) return;
    this.ended = true;
    const req = this.b.newShutdownReq();
    req.handle = this.handle;
    req.oncomplete = () => undefined; // the daemon's EOF then closes us
    const err = this.handle.shutdown(req);
    if (err < 0) this.destroy();
  }

  /** Half-closes after everything written so far; 'close' comes when the daemon closes too. */
  end(): void {
    if (this.closing || this.ending) return;
    this.ending = true;
    if (this.connected) this.shutdownNow();
  }

  destroy(err?: Error): void {
    if (this.closing) return;
    this.closing = true;
    this.queued = [];
    this.handle.onread = () => undefined;
    this.handle.close(() => {
      if (err) this.emit('error', err);
      this.emit('close', err !== undefined);
    });
  }
}

/** A connection to a unix socket: a PipeSocket, or a net.Socket where the binding is missing. */
export function pipeConnect(path: string): Duplex {
  const b = loadBindings();
  if (b) return new PipeSocket(b, path) as unknown as Duplex;
  const net = (process.getBuiltinModule?.('node:net') ?? require('node:net')) as typeof import('node:net');
  return net.connect(path);
}
