// isula cp CONTAINER:SRC DEST|-  and  isula cp SRC|- CONTAINER:DEST (docker's flags -a, -L).
// Files and directories travel as tar over gRPC (CopyFromContainer / CopyToContainer), so cp
// works with a remote daemon. Where the tree lands follows docker's rules (copy-plan.ts): the
// daemon applies them inside the container, this command applies them locally. DEST "-" writes
// the tar to stdout; SRC "-" reads a tar from stdin and extracts it into the directory DEST.
import { lstat, stat } from 'node:fs/promises';
import { resolve as resolvePath } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type * as grpc from '@grpc/grpc-js';
import { newMetadata } from '../../api/h2-client.ts';
import type { Command, CommandContext } from '../command.ts';
import { flagBool } from '../flags.ts';
import { errnoCode, invalidArgument, messageOf, notFound } from '../../util/errors.ts';
import type { IsulaClient } from '../client.ts';
import type { CopyFromContainerResponse__Output } from '../../api/generated/containers/CopyFromContainerResponse.ts';
import { baseNameOf, copyTarget, endsWithDot, endsWithSlash } from '../../storage/rootfs/copy-plan.ts';

const PATH_STAT_KEY = 'isulad-container-path-stat';
const COPY_TO_KEY = 'isulad-copy-to-container';
const FOLLOW_LINK_KEY = 'isulad-copy-follow-link';
const GO_MODE_DIR = 2 ** 31;
const CHUNK = 256 * 1024;

interface CpArg {
  container: string | undefined;
  path: string;
}

/** docker's splitCpArg: a path that starts with "/" or "." is local even when it holds a ":". */
export function parseCpArg(arg: string): CpArg {
  if (arg.startsWith('/') || arg.startsWith('.')) return { container: undefined, path: arg };
  const i = arg.indexOf(':');
  if (i <= 0) return { container: undefined, path: arg };
  return { container: arg.slice(0, i), path: arg.slice(i + 1) };
}

export const command: Command = {
  name: 'cp',
  usage: `[OPTIONS] CONTAINER:SRC_PATH DEST_PATH|-
       isula cp [OPTIONS] SRC_PATH|- CONTAINER:DEST_PATH`,
  description: 'Copy files/folders between a container and the local filesystem',
  flags: [
    { long: 'archive', short: 'a', kind: 'bool', description: 'Archive mode (copy all uid/gid information)' },
    { long: 'follow-link', short: 'L', kind: 'bool', description: 'Always follow symbol link in SRC_PATH' },
  ],
  args: { min: 2, max: 2 },
  async run(ctx) {
    const src = parseCpArg(ctx.args[0] as string);
    const dst = parseCpArg(ctx.args[1] as string);
    if (src.container !== undefined && dst.container !== undefined) throw invalidArgument('copying between containers is not supported');
    if (src.container === undefined && dst.container === undefined) throw invalidArgument('must specify at least one container source');
    if (src.path === '' || dst.path === '') throw invalidArgument('filepath can not be empty');
    const c = await ctx.client();
    if (src.container !== undefined) await copyFrom(ctx, c, src.container, src.path, dst.path);
    else await copyTo(ctx, c, src.path, dst.container as string, dst.path);
    return 0;
  },
};

async function copyFrom(ctx: CommandContext, c: IsulaClient, container: string, srcPath: string, dstPath: string): Promise<void> {
  const md = newMetadata();
  if (flagBool(ctx.flags, 'follow-link')) md.set(FOLLOW_LINK_KEY, 'true');
  const call = c.containers.CopyFromContainer({ id: container, runtime: '', srcpath: srcPath }, md);
  const onAbort = () => call.cancel();
  ctx.signal.addEventListener('abort', onAbort, { once: true });
  try {
    // the path's stat arrives as initial metadata, before any byte of the tar
    const statJson = await new Promise<string>((resolve, reject) => {
      call.once('metadata', (m: grpc.Metadata) => resolve(String(m.get(PATH_STAT_KEY)[0] ?? '')));
      call.once('error', (err) => reject(c.toError(err)));
    });
    call.on('error', () => {}); // later errors surface through the iteration below
    let isDir = false;
    try {
      isDir = ((JSON.parse(statJson) as { mode?: number }).mode ?? 0) >= GO_MODE_DIR;
    } catch {
      throw invalidArgument('the daemon sent no path stat');
    }
    const data = (async function* () {
      try {
        for await (const m of call as AsyncIterable<CopyFromContainerResponse__Output>) yield Buffer.from(m.data);
      } catch (err) {
        throw c.toError(err);
      }
    })();
    if (dstPath === '-') {
      await pipeline(data, process.stdout);
      return;
    }
    const abs = resolvePath(dstPath) + (endsWithSlash(dstPath) ? '/' : '');
    const { kind, parentIsDir } = await localKind(abs);
    const target = copyTarget({ isDir, path: srcPath }, { path: dstPath, kind, parentIsDir }, { destLabel: dstPath });
    const dir = target.dir === 'dest' ? abs : resolvePath(abs, '..');
    const { extractInto } = await import('../../storage/rootfs/extract-into.ts');
    await extractInto(data, { root: '/', dir, rename: target.name, keepOwners: flagBool(ctx.flags, 'archive'), signal: ctx.signal });
  } finally {
    ctx.signal.removeEventListener('abort', onAbort);
  }
}

