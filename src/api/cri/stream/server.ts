// The CRI streaming server: Exec, Attach and PortForward answer a URL on 127.0.0.1 (an
// ephemeral port unless configured) carrying a single-use token; the client (kubelet, crictl,
// critest) upgrades an HTTP/1.1 request on it to SPDY/3.1 and speaks Kubernetes'
// remotecommand (v1-v4.channel.k8s.io) or portforward.k8s.io protocol over the streams.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { log } from '../../../util/log.ts';
import { messageOf } from '../../../util/errors.ts';
import type { PodService } from '../../../services/pods/service.ts';
import { connectInNetns, type OutputChunk } from '../../../services/pods/streams.ts';
import { SpdyConnection, type SpdyStream } from './spdy.ts';
import { WebSocketServer } from 'ws';
import { WS_REMOTECOMMAND, WsSession } from './websocket.ts';

/** What a remotecommand session needs of its connection (SPDY or WebSocket). */
interface Session {
  on(event: 'close', fn: () => void): unknown;
  goAway(): Promise<void>;
  close(): void;
  readonly closed: boolean;
}

/** The streams (SPDY) or channels (WebSocket) an exec/attach session uses. */
export function wantedStreams(r: { stdin: boolean; stdout: boolean; stderr: boolean; tty: boolean }, protocol: string): Set<string> {
  const want = new Set(['error']);
  if (r.stdin) want.add('stdin');
  if (r.stdout) want.add('stdout');
  if (r.stderr && !r.tty) want.add('stderr');
  if (r.tty && protocol !== 'channel.k8s.io' && protocol !== 'v2.channel.k8s.io') want.add('resize');
  return want;
}

export type StreamRequest =
  | { kind: 'exec'; containerId: string; cmd: string[]; tty: boolean; stdin: boolean; stdout: boolean; stderr: boolean }
  | { kind: 'attach'; containerId: string; tty: boolean; stdin: boolean; stdout: boolean; stderr: boolean }
  | { kind: 'portforward'; sandboxId: string; ports: number[] };

const TOKEN_TTL_MS = 60_000;
const STREAM_WAIT_MS = 30_000;
const REMOTECOMMAND = ['v4.channel.k8s.io', 'v3.channel.k8s.io', 'v2.channel.k8s.io', 'channel.k8s.io'];
const PORTFORWARD = ['portforward.k8s.io'];

/** The protocol to speak: our first preference that the client offers ('' = none). */
export function negotiate(offered: string | string[] | undefined, ours: readonly string[]): string {
  const list = (Array.isArray(offered) ? offered.join(',') : (offered ?? '')).split(',').map((s) => s.trim()).filter(Boolean);
  return ours.find((p) => list.includes(p)) ?? '';
}

/** The error-stream message of protocol v4 (a metav1.Status) for an exit code. */
export function exitStatus(code: number, cmd: string[]): string {
  if (code === 0) return JSON.stringify({ metadata: {}, status: 'Success' });
  return JSON.stringify({
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: error executing command ${JSON.stringify(cmd)}, exit code ${code}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(code) }] },
  });
}

