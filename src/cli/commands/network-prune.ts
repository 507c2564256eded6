// isula network prune [-f]: removes every network no container uses (not the default one) and
// prints their names. Without -f it asks first.
import type { Command } from '../command.ts';
import { flagBool } from '../flags.ts';
import { confirm } from '../lib/confirm.ts';

const WARNING = 'WARNING! This will remove all custom networks not used by at least one container.\nAre you sure you want to continue? [y/N] ';

export const command: Command = {
  name: 'network prune',
  usage: '[OPTIONS]',
  description: 'Remove all unused networks',
  flags: [{ long: 'force', short: 'f', kind: 'bool', description: 'Do not prompt for confirmation' }],
  args: { max: 0 },
  async run(ctx) {
    if (!flagBool(ctx.flags, 'force') && !(await confirm(ctx, WARNING))) return 0;
    const c = await ctx.client();
    const res = await c.call('networks', 'Prune', {});
    for (const name of res.networks ?? []) ctx.out(`${name}\n`);
    return 0;
  },
};
