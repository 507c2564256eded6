// isula volume ls [-q]: DRIVER and VOLUME NAME columns; -q prints names only.
import type { Command } from '../command.ts';
import { flagBool } from '../flags.ts';
import { formatTable } from '../format/table.ts';

export const command: Command = {
  name: 'volume ls',
  usage: '[OPTIONS]',
  description: 'List volumes',
  flags: [{ long: 'quiet', short: 'q', kind: 'bool', description: 'Only display volume names' }],
  args: { max: 0 },
  async run(ctx) {
    const c = await ctx.client();
    const res = await c.call('volumes', 'List', {});
    const vols = res.volumes ?? [];
    if (flagBool(ctx.flags, 'quiet')) {
      for (const v of vols) ctx.out(`${v.name}\n`);
      return 0;
    }
    ctx.out(formatTable(['DRIVER', 'VOLUME NAME'], vols.map((v) => [v.driver ?? '', v.name ?? ''])));
    return 0;
  },
};
