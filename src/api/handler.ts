// Helpers every handler file uses (src/api/isula/*.ts, src/api/cri/*.ts). A handler decodes the
// request, calls a service, encodes the reply — nothing else. These wrappers add the rest once:
// an AbortSignal that fires when the client cancels or disconnects, kind → status mapping
// (status.ts), iSulad's cc/errmsg in the trailing metadata, and logging. An unknown throw
// becomes INTERNAL: the client sees only the message, the daemon log gets the stack.
//
//   Version: unary('Version', async (req, ctx) => toVersionResponse(await services.system.version())),
//   Events:  serverStream('Events', async (req, out, ctx) => { for await (const e of ...) await out.write(x) }),

import * as grpc from '@grpc/grpc-js';
import { EngineError, kindOf, messageOf, type ErrorKind } from '../util/errors.ts';
import { log } from '../util/log.ts';
import { ccOfKind, statusOfKind } from './status.ts';

export interface CallContext {
  /** aborted when the client cancels, its deadline passes or the connection drops */
  signal: AbortSignal;
  metadata: grpc.Metadata;
  /** the RPC name, for messages and logs */
  method: string;
}

export function toServiceError(err: unknown, method: string): Partial<grpc.StatusObject> & Error {
  const kind: ErrorKind = kindOf(err);
  const message = messageOf(err);
  if (kind === 'internal' || kind === 'data-loss') {
    log.with({ method }).error(err, 'request failed');
    if (err instanceof Error && err.stack && !(err instanceof EngineError)) log.debug(err.stack);
  } else {
    log.with({ method, kind }).debug(`request failed: ${message}`);
  }
  const md = new grpc.Metadata();
  md.set('cc', String(ccOfKind(kind)));
  md.set('errmsg', encodeURIComponent(message));
  const se = new Error(message) as Error & Partial<grpc.StatusObject>;
  se.code = statusOfKind[kind];
  se.details = message;
  se.metadata = md;
  return se;
}

function contextOf(call: grpc.ServerUnaryCall<unknown, unknown> | grpc.ServerReadableStream<unknown, unknown>, method: string): { ctx: CallContext; done: () => void } {
  const ac = new AbortController();
  const onCancel = () => ac.abort(new EngineError('canceled', `${method}: canceled by the client`));
  call.on('cancelled', onCancel);
  return {
    ctx: { signal: ac.signal, metadata: call.metadata, method },
    done: () => call.removeListener('cancelled', onCancel),
  };
}

export function unary<Req, Res>(
  method: string,
  impl: (req: Req, ctx: CallContext) => Promise<Res>,
): grpc.handleUnaryCall<Req, Res> {
  return (call, callback) => {
    const { ctx, done } = contextOf(call, method);
    impl(call.request, ctx).then(
      (res) => {
        done();
        callback(null, res);
      },
      (err: unknown) => {
        done();
        callback(toServiceError(err, method));
      },
    );
  };
}

export interface StreamWriter<Res> {
  /** resolves once the message is handed to the transport (waits on backpressure) */
  write(msg: Res): Promise<void>;
}

export function serverStream<Req, Res>(
  method: string,
  impl: (req: Req, out: StreamWriter<Res>, ctx: CallContext) => Promise<void>,
): grpc.handleServerStreamingCall<Req, Res> {
  return (call) => {
    const { ctx, done } = contextOf(call, method);
    const out: StreamWriter<Res> = {
      write: (msg) =>
        new Promise<void>((resolve, reject) => {
          if (ctx.signal.aborted) return reject(ctx.signal.reason);
          if (call.write(msg)) return resolve();
          const onDrain = () => { ctx.signal.removeEventListener('abort', onAbort); resolve(); };
          const onAbort = () => { call.removeListener('drain', onDrain); reject(ctx.signal.reason); };
          call.once('drain', onDrain);
          ctx.signal.addEventListener('abort', onAbort, { once: true });
        }),
    };
    impl(call.request, out, ctx).then(
      () => {
        done();
        if (!ctx.signal.aborted) call.end();
      },
      (err: unknown) => {
        done();
        if (!ctx.signal.aborted) call.emit('error', toServiceError(err, method));
      },
    );
  };
}

export function clientStream<Req, Res>(
  method: string,
  impl: (input: AsyncIterable<Req>, ctx: CallContext) => Promise<Res>,
): grpc.handleClientStreamingCall<Req, Res> {
  return (call, callback) => {
    const { ctx, done } = contextOf(call, method);
    impl(call as AsyncIterable<Req>, ctx).then(
      (res) => {
        done();
        callback(null, res);
      },
      (err: unknown) => {
        done();
        callback(toServiceError(err, method));
      },
    );
  };
}

export function bidiStream<Req, Res>(
  method: string,
  impl: (input: AsyncIterable<Req>, out: StreamWriter<Res>, ctx: CallContext) => Promise<void>,
): grpc.handleBidiStreamingCall<Req, Res> {
  return (call) => {
    const { ctx, done } = contextOf(call, method);
    const out: StreamWriter<Res> = {
      write: (msg) =>
        new Promise<void>((resolve, reject) => {
          if (ctx.signal.aborted) return reject(ctx.signal.reason);
          if (call.write(msg)) return resolve();
          const onDrain = () => { ctx.signal.removeEventListener('abort', onAbort); resolve(); };
          const onAbort = () => { call.removeListener('drain', onDrain); reject(ctx.signal.reason); };
          call.once('drain', onDrain);
          ctx.signal.addEventListener('abort', onAbort, { once: true });
        }),
    };
    impl(call as AsyncIterable<Req>, out, ctx).then(
      () => {
        done();
        if (!ctx.signal.aborted) call.end();
      },
      (err: unknown) => {
        done();
        if (!ctx.signal.aborted) call.emit('error', toServiceError(err, method));
      },
    );
  };
}
