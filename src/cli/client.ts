// The CLI's connection to isulad: typed service clients plus `unary()`, which turns a failed
// call into an EngineError whose kind comes from the gRPC status (./exit-codes.ts), so commands
// and the framework reason about kinds, never status numbers. A daemon that cannot be reached
// becomes an `unavailable` CliConnectError in iSulad's words (its ERR_CONNECT message, which its
// client prints for any call that got no answer), the socket and the cause after it.

import { readFileSync } from 'node:fs';
import type * as grpc from '@grpc/grpc-js';
import { Channel, Metadata, SERVICES, serviceClient, type CallOptions, type ClientTls } from '../api/h2-client.ts';
import type { ContainerServiceClient, ContainerServiceDefinition } from '../api/generated/containers/ContainerService.ts';
import type { VolumeServiceClient, VolumeServiceDefinition } from '../api/generated/volume/VolumeService.ts';
import type { ImagesServiceClient, ImagesServiceDefinition } from '../api/generated/images/ImagesService.ts';
import type { NetworkServiceClient, NetworkServiceDefinition } from '../api/generated/network/NetworkService.ts';
import type { MethodDefinition } from '@grpc/proto-loader';
import { EngineError, invalidArgument, messageOf } from '../util/errors.ts';
import { kindOfStatus } from './exit-codes.ts';
import type { GlobalOptions } from './global-options.ts';

/** iSulad's errno_to_error_message(ISULAD_ERR_CONNECT), byte for byte (no space after the dot) */
export const CONNECT_MESSAGE = 'Can not connect with server.Is the iSulad daemon running on the host?';

export class CliConnectError extends EngineError {
  constructor(host: string, detail: string) {
    super('unavailable', `${CONNECT_MESSAGE} (${host}: ${detail})`);
    this.name = 'CliConnectError';
  }
}

/** Marks an error that came back from the daemon, printed as "Error response from daemon: ...". */
export class DaemonError extends EngineError {
  constructor(kind: EngineError['kind'], message: string) {
    super(kind, message);
    this.name = 'DaemonError';
  }
}

/**
 * Service definitions by client field name; the request/response types of `call()` come from
 * here. Add a row when adding a service client.
 */
export interface ServiceDefinitions {
  containers: ContainerServiceDefinition;
  volumes: VolumeServiceDefinition;
  images: ImagesServiceDefinition;
  networks: NetworkServiceDefinition;
}

type RequestOf<D> = D extends MethodDefinition<infer Req, infer _Res, infer _ReqOut, infer _ResOut> ? Req : never;
type ResponseOf<D> = D extends MethodDefinition<infer _Req, infer _Res, infer _ReqOut, infer ResOut> ? ResOut : never;

export interface IsulaClient {
  readonly host: string;
  containers: ContainerServiceClient;
  volumes: VolumeServiceClient;
  images: ImagesServiceClient;
  networks: NetworkServiceClient;
  /** A unary RPC, typed from the service definition: `await c.call('containers', 'Version', {})`. */
  call<S extends keyof ServiceDefinitions, M extends keyof ServiceDefinitions[S] & string>(
    service: S,
    method: M,
    req: RequestOf<ServiceDefinitions[S][M]>,
    opts?: CallOptions,
  ): Promise<ResponseOf<ServiceDefinitions[S][M]>>;
  /** maps any error of a streaming call the same way unary() does */
  toError(err: unknown): Error;
  close(): void;
}

// Statuses the client makes itself (h2-client.ts) when the socket cannot be reached or drops.
// Matched at the start only: a daemon's own UNAVAILABLE (a registry it could not reach) says
// "connect ECONNREFUSED" too, and is the daemon's answer, not a connection failure.
const CONNECT_FAILURE = /^(No connection established|failed to connect|Connection dropped|Channel has been shut down|DNS resolution failed)/i;
const TLS_FAILURE = /handshake|SSL|certificate|TLS/i;
/** The stream ended without a status: the daemon died (or was restarted) mid-request. */
const NO_STATUS = 'No status received';

type RawClient = Record<string, (...args: unknown[]) => unknown>;

