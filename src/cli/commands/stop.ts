// isula stop [-f] [-t N] CONTAINER...: the stop signal, N seconds (default 10), then SIGKILL.
import type { Command } from '../command.ts';
import { flagBool, flagNumber } from '../flags.ts';
import { forEachContainer } from '../lib/container-batch.ts';

export const command: Command = {
  name: 'stop',
  usage: '[OPTIONS] CONTAINER [CONTAINER...]',
  description: 'Stop one or more containers',
  flags: [
    { long: 'force', short: 'f', kind: 'bool', description: 'Stop by force killing' },
    { long: 'time', short: 't', kind: 'int', description: 'Seconds to wait for stop before killing it (default 10)' },
  ],
  args: { min: 1, max: -1 },
  async run(ctx) {
    const c = await ctx.client();
    const timeout = flagNumber(ctx.flags, 'time') ?? 10;
    const force = flagBool(ctx.flags, 'force');
    return forEachContainer(ctx, async (id) => {
      await c.call('containers', 'Stop', { id, force, timeout });
      return id;
    });
  },
};
