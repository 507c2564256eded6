// isula import FILE|- REPO[:TAG]: a rootfs tarball (stdin with "-") → a single-layer image;
// prints sha256:<id>.
import { resolve } from 'node:path';
import type { Command } from '../command.ts';
import type { ImportRequest } from '../../api/generated/images/ImportRequest.ts';
import type { ImportResponse__Output } from '../../api/generated/images/ImportResponse.ts';
import { connectImages, openUpload, progressLine, uploadStream } from '../lib/image-client.ts';

export const command: Command = {
  name: 'import',
  usage: 'file|- REPOSITORY[:TAG]',
  description: 'Import the contents from a tarball to create a filesystem image',
  args: { min: 2, max: 2 },
  exitProfile: 'image',
  async run(ctx) {
    const [src, tag] = ctx.args as [string, string];
    const file = src === '-' ? '-' : resolve(src);
    const conn = await connectImages(ctx);
    try {
      const up = openUpload(file);
      const progress = progressLine(ctx, 'Importing', up.size);
      const r = await uploadStream<ImportRequest, ImportResponse__Output>(
        conn,
        (cb) => conn.client.Import(cb),
        { file, tag },
        'data',
        up.stream,
        (n) => progress.update(n),
        ctx.signal,
      ).finally(() => progress.done());
      ctx.out(`sha256:${r.id}\n`);
      return 0;
    } finally {
      conn.close();
    }
  },
};
