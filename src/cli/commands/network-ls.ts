// isula network ls [-q] [-f key=value]: NAME, VERSION, PLUGIN columns as iSulad (plus the
// subnet); -q prints names only.
import type { Command } from '../command.ts';
import { flagBool, flagList } from '../flags.ts';
import { formatTable } from '../format/table.ts';

export const command: Command = {
  name: 'network ls',
  usage: '[OPTIONS]',
  description: 'List networks',
  flags: [
    { long: 'quiet', short: 'q', kind: 'bool', description: 'Only display network names' },
    { long: 'filter', short: 'f', kind: 'list', description: 'Filter output based on conditions provided (name, id, driver, plugin, label)' },
  ],
  args: { max: 0 },
  async run(ctx) {
    const c = await ctx.client();
    const res = await c.call('networks', 'List', { filters: flagList(ctx.flags, 'filter') });
    const nets = res.networks ?? [];
    if (flagBool(ctx.flags, 'quiet')) {
      for (const n of nets) ctx.out(`${n.name}\n`);
      return 0;
    }
    ctx.out(formatTable(['NAME', 'VERSION', 'PLUGIN', 'SUBNET'], nets.map((n) => [n.name ?? '', n.version ?? '', (n.plugins ?? []).join(','), n.subnet ?? ''])));
    return 0;
  },
};
