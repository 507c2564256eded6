// The gRPC server: created with bounded message sizes (garbage or a huge message from a client
// must cost an error, never the daemon), bound to unix sockets (mode 0660, group `isula` when it
// exists) and, only when asked, to tcp:// hosts with TLS. Registration of services is elsewhere
// (isula/index.ts, cri/); this file knows nothing of them.

import * as grpc from '@grpc/grpc-js';
import { chmod, chown, lstat, mkdir, unlink } from 'node:fs/promises';
import { connect, type Server as NetServer, type Socket } from 'node:net';
import { dirname } from 'node:path';
import { screenConnection } from './uds-authority.ts';
import { errnoCode, failedPrecondition, invalidArgument, unavailable, messageOf } from '../util/errors.ts';

/** Large payloads (images, copies, logs) travel as streams of small chunks, so 16 MiB is plenty. */
export const MAX_RECEIVE_BYTES = 16 << 20;
export const MAX_SEND_BYTES = 64 << 20;

/**
 * Connection limits (docs/daemon-and-cli.md): a client connection with no call in flight for
 * IDLE_CONNECTION_MS is closed (GOAWAY, then close; the CLI reconnects per command anyway), and
 * at most MAX_CONNECTIONS are open per listening socket (more are closed at accept), so idle or
 * leaked clients cannot pin the daemon's fds. ISULAD_IDLE_CONNECTION_MS / ISULAD_MAX_CONNECTIONS
 * override them (tests, or a board that needs other figures).
 */
export const IDLE_CONNECTION_MS = envInt('ISULAD_IDLE_CONNECTION_MS', 30_000);
export const MAX_CONNECTIONS = envInt('ISULAD_MAX_CONNECTIONS', 256);

function envInt(name: string, dflt: number): number {
  const v = Number(process.env[name]);
  return Number.isSafeInteger(v) && v > 0 ? v : dflt;
}

export const SERVER_OPTIONS: grpc.ServerOptions = {
  'grpc.max_receive_message_length': MAX_RECEIVE_BYTES,
  'grpc.max_send_message_length': MAX_SEND_BYTES,
  'grpc.max_concurrent_streams': 512,
  'grpc-node.max_session_memory': 32,
  'grpc.max_connection_idle_ms': IDLE_CONNECTION_MS,
};

/**
 * grpc-js has no option for a connection cap: set net.Server.maxConnections on the HTTP/2
 * servers it made for the bound ports (its private map; skipped if a release renames it).
 */
export function limitConnections(server: grpc.Server, max = MAX_CONNECTIONS): number {
  const servers = (server as unknown as { http2Servers?: Map<{ maxConnections: number }, unknown> }).http2Servers;
  if (!(servers instanceof Map)) return 0;
  for (const s of servers.keys()) s.maxConnections = max;
  return servers.size;
}

/**
 * Puts api/uds-authority.ts's screen in front of the HTTP/2 servers grpc-js made for unix sockets
 * (its private map, as above), so clients that send the socket path as `:authority` are served.
 */
export function screenUnixConnections(server: grpc.Server, idleMs = IDLE_CONNECTION_MS): number {
  const servers = (server as unknown as { http2Servers?: Map<NetServer, unknown> }).http2Servers;
  if (!(servers instanceof Map)) return 0;
  let n = 0;
  for (const s of servers.keys()) {
    if (typeof s.address() !== 'string') continue;
    const listeners = s.listeners('connection') as Array<(this: NetServer, c: unknown) => void>;
    s.removeAllListeners('connection');
    s.on('connection', (socket: Socket) => screenConnection(socket, (c) => { for (const l of listeners) l.call(s, c); }, idleMs));
    n++;
  }
  return n;
}

/**
 * Sends grpc-js's own diagnostics (malformed connections, TLS handshake failures) to the daemon
 * log at DEBUG instead of the process's stderr, which nobody reads once isulad runs as a service.
 */
export function routeGrpcLogs(debug: (line: string) => void): void {
  const fmt = (args: unknown[]) => args.map((a) => (typeof a === 'string' ? a : messageOf(a))).join(' ');
  grpc.setLogger({
    error: (...a: unknown[]) => debug(`grpc: ${fmt(a)}`),
    info: (...a: unknown[]) => debug(`grpc: ${fmt(a)}`),
    debug: (...a: unknown[]) => debug(`grpc: ${fmt(a)}`),
  });
}

