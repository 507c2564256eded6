// isula load -i FILE [--tag NAME]: streams the archive to the daemon (docker-save or OCI layout,
// plain or gzip'd); prints `Load image from "<file>" success`. With --daemon-path the daemon
// opens FILE itself (when it shares the filesystem) instead of receiving the bytes.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from '../command.ts';
import { flagBool, flagString } from '../flags.ts';
import { invalidArgument } from '../../util/errors.ts';
import type { LoadImageRequest } from '../../api/generated/images/LoadImageRequest.ts';
import type { LoadImageResponse__Output } from '../../api/generated/images/LoadImageResponse.ts';
import { connectImages, openUpload, progressLine, uploadStream } from '../lib/image-client.ts';

export const command: Command = {
  name: 'load',
  usage: '[OPTIONS]',
  description: 'Load an image from a tar archive',
  flags: [
    { long: 'input', short: 'i', kind: 'string', description: 'Read from a manifest or an archive' },
    { long: 'tag', kind: 'string', description: 'Name the image (only when the archive holds one image)' },
    { long: 'type', short: 't', kind: 'string', description: 'Image type: docker (default) or oci' },
    { long: 'platform', kind: 'string', description: 'Load the image of this platform (os/arch[/variant]) from a multi-arch archive; refuse others' },
    { long: 'daemon-path', kind: 'bool', description: 'Let the daemon read the file itself (shared filesystem)' },
  ],
  args: { max: 0 },
  exitProfile: 'image',
  async run(ctx) {
    const input = flagString(ctx.flags, 'input');
    if (input === undefined || input === '') throw invalidArgument('Load requires input file path');
    const type = flagString(ctx.flags, 'type') ?? 'docker';
    if (type !== 'docker' && type !== 'oci') throw invalidArgument(`unsupported image type ${JSON.stringify(type)} (docker or oci)`);
    const tag = flagString(ctx.flags, 'tag') ?? '';
    if (input !== '-' && !flagBool(ctx.flags, 'daemon-path') && !existsSync(resolve(input))) {
      // iSulad's client checks the file before connecting: its wording, exit 1 (ECOMMON)
      ctx.err(`File ${resolve(input)} is not exist\n`);
      return 1;
    }
    const conn = await connectImages(ctx);
    try {
      const daemonPath = flagBool(ctx.flags, 'daemon-path');
      const file = input === '-' ? '-' : resolve(input);
      const up = daemonPath ? undefined : openUpload(file);
      const progress = progressLine(ctx, 'Loading', up?.size);
      const first: LoadImageRequest = { file, type, tag, platform: flagString(ctx.flags, 'platform') ?? '' };
      await uploadStream<LoadImageRequest, LoadImageResponse__Output>(
        conn,
        (cb) => conn.client.Load(cb),
        first,
        'data',
        up?.stream ?? (async function* () {})() as never,
        (n) => progress.update(n),
        ctx.signal,
      ).finally(() => progress.done());
      ctx.out(`Load image from "${input}" success\n`);
      return 0;
    } finally {
      conn.close();
    }
  },
};
