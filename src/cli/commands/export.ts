// isula export [-o FILE] CONTAINER: the container's merged rootfs as a tar. iSulad requires -o and
// has the daemon write FILE; here the tar streams to the client (ExportStream), so export works
// from a remote client and to stdout (no -o, or -o -) as docker does. FILE is written as
// FILE.tmp-<pid> and renamed when complete: an interrupted export never leaves a truncated FILE.
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Command } from '../command.ts';
import { flagString } from '../flags.ts';
import { invalidArgument } from '../../util/errors.ts';
import type { CopyFromContainerResponse__Output } from '../../api/generated/containers/CopyFromContainerResponse.ts';

export const command: Command = {
  name: 'export',
  usage: '[OPTIONS] CONTAINER',
  description: 'Export the contents of a container\'s filesystem as a tar archive',
  flags: [{ long: 'output', short: 'o', kind: 'string', description: 'Write to a file, instead of STDOUT' }],
  args: { min: 1, max: 1 },
  async run(ctx) {
    const output = flagString(ctx.flags, 'output');
    const toStdout = output === undefined || output === '-';
    if (toStdout && process.stdout.isTTY) throw invalidArgument('refusing to write the archive to a terminal: use -o FILE');
    if (output === '') throw invalidArgument('missing output file path');
    const c = await ctx.client();
    const target = toStdout ? undefined : resolve(output);
    const tmp = target === undefined ? undefined : `${target}.tmp-${process.pid}`;
    // the output file is opened before the daemon is asked: a missing directory fails at once,
    // as iSulad's export does (iSulad CI export.sh), and no export runs for nothing
    const sink: Writable = tmp === undefined ? process.stdout : await openOutput(tmp);
    const call = c.containers.ExportStream({ id: ctx.args[0] as string, file: '' });
    const onAbort = () => call.cancel();
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    try {
      const data = (async function* () {
        for await (const m of call as AsyncIterable<CopyFromContainerResponse__Output>) yield Buffer.from(m.data);
      })();
      try {
        await pipeline(data, sink);
      } catch (err) {
        throw c.toError(err);
      }
      if (tmp !== undefined && target !== undefined) await rename(tmp, target);
      return 0;
    } finally {
      ctx.signal.removeEventListener('abort', onAbort);
      if (tmp !== undefined) await rm(tmp, { force: true });
    }
  },
};

/** A write stream to `path`, once the file is open (an error to open it is thrown here). */
function openOutput(path: string): Promise<Writable> {
  return new Promise((resolvePromise, reject) => {
    const s = createWriteStream(path, { mode: 0o600 });
    s.once('open', () => resolvePromise(s));
    s.once('error', reject);
  });
}
