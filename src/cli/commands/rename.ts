// isula rename OLD_NAME NEW_NAME
import type { Command } from '../command.ts';

export const command: Command = {
  name: 'rename',
  usage: '[OPTIONS] OLD_NAME NEW_NAME',
  description: 'Rename a container',
  args: { min: 2, max: 2 },
  async run(ctx) {
    const [oldname = '', newname = ''] = ctx.args;
    const c = await ctx.client();
    await c.call('containers', 'Rename', { oldname, newname });
    return 0;
  },
};
