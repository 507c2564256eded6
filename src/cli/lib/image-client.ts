// The CLI's ImagesService client and the upload/download helpers the image commands share:
// Load/Import send a file (or stdin) as a client stream in 256 KiB messages, with a progress line
// on a terminal; Save receives the archive as a server stream. Errors come back as the
// framework's DaemonError kinds (through IsulaClient.toError), so exit codes stay in one table.
import { createReadStream, statSync } from 'node:fs';
import type { Readable } from 'node:stream';
import type * as grpc from '@grpc/grpc-js';
import type { ImagesServiceClient } from '../../api/generated/images/ImagesService.ts';
import type { CommandContext } from '../command.ts';
import { formatImageSize } from '../format/size.ts';

export interface ImagesConnection {
  client: ImagesServiceClient;
  toError(err: unknown): Error;
  close(): void;
}

/**
 * The framework client's ImagesService client (same host and TLS settings, closed by the
 * framework after the command); errors map through the framework's toError.
 */
export async function connectImages(ctx: CommandContext): Promise<ImagesConnection> {
  const base = await ctx.client();
  return { client: base.images, toError: (e) => base.toError(e), close: () => {} };
}

/** A unary call as a promise, errors mapped. */
export function callUnary<Req, Res>(conn: ImagesConnection, fn: (req: Req, cb: (err: grpc.ServiceError | null, res?: Res) => void) => unknown, req: Req): Promise<Res> {
  return new Promise((resolve, reject) => {
    fn.call(conn.client, req, (err, res) => (err ? reject(conn.toError(err)) : resolve(res as Res)));
  });
}

const CHUNK = 256 * 1024;

/** Opens FILE or "-" (stdin) for upload; size is known for files (progress). */
export function openUpload(path: string): { stream: Readable; size: number | undefined; label: string } {
  if (path === '-') return { stream: process.stdin, size: undefined, label: 'stdin' };
  const size = statSync(path).size;
  return { stream: createReadStream(path, { highWaterMark: CHUNK }), size, label: path };
}

/** Sends a client stream: `first` fields then the data; returns the response. */
export function uploadStream<Req extends object, Res>(
  conn: ImagesConnection,
  start: (cb: (err: grpc.ServiceError | null, res?: Res) => void) => grpc.ClientWritableStream<Req>,
  first: Req,
  dataField: keyof Req & string,
  src: Readable,
  progress: ((sent: number) => void) | undefined,
  signal: AbortSignal,
): Promise<Res> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const call = start((err, res) => {
      settled = true;
      signal.removeEventListener('abort', onAbort);
      if (err) reject(conn.toError(err));
      else resolve(res as Res);
    });
    const onAbort = () => call.cancel();
    signal.addEventListener('abort', onAbort, { once: true });
    call.write(first);
    void (async () => {
      let sent = 0;
      try {
        for await (const chunk of src as AsyncIterable<Buffer>) {
          for (let off = 0; off < chunk.length; off += CHUNK) {
            if (settled) return;
            const part = chunk.subarray(off, off + CHUNK);
            if (!call.write({ [dataField]: part } as Req)) await new Promise<void>((r) => call.once('drain', () => r()));
            sent += part.length;
            progress?.(sent);
          }
        }
        call.end();
      } catch (err) {
        call.cancel();
        if (!settled) reject(err);
      }
    })();
  });
}

/** A progress line on a terminal (stderr), nothing otherwise. */
export function progressLine(ctx: CommandContext, verb: string, total: number | undefined): { update(n: number): void; done(): void } {
  if (!process.stderr.isTTY) return { update() {}, done() {} };
  let last = 0;
  return {
    update(n) {
      const now = Date.now();
      if (now - last < 100) return;
      last = now;
      const pct = total ? ` ${Math.floor((n / total) * 100)}%` : '';
      ctx.err(`\r${verb}:${pct} ${formatImageSize(n)}${total ? ` / ${formatImageSize(total)}` : ''}   `);
    },
    done() {
      ctx.err('\r\x1b[K');
    },
  };
}
