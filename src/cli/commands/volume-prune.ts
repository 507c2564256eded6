// isula volume prune [-f]: removes every volume no container uses and prints their names.
// Without -f it asks first and does nothing unless the answer is y/yes.
import type { Command } from '../command.ts';
import { flagBool } from '../flags.ts';
import { confirm } from '../lib/confirm.ts';

const WARNING = 'WARNING! This will remove all local volumes not used by at least one container.\nAre you sure you want to continue? [y/N] ';

export const command: Command = {
  name: 'volume prune',
  usage: '[OPTIONS]',
  description: 'Remove all unused local volumes',
  flags: [{ long: 'force', short: 'f', kind: 'bool', description: 'Do not prompt for confirmation' }],
  args: { max: 0 },
  async run(ctx) {
    if (!flagBool(ctx.flags, 'force') && !(await confirm(ctx, WARNING))) return 0;
    const c = await ctx.client();
    const res = await c.call('volumes', 'Prune', {});
    for (const name of res.volumes ?? []) ctx.out(`${name}\n`);
    return 0;
  },
};
