// Helpers every handler file uses (src/api/isula/*.ts, src/api/cri/*.ts). A handler decodes the
// request, calls a service, encodes the reply — nothing else. These wrappers add the rest once:
// an AbortSignal that fires when the client cancels or disconnects, kind → status mapping
// (status.ts), iSulad's cc/errmsg in the trailing metadata, and logging. An unknown throw
// becomes INTERNAL: the client sees only the message, the daemon log gets the stack.
//
//   Version: unary('Version', async (req, ctx) => toVersionResponse(await services.system.version())),
//   Events:  serverStream('Events', async (req, out, ctx) => { for await (const e of ...) await out.write(x) }),

// The call objects are ./grpc-server.ts's (grpc-js's shapes); the handler types returned are
// grpc-js's, type-only, so the generated *ServiceHandlers types check requests and responses.
import type * as grpc from '@grpc/grpc-js';
import { setMaxListeners } from 'node:events';
import { Metadata, type ServerCall, type UnaryCallback } from './grpc-server.ts';
import { EngineError, kindOf, messageOf, type ErrorKind } from '../util/errors.ts';
import { log } from '../util/log.ts';
import { ccOfKind, statusOfKind } from './status.ts';

export interface CallContext {
  /** aborted when the client cancels, its deadline passes or the connection drops */
  signal: AbortSignal;
  metadata: Metadata;
  /** the RPC name, for messages and logs */
  method: string;
}

export interface ServiceError extends Error {
  code: number;
  details: string;
  metadata: Metadata;
}

export function toServiceError(err: unknown, method: string): ServiceError {
  const kind: ErrorKind = kindOf(err);
  const message = messageOf(err);
  if (kind === 'internal' || kind === 'data-loss') {
    log.with({ method }).error(err, 'request failed');
    if (err instanceof Error && err.stack && !(err instanceof EngineError)) log.debug(err.stack);
  } else {
    log.with({ method, kind }).debug(`request failed: ${message}`);
  }
  const md = new Metadata();
  md.set('cc', String(ccOfKind(kind)));
  md.set('errmsg', encodeURIComponent(message));
  const se = new Error(message) as ServiceError;
  se.code = statusOfKind[kind];
  se.details = message;
  se.metadata = md;
  return se;
}

let draining: AbortController | undefined;

/**
 * Aborted when the daemon starts shutting down. Streaming calls (events, logs -f, attach) end
 * with UNAVAILABLE instead of holding shutdown up; unary calls are left to finish. Handler
 * files with their own stream plumbing can combine it into their signal.
 */
export function drainSignal(): AbortSignal {
  if (!draining) {
    draining = new AbortController();
    // one listener per open stream: many `isula events` clients are normal, not a leak
    setMaxListeners(0, draining.signal);
  }
  return draining.signal;
}

/** Ends every streaming call served through these wrappers (idempotent). */
export function drainStreams(): void {
  drainSignal();
  draining?.abort(new EngineError('unavailable', 'isulad is shutting down'));
}

interface CallState {
  ctx: CallContext;
  done: () => void;
  /** the client went away: nothing more can be sent */
  clientGone: () => boolean;
}

function contextOf(
  call: ServerCall,
  method: string,
  streaming: boolean,
): CallState {
  const ac = new AbortController();
  let gone = false;
  const onCancel = () => {
    gone = true;
    ac.abort(new EngineError('canceled', `${method}: canceled by the client`));
  };
  call.on('cancelled', onCancel);
  const drain = streaming ? drainSignal() : undefined;
  const onDrain = () => ac.abort(drain?.reason);
  if (drain?.aborted) onDrain();
  else drain?.addEventListener('abort', onDrain, { once: true });
  return {
    ctx: { signal: ac.signal, metadata: call.metadata, method },
    done: () => {
      call.removeListener('cancelled', onCancel);
      drain?.removeEventListener('abort', onDrain);
    },
    clientGone: () => gone,
  };
}

/** What a stream sends after its last message: one more message, then trailing metadata. */
export interface StreamEnd<Res> {
  last?: Res;
  trailers?: Record<string, string>;
}

/**
 * How a streaming call ends: nothing when the client went away; UNAVAILABLE when cut by shutdown
 * (whatever the impl made of the abort); its own error; or OK, after `end`'s message and trailers.
 */
function finishStream<Res>(call: ServerCall, st: CallState, err: unknown, end?: StreamEnd<Res> | void): void {
  st.done();
  if (st.clientGone()) return;
  if (st.ctx.signal.aborted) err = st.ctx.signal.reason;
  if (err !== undefined) {
    call.emit('error', toServiceError(err, st.ctx.method));
    return;
  }
  if (end?.last !== undefined) call.write(end.last);
  if (end?.trailers === undefined) {
    call.end();
    return;
  }
  const md = new Metadata();
  for (const [k, v] of Object.entries(end.trailers)) md.set(k, v);
  call.end(md);
}

