// isula top CONTAINER [ps OPTIONS]: the daemon runs the host's ps (default -ef) and keeps the
// container's processes; printed as ps printed them, header first.
import type { Command } from '../command.ts';

export const command: Command = {
  name: 'top',
  usage: 'CONTAINER [ps OPTIONS]',
  description: 'Display the running processes of a container',
  stopAtFirstArg: true,
  args: { min: 1, max: -1 },
  async run(ctx) {
    const [id = '', ...args] = ctx.args;
    const c = await ctx.client();
    const r = await c.call('containers', 'Top', { id, args });
    let text = `${Buffer.from(r.titles).toString()}\n`;
    for (const p of r.processes) text += `${Buffer.from(p).toString()}\n`;
    ctx.out(text);
    return 0;
  },
};
