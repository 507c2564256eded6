// The gRPC server: created with bounded message sizes (garbage or a huge message from a client
// must cost an error, never the daemon), bound to unix sockets (mode 0660, group `isula` when it
// exists) and, only when asked, to tcp:// hosts with TLS. Registration of services is elsewhere
// (isula/index.ts, cri/); this file knows nothing of them.

import { chmod, chown, lstat, mkdir, unlink } from 'node:fs/promises';
import { connect } from 'node:net';
import { dirname } from 'node:path';
import { GrpcServer, type ServerOptions } from './grpc-server.ts';
import { errnoCode, failedPrecondition, invalidArgument, unavailable, messageOf } from '../util/errors.ts';

export type { GrpcServer };

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

export const SERVER_OPTIONS: ServerOptions = {
  maxReceiveBytes: MAX_RECEIVE_BYTES,
  maxSendBytes: MAX_SEND_BYTES,
  maxConcurrentStreams: 512,
  maxSessionMemory: 32,
  idleConnectionMs: IDLE_CONNECTION_MS,
  maxConnections: MAX_CONNECTIONS,
};

/**
 * The server (./grpc-server.ts): unix connections go through api/uds-authority.ts's screen, so
 * clients that send the socket path as `:authority` are served; connection-level problems
 * (malformed connections, TLS handshake failures) go to `debug` (the daemon log at DEBUG).
 */
export function createGrpcServer(debug?: (line: string) => void, opts: Partial<ServerOptions> = {}): GrpcServer {
  return new GrpcServer({ ...SERVER_OPTIONS, ...opts, ...(debug ? { debug } : {}) });
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
  server: GrpcServer,
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
      try {
        await server.listenUnix(address.path).catch((err: unknown) => {
          throw unavailable(`listen on unix://${address.path}: ${messageOf(err)}`, { cause: err });
        });
      } finally {
        process.umask(old);
      }
      await chmod(address.path, 0o660);
      if (opts.gid !== undefined) await chown(address.path, 0, opts.gid);
      bound.push({ host: h, address, port: 0 });
    } else {
      if (!opts.tls) throw invalidArgument(`host "${h}": tcp hosts need TLS (--tlsverify --tlscacert --tlscert --tlskey)`);
      const port = await server.listenTls(address.host, address.port, opts.tls).catch((err: unknown) => {
        throw unavailable(`listen on ${address.host}:${address.port}: ${messageOf(err)}`, { cause: err });
      });
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

/** Stops accepting, lets in-flight calls finish for up to `graceMs`, then cuts the rest. */
export function shutdownServer(server: GrpcServer, graceMs: number): Promise<void> {
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