export class StreamServer {
  readonly #pods: PodService;
  readonly #tokens = new Map<string, { req: StreamRequest; expires: number }>();
  readonly #conns = new Set<Session>();
  readonly #wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    handleProtocols: (offered: Set<string>) => negotiate([...offered], WS_REMOTECOMMAND) || false,
  });
  #server: http.Server | undefined;
  #base = '';

  constructor(pods: PodService) {
    this.#pods = pods;
  }

  async start(host: string, port: number): Promise<void> {
    const server = http.createServer((_req, res) => {
      res.writeHead(400, { 'Content-Type': 'text/plain' }).end('upgrade to SPDY/3.1 required\n');
    });
    server.on('upgrade', (req, socket: Socket, head: Buffer) => this.#upgrade(req, socket, head));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    const a = server.address() as AddressInfo;
    this.#server = server;
    this.#base = `http://${host}:${a.port}`;
    log.info(`CRI streaming server listening on ${this.#base}`);
  }

  /** A single-use URL for one streaming request. */
  url(req: StreamRequest): string {
    if (!this.#server) throw new Error('the streaming server is not running');
    const now = Date.now();
    for (const [t, v] of this.#tokens) if (v.expires < now) this.#tokens.delete(t);
    const token = randomBytes(16).toString('base64url');
    this.#tokens.set(token, { req, expires: now + TOKEN_TTL_MS });
    return `${this.#base}/${req.kind}/${token}`;
  }

  async close(): Promise<void> {
    for (const c of this.#conns) c.close();
    const s = this.#server;
    this.#server = undefined;
    if (s) await new Promise<void>((r) => s.close(() => r()));
  }

  #upgrade(req: http.IncomingMessage, socket: Socket, head: Buffer): void {
    const fail = (code: number, msg: string) => {
      socket.end(`HTTP/1.1 ${code} ${http.STATUS_CODES[code]}\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n${msg}\n`);
    };
    const m = /^\/(exec|attach|portforward)\/([A-Za-z0-9_-]+)$/.exec((req.url ?? '').split('?')[0] ?? '');
    const entry = m ? this.#tokens.get(m[2] as string) : undefined;
    if (!m || !entry || entry.expires < Date.now() || entry.req.kind !== m[1]) return fail(404, 'unknown or expired stream token');
    this.#tokens.delete(m[2] as string);
    if (/^websocket$/i.test(String(req.headers.upgrade ?? ''))) return this.#websocket(req, socket, head, entry.req, fail);
    if (!/^spdy\/3\.1$/i.test(String(req.headers.upgrade ?? ''))) return fail(400, 'only SPDY/3.1 and WebSocket upgrades are served');
    const protocol = negotiate(req.headers['x-stream-protocol-version'], entry.req.kind === 'portforward' ? PORTFORWARD : REMOTECOMMAND);
    if (protocol === '') return fail(403, 'no common stream protocol');
    socket.write(
      'HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n' +
        `X-Stream-Protocol-Version: ${protocol}\r\n\r\n`,
    );
    if (head.length > 0) socket.unshift(head);
    const conn = new SpdyConnection(socket);
    this.#conns.add(conn);
    conn.on('close', () => this.#conns.delete(conn));
    const r = entry.req;
    const run = r.kind === 'portforward'
      ? this.#portForward(conn, r)
      : this.#collect(conn, wantedStreams(r, protocol)).then((streams) => this.#remoteCommand(conn, streams, r, protocol));
    run.catch((err: unknown) => {
      log.with({ stream: r.kind }).debug(`stream ended with an error: ${messageOf(err)}`);
      conn.close();
    });
  }

  /** Exec/attach over WebSocket (v5.channel.k8s.io … channel.k8s.io); port-forward stays SPDY. */
  #websocket(req: http.IncomingMessage, socket: Socket, head: Buffer, r: StreamRequest, fail: (code: number, msg: string) => void): void {
    if (r.kind === 'portforward') return fail(400, 'port-forward is served over SPDY/3.1 only');
    const protocol = negotiate(req.headers['sec-websocket-protocol'], WS_REMOTECOMMAND);
    if (protocol === '') return fail(403, 'no common stream protocol');
    this.#wss.handleUpgrade(req, socket, head, (ws) => {
      if (ws.protocol !== protocol) {
        ws.close(1002, 'protocol not negotiated');
        return;
      }
      const session = new WsSession(ws, protocol, wantedStreams(r, protocol));
      this.#conns.add(session);
      session.on('close', () => this.#conns.delete(session));
      this.#remoteCommand(session, session.streams, r, protocol).catch((err: unknown) => {
        log.with({ stream: r.kind }).debug(`stream ended with an error: ${messageOf(err)}`);
        session.close();
      });
    });
  }

  /** Waits for the client's streams of a remotecommand session, by streamtype. */
  #collect(conn: SpdyConnection, want: Set<string>): Promise<Map<string, SpdyStream>> {
    return new Promise((resolve, reject) => {
      const got = new Map<string, SpdyStream>();
      const timer = setTimeout(() => reject(new Error(`timed out waiting for streams ${[...want].join(', ')}`)), STREAM_WAIT_MS);
      conn.on('stream', (s) => {
        const type = s.headers['streamtype'] ?? '';
        void s.reply();
        got.set(type, s);
        if ([...want].every((w) => got.has(w))) {
          clearTimeout(timer);
          resolve(got);
        }
      });
      conn.on('close', () => {
        clearTimeout(timer);
        reject(new Error('connection closed before all streams arrived'));
      });
    });
  }

  async #remoteCommand(conn: Session, streams: Map<string, Duplex>, r: Extract<StreamRequest, { kind: 'exec' | 'attach' }>, protocol: string): Promise<void> {
    const errStream = streams.get('error') as Duplex;
    const stdout = streams.get('stdout');
    const stderr = streams.get('stderr') ?? (r.tty ? stdout : undefined);
    const v4 = protocol === 'v4.channel.k8s.io' || protocol === 'v5.channel.k8s.io';
    const finish = async (message: string) => {
      if (message !== '') errStream.write(message);
      await new Promise<void>((res) => errStream.end(() => res()));
      await conn.goAway();
    };
    if (r.kind === 'exec') {
      let proc;
      try {
        proc = await this.#pods.execStream(r.containerId, { cmd: r.cmd, tty: r.tty, stdin: r.stdin });
      } catch (err) {
        return finish(v4 ? JSON.stringify({ metadata: {}, status: 'Failure', message: messageOf(err), reason: 'InternalError' }) : messageOf(err));
      }
      const stdinStream = streams.get('stdin');
      if (stdinStream && proc.stdin) stdinStream.pipe(proc.stdin);
      else stdinStream?.resume();
      this.#resizes(streams.get('resize'), (size) => void proc.resize(size).catch((err: unknown) => log.with({ container: r.containerId }).debug(`exec resize to ${size.rows}x${size.cols}: ${messageOf(err)}`)));
      conn.on('close', () => proc.kill('SIGKILL'));
      const copies: Array<Promise<void>> = [];
      if (proc.stdout) copies.push(copy(proc.stdout, stdout));
      if (proc.stderr) copies.push(copy(proc.stderr, stderr));
      const code = await proc.exit;
      await Promise.all(copies);
      for (const s of new Set([stdout, stderr])) if (s) await new Promise<void>((res) => s.end(() => res()));
      return finish(v4 ? exitStatus(code, r.cmd) : code === 0 ? '' : `command terminated with non-zero exit code: exit code ${code}`);
    }
    // attach: the container's output from its CRI log from now on, its stdin, until it exits
    const target = this.#pods.attachTarget(r.containerId, r.stdin);
    const stop = new AbortController();
    conn.on('close', () => stop.abort());
    // the reader is placed before any input is passed on: the container's answer to input sent
    // earlier could be written before the reader's start and never be seen (a v5 client sending
    // its input on open, then waiting for the answer to close stdin, waited forever under load)
    const emit = (c: OutputChunk) => {
      const s = c.stream === 'stderr' && !r.tty ? stderr : stdout;
      s?.write(c.data);
    };
    const quiet = (err: unknown) => log.with({ container: target.id }).debug(`attach: ${messageOf(err)}`);
    let follow: Promise<void> = Promise.resolve();
    try {
      follow = (await target.follow(emit, stop.signal)).done.catch(quiet);
    } catch (err) {
      quiet(err);
    }
    const stdinStream = streams.get('stdin');
    const input = stdinStream && target.stdin;
    if (stdinStream && input && !conn.closed) {
      // the container's stdin stays open (its FIFO belongs to the container): the client's EOF
      // ends this attach session, as in containerd, not the container's input
      stdinStream.pipe(input, { end: false });
      input.on('error', () => undefined);
      stdinStream.once('end', () => {
        input.end();
        setTimeout(() => stop.abort(), 200); // what the container answered to the last input
      });
    } else stdinStream?.resume();
    streams.get('resize')?.resume();
    const code = await target.wait(stop.signal).catch(() => undefined);
    stop.abort();
    await follow;
    // this session's writer of the container's stdin FIFO is closed however the session ended
    if (input && !input.writableEnded) input.end();
    if (conn.closed) return;
    for (const s of new Set([stdout, stderr])) if (s) await new Promise<void>((res) => s.end(() => res()));
    // a detach (client EOF) is a success; an exit reports the container's code
    await finish(v4 ? exitStatus(code ?? 0, []) : code ? `container exited with code ${code}` : '');
  }

  #resizes(s: Duplex | undefined, apply: (size: { rows: number; cols: number }) => void): void {
    if (!s) return;
    let buf = '';
    s.on('data', (c: Buffer) => {
      buf += c.toString('utf8');
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0 || (buf.trim().endsWith('}') && (nl = buf.length) > 0)) {
        const line = buf.slice(0, nl).trim();
        buf = buf.slice(nl + 1);
        if (line === '') continue;
        try {
          const v = JSON.parse(line) as { Width?: number; Height?: number };
          if (v.Width && v.Height) apply({ rows: v.Height, cols: v.Width });
        } catch {
          // a partial object: wait for more
          buf = line + buf;
          break;
        }
      }
    });
  }

  async #portForward(conn: SpdyConnection, r: Extract<StreamRequest, { kind: 'portforward' }>): Promise<void> {
    const netns = this.#pods.portForwardNetns(r.sandboxId);
    const errors = new Map<string, SpdyStream>();
    conn.on('stream', (s) => {
      void s.reply();
      const id = s.headers['requestid'] ?? '';
      const type = s.headers['streamtype'] ?? '';
      if (type === 'error') {
        errors.set(id, s);
        s.resume();
        return;
      }
      if (type !== 'data') return s.reset();
      const port = Number(s.headers['port']);
      let pipe;
      try {
        if (r.ports.length > 0 && !r.ports.includes(port)) throw new Error(`port ${port} was not requested`);
        pipe = connectInNetns(netns, port);
      } catch (err) {
        errors.get(id)?.end(messageOf(err));
        return s.end();
      }
      s.pipe(pipe.input);
      pipe.output.pipe(s);
      s.on('close', () => pipe.close());
      conn.on('close', () => pipe.close());
      void pipe.done.then(() => errors.get(id)?.end());
    });
    await new Promise<void>((resolve) => conn.on('close', resolve));
  }
}

function copy(from: NodeJS.ReadableStream, to: Duplex | undefined): Promise<void> {
  return new Promise((resolve) => {
    from.on('data', (c: Buffer) => to?.write(c));
    from.once('end', () => resolve());
    from.once('close', () => resolve());
    from.once('error', () => resolve());
  });
}