/** Answers a call with one response: the result, or the error mapped to a status. */
function reply<Res>(result: Promise<Res>, callback: UnaryCallback, done: () => void, method: string): void {
  result.then(
    (res) => {
      done();
      callback(null, res);
    },
    (err: unknown) => {
      done();
      callback(toServiceError(err, method));
    },
  );
}

export function unary<Req, Res>(
  method: string,
  impl: (req: Req, ctx: CallContext) => Promise<Res>,
): grpc.handleUnaryCall<Req, Res> {
  const h = (call: ServerCall, callback: UnaryCallback) => {
    const { ctx, done } = contextOf(call, method, false);
    reply(impl(call.request as Req, ctx), callback, done, method);
  };
  return h as unknown as grpc.handleUnaryCall<Req, Res>;
}

export interface StreamWriter<Res> {
  /** resolves once the message is handed to the transport (waits on backpressure) */
  write(msg: Res): Promise<void>;
  /** initial metadata, before the first message (iSulad puts answers there: exec-id, path stat) */
  sendMetadata(md: Metadata): void;
}

/** Writes to a server-side stream, waiting on backpressure; rejects once the call's signal aborts. */
function streamWriter<Res>(call: ServerCall, signal: AbortSignal): StreamWriter<Res> {
  return {
    sendMetadata: (md) => call.sendMetadata(md),
    write: (msg) =>
      new Promise<void>((resolve, reject) => {
        if (signal.aborted) return reject(signal.reason);
        if (call.write(msg)) return resolve();
        const onDrain = () => { signal.removeEventListener('abort', onAbort); resolve(); };
        const onAbort = () => { call.removeListener('drain', onDrain); reject(signal.reason); };
        call.once('drain', onDrain);
        signal.addEventListener('abort', onAbort, { once: true });
      }),
  };
}

export function serverStream<Req, Res>(
  method: string,
  impl: (req: Req, out: StreamWriter<Res>, ctx: CallContext) => Promise<void>,
): grpc.handleServerStreamingCall<Req, Res> {
  const h = (call: ServerCall) => {
    const st = contextOf(call, method, true);
    const { ctx } = st;
    const out = streamWriter<Res>(call, ctx.signal);
    impl(call.request as Req, out, ctx).then(
      () => finishStream(call, st, undefined),
      (err: unknown) => finishStream(call, st, err),
    );
  };
  return h as unknown as grpc.handleServerStreamingCall<Req, Res>;
}

export function clientStream<Req, Res>(
  method: string,
  impl: (input: AsyncIterable<Req>, ctx: CallContext) => Promise<Res>,
): grpc.handleClientStreamingCall<Req, Res> {
  const h = (call: ServerCall, callback: UnaryCallback) => {
    const { ctx, done } = contextOf(call, method, true);
    reply(impl(call as AsyncIterable<Req>, ctx), callback, done, method);
  };
  return h as unknown as grpc.handleClientStreamingCall<Req, Res>;
}

/** The upward half of a bidi call: read it with 'data'/'end' listeners, not for-await (leaving a
 * for-await over the call destroys the whole duplex, output side included). */
export interface StreamInput<Req> {
  on(event: 'data', listener: (msg: Req) => void): unknown;
  on(event: 'end' | 'close', listener: () => void): unknown;
  on(event: 'error', listener: (err: Error) => void): unknown;
  once(event: 'data', listener: (msg: Req) => void): unknown;
  once(event: 'end' | 'close', listener: () => void): unknown;
  once(event: 'error', listener: (err: Error) => void): unknown;
}

/**
 * A bidi call (RemoteStart, Attach, RemoteExec): `ctx.signal` aborts when the client goes away or
 * the daemon shuts down; the impl's result says what to send after its last message (iSulad's
 * `{finish: true}` and `exit_code` trailers).
 */
export function bidiStream<Req, Res>(
  method: string,
  impl: (input: StreamInput<Req>, out: StreamWriter<Res>, ctx: CallContext) => Promise<StreamEnd<Res> | void>,
): grpc.handleBidiStreamingCall<Req, Res> {
  const h = (call: ServerCall) => {
    const st = contextOf(call, method, true);
    const { ctx } = st;
    const out = streamWriter<Res>(call, ctx.signal);
    impl(call as StreamInput<Req>, out, ctx).then(
      (end) => finishStream(call, st, undefined, end),
      (err: unknown) => finishStream(call, st, err),
    );
  };
  return h as unknown as grpc.handleBidiStreamingCall<Req, Res>;
}
