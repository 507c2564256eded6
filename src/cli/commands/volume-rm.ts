// isula volume rm VOLUME...: prints each removed name; a volume in use is refused by the daemon
// (`remove volume NAME failed: volume is used by container ID`). Keeps going past a failure.
import type { Command } from '../command.ts';
import { forEachContainer } from '../lib/container-batch.ts';

export const command: Command = {
  name: 'volume rm',
  usage: '[OPTIONS] VOLUME [VOLUME...]',
  description: 'Remove one or more volumes',
  args: { min: 1, max: -1 },
  async run(ctx) {
    const c = await ctx.client();
    // the per-name loop of the container batch commands fits volumes as well
    return forEachContainer(ctx, async (name) => {
      await c.call('volumes', 'Remove', { name });
      return name;
    });
  },
};
