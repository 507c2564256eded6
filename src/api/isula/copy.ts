// ContainerService handlers for isula cp and isula export: decode → container service → encode.
// CopyFromContainer answers with iSulad's initial metadata `isulad-container-path-stat` (JSON
// {name,size,mode,mtime,linkTarget}) before the tar bytes (the writer's sendMetadata). CopyToContainer reads its request from the
// call metadata `isulad-copy-to-container` (JSON {id, srcPath, srcIsDir, dstPath, copyUIDGID}) and
// the tar from the stream. Our -L travels as metadata `isulad-copy-follow-link: true`.
import { Metadata } from '../grpc-server.ts';
import type { ContainerServiceHandlers } from '../generated/containers/ContainerService.ts';
import type { CopyFromContainerRequest__Output } from '../generated/containers/CopyFromContainerRequest.ts';
import type { CopyFromContainerResponse } from '../generated/containers/CopyFromContainerResponse.ts';
import type { CopyToContainerRequest__Output } from '../generated/containers/CopyToContainerRequest.ts';
import type { ContainerService } from '../../services/containers/service.ts';
import type { CopyToRequest } from '../../services/containers/copy.ts';
import { invalidArgument, messageOf } from '../../util/errors.ts';
import { clientStream, serverStream } from '../handler.ts';
import type { StreamWriter } from '../handler.ts';

export const PATH_STAT_KEY = 'isulad-container-path-stat';
export const COPY_TO_KEY = 'isulad-copy-to-container';
export const FOLLOW_LINK_KEY = 'isulad-copy-follow-link';

export function copyRequestFrom(md: Metadata): { id: string; req: CopyToRequest } {
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
    CopyFromContainer: serverStream('CopyFromContainer', async (req: CopyFromContainerRequest__Output, out: StreamWriter<CopyFromContainerResponse>, ctx) => {
      const follow = String(ctx.metadata.get(FOLLOW_LINK_KEY)[0] ?? '') === 'true';
      await c.copyFrom(req.id, req.srcpath, {
        follow,
        signal: ctx.signal,
        sendStat: (st) => {
          const md = new Metadata();
          md.set(PATH_STAT_KEY, JSON.stringify(st));
          out.sendMetadata(md);
        },
        sink: (data) => out.write({ data }),
      });
    }),
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