export function createGrpcServer(): grpc.Server {
  return new grpc.Server(SERVER_OPTIONS);
}

export interface ServerTls { ca: Buffer; cert: Buffer; key: Buffer; verifyClients: boolean }

import { parseHost, type HostAddress } from './host.ts';

export { parseHost, type HostAddress };

export interface BoundHost { host: string; address: HostAddress; port: number }

/**
 * Binds every host. Unix sockets: a socket file at the path that still accepts connections
 * belongs to a live daemon (maybe one with another root) and is refused; anything else there is
 * stale and removed. The socket is created under umask 0117 so it is never wider than 0660, then
 * chowned to `gid` if given.
 */
export async function bindHosts(
  server: grpc.Server,
  hosts: readonly string[],
  opts: { tls?: ServerTls; gid?: number },
): Promise<BoundHost[]> {
  const bound: BoundHost[] = [];
  for (const h of hosts) {
    const address = parseHost(h);
    if (address.kind === 'unix') {
      await mkdir(dirname(address.path), { recursive: true });
      await removeStaleSocket(address.path, h);
      const old = process.umask(0o117);
      let port: number;
      try {
        port = await bindAsync(server, `unix://${address.path}`, grpc.ServerCredentials.createInsecure());
      } finally {
        process.umask(old);
      }
      await chmod(address.path, 0o660);
      if (opts.gid !== undefined) await chown(address.path, 0, opts.gid);
      bound.push({ host: h, address, port });
    } else {
      if (!opts.tls) throw invalidArgument(`host "${h}": tcp hosts need TLS (--tlsverify --tlscacert --tlscert --tlskey)`);
      const creds = grpc.ServerCredentials.createSsl(
        opts.tls.verifyClients ? opts.tls.ca : null,
        [{ private_key: opts.tls.key, cert_chain: opts.tls.cert }],
        opts.tls.verifyClients,
      );
      const port = await bindAsync(server, `${address.host}:${address.port}`, creds);
      bound.push({ host: h, address, port });
    }
  }
  return bound;
}

/**
 * Fails if a unix host is already served by a live process. Boot calls it before starting any
 * service, so a daemon that would be refused its socket does no work (no image seeding, no
 * container restore) first.
 */
export async function checkUnixHostsFree(hosts: readonly string[]): Promise<void> {
  for (const h of hosts) {
    const a = parseHost(h);
    if (a.kind !== 'unix') continue;
    try {
      if ((await lstat(a.path)).isSocket() && (await acceptsConnections(a.path))) {
        throw failedPrecondition(`${h} is in use: another daemon is listening on it`);
      }
    } catch (e) {
      if (errnoCode(e) !== 'ENOENT') throw e;
    }
  }
}

async function removeStaleSocket(path: string, host: string): Promise<void> {
  let isSocket: boolean;
  try {
    isSocket = (await lstat(path)).isSocket();
  } catch (e) {
    if (errnoCode(e) === 'ENOENT') return;
    throw e;
  }
  if (isSocket && (await acceptsConnections(path))) {
    throw failedPrecondition(`${host} is in use: another daemon is listening on it`);
  }
  await unlink(path).catch((e: unknown) => {
    if (errnoCode(e) !== 'ENOENT') throw e;
  });
}

function acceptsConnections(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(path);
    const done = (ok: boolean) => {
      s.destroy();
      resolve(ok);
    };
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}

function bindAsync(server: grpc.Server, addr: string, creds: grpc.ServerCredentials): Promise<number> {
  return new Promise((resolve, reject) => {
    server.bindAsync(addr, creds, (err, port) => {
      if (err) reject(unavailable(`listen on ${addr}: ${messageOf(err)}`, { cause: err }));
      else resolve(port);
    });
  });
}

/** Stops accepting, lets in-flight calls finish for up to `graceMs`, then cuts the rest. */
export function shutdownServer(server: grpc.Server, graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      server.forceShutdown();
      resolve();
    }, graceMs);
    server.tryShutdown(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
