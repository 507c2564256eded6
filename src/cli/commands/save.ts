// isula save -o FILE IMAGE...: a docker-save archive (also an OCI layout) that `load` reads back
// with the same image IDs. iSulad has no save; docker's flags. Written to FILE.tmp-<pid> and
// renamed when complete, so an interrupted save never leaves a truncated FILE.
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Command } from '../command.ts';
import { flagString } from '../flags.ts';
import { invalidArgument } from '../../util/errors.ts';
import type { SaveImageResponse__Output } from '../../api/generated/images/SaveImageResponse.ts';
import { connectImages } from '../lib/image-client.ts';

export const command: Command = {
  name: 'save',
  usage: '[OPTIONS] IMAGE [IMAGE...]',
  description: 'Save one or more images to a tar archive',
  flags: [{ long: 'output', short: 'o', kind: 'string', description: 'Write to a file, instead of STDOUT' }],
  args: { min: 1, max: -1 },
  exitProfile: 'image',
  async run(ctx) {
    const output = flagString(ctx.flags, 'output');
    if (output === undefined && process.stdout.isTTY) throw invalidArgument('refusing to write the archive to a terminal: use -o FILE');
    const conn = await connectImages(ctx);
    const target = output === undefined ? undefined : resolve(output);
    const tmp = target === undefined ? undefined : `${target}.tmp-${process.pid}`;
    try {
      const call = conn.client.Save({ images: ctx.args });
      const onAbort = () => call.cancel();
      ctx.signal.addEventListener('abort', onAbort, { once: true });
      const data = (async function* () {
        for await (const m of call as AsyncIterable<SaveImageResponse__Output>) yield Buffer.from(m.data);
      })();
      const sink: Writable = tmp === undefined ? process.stdout : createWriteStream(tmp, { mode: 0o644 });
      try {
        await pipeline(data, sink);
      } catch (err) {
        throw conn.toError(err);
      } finally {
        ctx.signal.removeEventListener('abort', onAbort);
      }
      if (tmp !== undefined && target !== undefined) await rename(tmp, target);
      return 0;
    } finally {
      if (tmp !== undefined) await rm(tmp, { force: true });
      conn.close();
    }
  },
};
