// isula pause CONTAINER...: freezes every process of the container.
import type { Command } from '../command.ts';
import { forEachContainer } from '../lib/container-batch.ts';

export const command: Command = {
  name: 'pause',
  usage: 'CONTAINER [CONTAINER...]',
  description: 'Pause all processes within one or more containers',
  args: { min: 1, max: -1 },
  async run(ctx) {
    const c = await ctx.client();
    return forEachContainer(ctx, async (id) => {
      await c.call('containers', 'Pause', { id });
      return id;
    });
  },
};
