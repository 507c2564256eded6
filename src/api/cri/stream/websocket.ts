// Kubernetes' WebSocket remotecommand protocols (channel.k8s.io up to v5.channel.k8s.io) over
// the `ws` package: every binary message starts with a channel byte (0 stdin, 1 stdout, 2 stderr,
// 3 error, 4 resize); v5 adds a close message (255, <channel>) by which the client half-closes
// stdin. Each channel is a Duplex here, so the exec/attach logic is the same as over SPDY.
import { EventEmitter } from 'node:events';
import { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';

export const WS_REMOTECOMMAND = ['v5.channel.k8s.io', 'v4.channel.k8s.io', 'v3.channel.k8s.io', 'v2.channel.k8s.io', 'channel.k8s.io'];

const CHANNELS: Record<string, number> = { stdin: 0, stdout: 1, stderr: 2, error: 3, resize: 4 };
const CLOSE_SIGNAL = 255;

/** One channel: readable = what the client sent on it, writable = messages to the client. */
class Channel extends Duplex {
  readonly #ws: WebSocket;
  readonly #id: number;

  constructor(ws: WebSocket, id: number) {
    super({ allowHalfOpen: true });
    this.#ws = ws;
    this.#id = id;
  }

  override _read(): void {
    // pushed from messages
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    if (this.#ws.readyState !== this.#ws.OPEN) return cb();
    this.#ws.send(Buffer.concat([Buffer.from([this.#id]), chunk]), { binary: true }, () => cb());
  }

  override _final(cb: (err?: Error | null) => void): void {
    cb();
  }
}

/** The session's channels and its close, shaped like the SPDY connection the server drives. */
export class WsSession extends EventEmitter {
  readonly streams = new Map<string, Duplex>();
  readonly #ws: WebSocket;
  #closed = false;

  constructor(ws: WebSocket, protocol: string, want: Set<string>) {
    super();
    this.#ws = ws;
    const byId = new Map<number, Channel>();
    for (const name of want) {
      const id = CHANNELS[name];
      if (id === undefined) continue;
      const ch = new Channel(ws, id);
      this.streams.set(name, ch);
      byId.set(id, ch);
    }
    const v5 = protocol === 'v5.channel.k8s.io';
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      const buf = isBinary ? data : Buffer.from(data);
      if (buf.length === 0) return;
      if (v5 && buf[0] === CLOSE_SIGNAL) {
        if (buf.length > 1) byId.get(buf[1]!)?.push(null);
        return;
      }
      const ch = byId.get(buf[0]!);
      if (ch && buf.length > 1) ch.push(buf.subarray(1));
    });
    ws.on('close', () => {
      this.#closed = true;
      for (const ch of byId.values()) {
        ch.push(null);
        ch.destroy();
      }
      this.emit('close');
    });
    ws.on('error', () => ws.terminate());
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Ends the session once everything written is sent (the error channel's status is the last message). */
  async goAway(): Promise<void> {
    if (this.#closed) return;
    this.#ws.close(1000);
  }

  close(): void {
    this.#ws.terminate();
  }
}
