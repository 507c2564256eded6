// ContainerService handlers for isula cp and isula export: decode → container service → encode.
// CopyFromContainer answers with iSulad's initial metadata `isulad-container-path-stat` (JSON
// {name,size,mode,mtime,linkTarget}) before the tar bytes, so it is written against the raw call
// (the serverStream wrapper has no initial metadata). CopyToContainer reads its request from the
// call metadata `isulad-copy-to-container` (JSON {id, srcPath, srcIsDir, dstPath, copyUIDGID}) and
// the tar from the stream. Our -L travels as metadata `isulad-copy-follow-link: true`.
import * as grpc from '@grpc/grpc-js';
import type { ContainerServiceHandlers } from '../generated/containers/ContainerService.ts';
import type { CopyFromContainerRequest__Output } from '../generated/containers/CopyFromContainerRequest.ts';
import type { CopyFromContainerResponse } from '../generated/containers/CopyFromContainerResponse.ts';
import type { CopyToContainerRequest__Output } from '../generated/containers/CopyToContainerRequest.ts';
import type { ContainerService } from '../../services/containers/service.ts';
import type { CopyToRequest } from '../../services/containers/copy.ts';
import { EngineError, invalidArgument, messageOf } from '../../util/errors.ts';
import { clientStream, drainSignal, serverStream, toServiceError } from '../handler.ts';

export const PATH_STAT_KEY = 'isulad-container-path-stat';
export const COPY_TO_KEY = 'isulad-copy-to-container';
export const FOLLOW_LINK_KEY = 'isulad-copy-follow-link';

/** Waits until the call can take more, or rejects when it goes away. */
function writeTo(call: grpc.ServerWritableStream<unknown, CopyFromContainerResponse>, signal: AbortSignal, data: Buffer): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    if (call.write({ data })) return resolve();
    const onDrain = () => { signal.removeEventListener('abort', onAbort); resolve(); };
    const onAbort = () => { call.removeListener('drain', onDrain); reject(signal.reason); };
    call.once('drain', onDrain);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

export function copyRequestFrom(md: grpc.Metadata): { id: string; req: CopyToRequest } {
  const raw = md.get(COPY_TO_KEY)[0];
  if (raw === undefined) throw invalidArgument(`missing ${COPY_TO_KEY} metadata`);
  let v: Record<string, unknown>;
  try {
    v = JSON.parse(String(raw)) as Record<string, unknown>;
  } catch (err) {
    throw invalidArgument(`invalid ${COPY_TO_KEY} JSON: ${messageOf(err)}`);
  }
  const id = typeof v['id'] === 'string' ? v['id'] : '';
  const srcPath = typeof v['srcPath'] === 'string' ? v['srcPath'] : '';
  const dstPath = typeof v['dstPath'] === 'string' ? v['dstPath'] : '';
  if (!id || !srcPath || !dstPath) throw invalidArgument(`${COPY_TO_KEY}: id, srcPath and dstPath are required`);
  return { id, req: { srcPath, dstPath, srcIsDir: v['srcIsdir'] === true || v['srcIsDir'] === true, copyUidGid: v['copyUIDGID'] === true } };
}

export function copyHandlers(deps: { containers: ContainerService }): Pick<ContainerServiceHandlers, 'CopyFromContainer' | 'CopyToContainer' | 'ExportStream'> {
  const c = deps.containers;
  return {
    CopyFromContainer: (call: grpc.ServerWritableStream<CopyFromContainerRequest__Output, CopyFromContainerResponse>) => {
      const ac = new AbortController();
      const onCancel = () => ac.abort(new EngineError('canceled', 'CopyFromContainer: canceled by the client'));
      call.on('cancelled', onCancel);
      const drain = drainSignal();
      const onDrain = () => ac.abort(drain.reason);
      drain.addEventListener('abort', onDrain, { once: true });
      const follow = String(call.metadata.get(FOLLOW_LINK_KEY)[0] ?? '') === 'true';
      c.copyFrom(call.request.id, call.request.srcpath, {
        follow,
        signal: ac.signal,
        sendStat: (st) => {
          const md = new grpc.Metadata();
          md.set(PATH_STAT_KEY, JSON.stringify(st));
          call.sendMetadata(md);
        },
        sink: (data) => writeTo(call, ac.signal, data),
      }).then(
        () => {
          call.removeListener('cancelled', onCancel);
          drain.removeEventListener('abort', onDrain);
          if (!ac.signal.aborted) call.end();
          else if (!call.cancelled) call.emit('error', toServiceError(ac.signal.reason, 'CopyFromContainer'));
        },
        (err: unknown) => {
          call.removeListener('cancelled', onCancel);
          drain.removeEventListener('abort', onDrain);
          if (!call.cancelled) call.emit('error', toServiceError(err, 'CopyFromContainer'));
        },
      );
    },
    CopyToContainer: clientStream('CopyToContainer', async (input: AsyncIterable<CopyToContainerRequest__Output>, ctx) => {
      const { id, req } = copyRequestFrom(ctx.metadata);
      async function* tar(): AsyncGenerator<Buffer> {
        for await (const m of input) if (m.data && m.data.length > 0) yield Buffer.from(m.data);
      }
      await c.copyTo(id, req, tar(), ctx.signal);
      return { finish: true };
    }),
    ExportStream: serverStream('ExportStream', async (req, out, ctx) => {
      await c.exportTar(req.id, (data) => out.write({ data }), ctx.signal);
    }),
  };
}
