// isula rm [-f] [-v] CONTAINER...: refuses a running container without -f (the daemon's message).
import type { Command } from '../command.ts';
import { flagBool } from '../flags.ts';
import { forEachContainer } from '../lib/container-batch.ts';

export const command: Command = {
  name: 'rm',
  usage: '[OPTIONS] CONTAINER [CONTAINER...]',
  description: 'Remove one or more containers',
  flags: [
    { long: 'force', short: 'f', kind: 'bool', description: 'Force the removal of a running container (uses SIGKILL)' },
    { long: 'volumes', short: 'v', kind: 'bool', description: 'Remove the volumes associated with the container' },
  ],
  args: { min: 1, max: -1 },
  async run(ctx) {
    const c = await ctx.client();
    const force = flagBool(ctx.flags, 'force');
    const volumes = flagBool(ctx.flags, 'volumes');
    return forEachContainer(ctx, async (id) => {
      await c.call('containers', 'Delete', { id, force, volumes });
      return id;
    });
  },
};
