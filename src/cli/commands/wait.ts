// isula wait CONTAINER...: prints each exit code, one per line, and exits 0 as iSulad does (the
// codes are the output, not the command's status); 1 when any container could not be waited for.
import type { Command } from '../command.ts';
import { forEachContainer } from '../lib/container-batch.ts';

export const command: Command = {
  name: 'wait',
  usage: 'CONTAINER [CONTAINER...]',
  description: 'Block until one or more containers stop, then print their exit codes',
  args: { min: 1, max: -1 },
  async run(ctx) {
    const c = await ctx.client();
    return forEachContainer(ctx, async (id) => {
      const r = await c.call('containers', 'Wait', { id, condition: 0 }, { signal: ctx.signal });
      return String(r.exit_code);
    });
  },
};
