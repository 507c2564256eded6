// Client side of the isula API: channel options, credentials, and a promise wrapper for unary
// calls with a deadline and an AbortSignal. Errors are left as grpc ServiceErrors; the CLI maps
// their status to a kind and an exit code (src/cli/exit-codes.ts).

import * as grpc from '@grpc/grpc-js';
import { isulaGrpc } from './protos.ts';
import { MAX_RECEIVE_BYTES, MAX_SEND_BYTES, parseHost } from './server.ts';
import type { ContainerServiceClient } from './generated/containers/ContainerService.ts';
import type { VolumeServiceClient } from './generated/volume/VolumeService.ts';
import type { ImagesServiceClient } from './generated/images/ImagesService.ts';
import type { NetworkServiceClient } from './generated/network/NetworkService.ts';

export interface ClientTls {
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  /** false for `--tls` without `--tlsverify`: encrypt, but do not check the daemon's certificate */
  verifyServer: boolean;
}

export interface ConnectOptions {
  /** unix:///path or tcp://host:port */
  host: string;
  /** required for tcp:// hosts */
  tls?: ClientTls;
}

export const CLIENT_OPTIONS: grpc.ChannelOptions = {
  // the client sends small requests but may receive big inspect/list answers
  'grpc.max_receive_message_length': MAX_SEND_BYTES,
  'grpc.max_send_message_length': MAX_RECEIVE_BYTES,
  // one short-lived process per command: do not sit in reconnect backoff
  'grpc.enable_retries': 0,
};

export function channelTarget(opts: ConnectOptions): { target: string; creds: grpc.ChannelCredentials } {
  const addr = parseHost(opts.host);
  if (addr.kind === 'unix') return { target: `unix://${addr.path}`, creds: grpc.credentials.createInsecure() };
  const tls = opts.tls ?? { verifyServer: true };
  const creds = grpc.credentials.createSsl(tls.ca ?? null, tls.key ?? null, tls.cert ?? null, {
    rejectUnauthorized: tls.verifyServer,
  });
  return { target: `${addr.host}:${addr.port}`, creds };
}

export function containerServiceClient(opts: ConnectOptions): ContainerServiceClient {
  const { target, creds } = channelTarget(opts);
  return new (isulaGrpc().containers.ContainerService)(target, creds, CLIENT_OPTIONS);
}

export function volumeServiceClient(opts: ConnectOptions): VolumeServiceClient {
  const { target, creds } = channelTarget(opts);
  return new (isulaGrpc().volume.VolumeService)(target, creds, CLIENT_OPTIONS);
}

export function imagesServiceClient(opts: ConnectOptions): ImagesServiceClient {
  const { target, creds } = channelTarget(opts);
  return new (isulaGrpc().images.ImagesService)(target, creds, CLIENT_OPTIONS);
}

export function networkServiceClient(opts: ConnectOptions): NetworkServiceClient {
  const { target, creds } = channelTarget(opts);
  return new (isulaGrpc().network.NetworkService)(target, creds, CLIENT_OPTIONS);
}

export interface CallOptions {
  /** milliseconds from now; none = no deadline */
  timeoutMs?: number;
  signal?: AbortSignal;
}

type UnaryMethod<Req, Res> = (
  req: Req,
  metadata: grpc.Metadata,
  options: grpc.CallOptions,
  cb: (err: grpc.ServiceError | null, res?: Res) => void,
) => grpc.ClientUnaryCall;

/** `await unaryCall(client, client.Version, {})`: a unary RPC as a promise. */
export function unaryCall<Req, Res>(
  client: grpc.Client,
  method: UnaryMethod<Req, Res>,
  req: Req,
  opts: CallOptions = {},
): Promise<Res> {
  return new Promise((resolve, reject) => {
    const callOpts: grpc.CallOptions = {};
    if (opts.timeoutMs !== undefined) callOpts.deadline = Date.now() + opts.timeoutMs;
    const call = method.call(client, req, new grpc.Metadata(), callOpts, (err, res) => {
      opts.signal?.removeEventListener('abort', onAbort);
      if (err) reject(err);
      else resolve(res as Res);
    });
    const onAbort = () => call.cancel();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
  });
}
