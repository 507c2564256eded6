// isula push NAME[:TAG] (iSulad has no push; this follows docker's): pushes an image (pulled, loaded or imported) to the
// registry named in NAME, with per-layer progress; prints the digest.
import type { Command } from '../command.ts';
import type { PushImageResponse__Output } from '../../api/generated/images/PushImageResponse.ts';
import { connectImages } from '../lib/image-client.ts';
import { progressDisplay } from '../lib/registry-progress.ts';
import { readServerStream } from '../lib/registry-stream.ts';

export const command: Command = {
  name: 'push',
  usage: 'NAME[:TAG]',
  description: 'Push an image to a registry',
  args: { min: 1, max: 1 },
  async run(ctx) {
    const image = ctx.args[0] as string;
    const conn = await connectImages(ctx);
    const progress = progressDisplay(ctx);
    let digest = '';
    try {
      ctx.err(`Image "${image}" pushing\n`);
      await readServerStream<PushImageResponse__Output>(conn, conn.client.PushImage({ image }), ctx.signal, (m) => {
        if (m.digest) digest = m.digest;
        progress.update({ status: m.status, layer: m.layer, current: Number(m.current), total: Number(m.total) });
      });
      progress.done();
      ctx.err(`Image "${image}" pushed\n`);
      ctx.out(`${digest}\n`);
      return 0;
    } finally {
      conn.close();
    }
  },
};
