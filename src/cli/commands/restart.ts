// isula restart [-t N] CONTAINER...
import type { Command } from '../command.ts';
import { flagNumber } from '../flags.ts';
import { forEachContainer } from '../lib/container-batch.ts';

export const command: Command = {
  name: 'restart',
  usage: '[OPTIONS] CONTAINER [CONTAINER...]',
  description: 'Restart one or more containers',
  flags: [{ long: 'time', short: 't', kind: 'int', description: 'Seconds to wait for stop before killing the container (default 10)' }],
  args: { min: 1, max: -1 },
  async run(ctx) {
    const c = await ctx.client();
    const timeout = flagNumber(ctx.flags, 'time') ?? 10;
    return forEachContainer(ctx, async (id) => {
      await c.call('containers', 'Restart', { id, timeout });
      return id;
    });
  },
};
