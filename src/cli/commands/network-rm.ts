// isula network rm NETWORK...: prints each removed name; a network in use is refused.
import type { Command } from '../command.ts';
import { forEachContainer } from '../lib/container-batch.ts';
import { EXIT_INVALID_ARGS } from '../exit-codes.ts';

export const command: Command = {
  name: 'network rm',
  usage: '[OPTIONS] NETWORK [NETWORK...]',
  description: 'Remove networks',
  args: { min: 0, max: -1 },
  async run(ctx) {
    if (ctx.args.length === 0) {
      ctx.err(`"isula network rm" requires at least 1 network name\n`);
      return EXIT_INVALID_ARGS;
    }
    const c = await ctx.client();
    return forEachContainer(ctx, async (name) => (await c.call('networks', 'Remove', { name })).name);
  },
};
