// isula pull NAME[:TAG|@DIGEST] [--platform os/arch[/variant]]: pulls through the daemon, with
// per-layer progress; prints iSulad's `Image "NAME" pulling` / `Image "NAME" pulled`.
import type { Command } from '../command.ts';
import { flagString } from '../flags.ts';
import type { PullImageResponse__Output } from '../../api/generated/images/PullImageResponse.ts';
import { connectImages } from '../lib/image-client.ts';
import { progressDisplay } from '../lib/registry-progress.ts';
import { readServerStream } from '../lib/registry-stream.ts';

export const command: Command = {
  name: 'pull',
  usage: 'NAME[:TAG|@DIGEST]',
  description: 'Pull an image or a repository from a registry',
  flags: [{ long: 'platform', kind: 'string', description: 'Set platform if server is multi-platform capable (os/arch[/variant])' }],
  args: { min: 1, max: 1 },
  async run(ctx) {
    const image = ctx.args[0] as string;
    const conn = await connectImages(ctx);
    const progress = progressDisplay(ctx);
    try {
      ctx.err(`Image "${image}" pulling\n`);
      const call = conn.client.PullImage({ image, platform: flagString(ctx.flags, 'platform') ?? '' });
      await readServerStream<PullImageResponse__Output>(conn, call, ctx.signal, (m) => {
        progress.update({ status: m.status, layer: m.layer, current: Number(m.current), total: Number(m.total) });
      });
      progress.done();
      ctx.err(`Image "${image}" pulled\n`);
      return 0;
    } finally {
      conn.close();
    }
  },
};
