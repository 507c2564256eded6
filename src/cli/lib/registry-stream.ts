// Reads a server stream (PullImage, PushImage) to its end, cancelling the call on Ctrl-C and
// mapping the daemon's error through the connection's error table.
import type * as grpc from '@grpc/grpc-js';
import type { ImagesConnection } from './image-client.ts';

export function readServerStream<T>(conn: ImagesConnection, call: grpc.ClientReadableStream<T>, signal: AbortSignal, onMessage: (m: T) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => call.cancel();
    signal.addEventListener('abort', onAbort, { once: true });
    call.on('data', onMessage);
    call.on('error', (err) => {
      signal.removeEventListener('abort', onAbort);
      reject(conn.toError(err));
    });
    call.on('end', () => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    });
  });
}