async function localKind(abs: string): Promise<{ kind: 'dir' | 'other' | undefined; parentIsDir: boolean }> {
  try {
    const st = await stat(abs);
    return { kind: st.isDirectory() ? 'dir' : 'other', parentIsDir: true };
  } catch (err) {
    if (errnoCode(err) !== 'ENOENT' && errnoCode(err) !== 'ENOTDIR') throw err;
  }
  const parent = await stat(resolvePath(abs, '..')).catch(() => undefined);
  return { kind: undefined, parentIsDir: parent?.isDirectory() ?? false };
}

async function copyTo(ctx: CommandContext, c: IsulaClient, srcPath: string, container: string, dstPath: string): Promise<void> {
  let source: AsyncIterable<Buffer | Uint8Array>;
  let srcIsDir = true;
  if (srcPath === '-') {
    source = process.stdin;
  } else {
    const abs = resolvePath(srcPath);
    const follow = flagBool(ctx.flags, 'follow-link') || endsWithSlash(srcPath) || endsWithDot(srcPath);
    let st;
    try {
      st = follow ? await stat(abs) : await lstat(abs);
    } catch (err) {
      if (errnoCode(err) === 'ENOENT') throw notFound(`lstat ${abs}: no such file or directory`);
      throw invalidArgument(`${srcPath}: ${messageOf(err)}`);
    }
    srcIsDir = st.isDirectory();
    if (!srcIsDir && (endsWithSlash(srcPath) || endsWithDot(srcPath))) throw invalidArgument(`${srcPath}: not a directory`);
    const [tarStream, { packTree }] = await Promise.all([import('tar-stream'), import('../../storage/rootfs/pack-tree.ts')]);
    const pack = tarStream.pack();
    const packing = packTree(pack, abs, st, { top: baseNameOf(srcPath) || '.', signal: ctx.signal });
    packing.catch((err: unknown) => (pack as unknown as Readable).destroy(err instanceof Error ? err : new Error(messageOf(err))));
    source = pack as unknown as Readable;
  }
  const md = newMetadata();
  md.set(COPY_TO_KEY, JSON.stringify({ id: container, runtime: '', srcPath, srcIsdir: srcIsDir, dstPath, copyUIDGID: flagBool(ctx.flags, 'archive') }));
  let done!: Promise<void>;
  const call = await new Promise<grpc.ClientWritableStream<{ data: Buffer }>>((resolveCall) => {
    done = new Promise<void>((res, rej) => {
      resolveCall(c.containers.CopyToContainer(md, (err) => (err ? rej(c.toError(err)) : res())) as grpc.ClientWritableStream<{ data: Buffer }>);
    });
  });
  done.catch(() => {});
  const onAbort = () => call.cancel();
  ctx.signal.addEventListener('abort', onAbort, { once: true });
  try {
    let ended = false;
    const stopOnEnd = done.finally(() => (ended = true));
    stopOnEnd.catch(() => {});
    let buf: Buffer[] = [];
    let size = 0;
    const flush = async () => {
      if (size === 0) return;
      const data = Buffer.concat(buf);
      buf = [];
      size = 0;
      if (call.write({ data })) return;
      // room again, or the call ended (an early error from the daemon)
      await Promise.race([new Promise<void>((r) => call.once('drain', () => r())), stopOnEnd.catch(() => undefined)]);
    };
    for await (const chunk of source) {
      if (ended) break; // the daemon answered early (an error): stop sending
      buf.push(Buffer.from(chunk));
      size += chunk.length;
      if (size >= CHUNK) await flush();
    }
    if (!ended) {
      await flush();
      call.end();
    }
    await done;
  } finally {
    ctx.signal.removeEventListener('abort', onAbort);
  }
}