/** A unary RPC as a promise, with a deadline and cancel on abort. */
function unaryCall(client: RawClient, method: string, req: unknown, opts: CallOptions = {}): Promise<unknown> {
  const fn = client[method];
  if (typeof fn !== 'function') return Promise.reject(new Error(`no such RPC ${method}`));
  return new Promise((resolve, reject) => {
    const callOpts = opts.timeoutMs !== undefined ? { deadline: Date.now() + opts.timeoutMs } : {};
    const call = fn(req, new Metadata(), callOpts, (err: Error | null, res?: unknown) => {
      opts.signal?.removeEventListener('abort', onAbort);
      if (err) reject(err);
      else resolve(res);
    }) as { cancel(): void };
    const onAbort = () => call.cancel();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * The CLI's connection: one HTTP/2 channel (../api/h2-client.ts, no grpc-js) shared by the
 * service clients, which have grpc-js's call forms and the generated client types.
 */
export function connect(globals: GlobalOptions): IsulaClient {
  const tls = globals.host.startsWith('tcp://') ? loadClientTls(globals) : undefined;
  const channel = new Channel({ host: globals.host, tls });
  let containers: ContainerServiceClient | undefined;
  let volumes: VolumeServiceClient | undefined;
  let images: ImagesServiceClient | undefined;
  let networks: NetworkServiceClient | undefined;
  const toError = (err: unknown): Error => {
    const e = err as Partial<grpc.ServiceError>;
    if (typeof e?.code !== 'number') return err instanceof Error ? err : new Error(messageOf(err));
    const details = e.details ?? e.message ?? '';
    // a daemon's message about a registry carries its URL; the client's own TLS failures do not
    if (e.code === 14 /* UNAVAILABLE */ && (CONNECT_FAILURE.test(details) || (TLS_FAILURE.test(details) && !/https?:\/\//.test(details)))) {
      return new CliConnectError(globals.host, details === 'Connection dropped' ? 'the connection was closed before the daemon answered' : details);
    }
    if (details === NO_STATUS) return new CliConnectError(globals.host, 'the connection was closed before the daemon answered');
    return new DaemonError(kindOfStatus(e.code), details);
  };
  const self: IsulaClient = {
    host: globals.host,
    get containers() {
      return (containers ??= serviceClient(channel, SERVICES.containers()) as unknown as ContainerServiceClient);
    },
    get volumes() {
      return (volumes ??= serviceClient(channel, SERVICES.volumes()) as unknown as VolumeServiceClient);
    },
    get images() {
      return (images ??= serviceClient(channel, SERVICES.images()) as unknown as ImagesServiceClient);
    },
    get networks() {
      return (networks ??= serviceClient(channel, SERVICES.networks()) as unknown as NetworkServiceClient);
    },
    call: (async (service: keyof ServiceDefinitions, method: string, req: unknown, callOpts?: CallOptions) => {
      const client = self[service] as unknown as RawClient;
      if (typeof client[method] !== 'function') throw new Error(`no such RPC ${service}.${method}`);
      try {
        return await unaryCall(client, method, req, callOpts);
      } catch (err) {
        throw toError(err);
      }
    }) as IsulaClient['call'],
    toError,
    close() {
      channel.close();
    },
  };
  return self;
}

function loadClientTls(g: GlobalOptions): ClientTls | undefined {
  if (!g.tls.enabled) return undefined;
  const read = (what: 'tlscacert' | 'tlscert' | 'tlskey', path: string): Buffer | undefined => {
    try {
      return readFileSync(path);
    } catch (err) {
      // Defaults under ~/.iSulad may be absent; a file the user named must exist.
      if (g.tls.explicit.has(what)) throw invalidArgument(`read --${what} ${path}: ${messageOf(err)}`);
      return undefined;
    }
  };
  return {
    ca: g.tls.verify ? read('tlscacert', g.tls.ca) : undefined,
    cert: read('tlscert', g.tls.cert),
    key: read('tlskey', g.tls.key),
    verifyServer: g.tls.verify,
  };
}
