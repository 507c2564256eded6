// isula unpause CONTAINER... (the Resume RPC).
import type { Command } from '../command.ts';
import { forEachContainer } from '../lib/container-batch.ts';

export const command: Command = {
  name: 'unpause',
  usage: 'CONTAINER [CONTAINER...]',
  description: 'Unpause all processes within one or more containers',
  args: { min: 1, max: -1 },
  async run(ctx) {
    const c = await ctx.client();
    return forEachContainer(ctx, async (id) => {
      await c.call('containers', 'Resume', { id });
      return id;
    });
  },
};
