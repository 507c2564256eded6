// isula wait CONTAINER...: prints each exit code; the command exits with the last container's code.
import type { Command } from '../command.ts';
import { forEachContainer } from '../lib/container-batch.ts';

export const command: Command = {
  name: 'wait',
  usage: 'CONTAINER [CONTAINER...]',
  description: 'Block until one or more containers stop, then print their exit codes',
  args: { min: 1, max: -1 },
  async run(ctx) {
    const c = await ctx.client();
    let last = 0;
    const failed = await forEachContainer(ctx, async (id) => {
      const r = await c.call('containers', 'Wait', { id, condition: 0 }, { signal: ctx.signal });
      last = r.exit_code;
      return String(r.exit_code);
    });
    return failed !== 0 ? failed : last;
  },
};
