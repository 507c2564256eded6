// isula network rm NETWORK...: prints each removed name; a network in use is refused.
import type { Command } from '../command.ts';
import { forEachContainer } from '../lib/container-batch.ts';

export const command: Command = {
  name: 'network rm',
  usage: '[OPTIONS] NETWORK [NETWORK...]',
  description: 'Remove one or more networks',
  args: { min: 1, max: -1 },
  async run(ctx) {
    const c = await ctx.client();
    return forEachContainer(ctx, async (name) => (await c.call('networks', 'Remove', { name })).name);
  },
};
