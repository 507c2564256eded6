// isula network inspect [-f TEMPLATE] NETWORK...: a JSON array (or one template line per network).
import { kindOf, messageOf } from '../../util/errors.ts';
import type { Command } from '../command.ts';
import { exitCodeOf } from '../exit-codes.ts';
import { flagString } from '../flags.ts';
import { parseTemplate } from '../format/template.ts';

export const command: Command = {
  name: 'network inspect',
  usage: '[OPTIONS] NETWORK [NETWORK...]',
  description: 'Inspect networks',
  flags: [{ long: 'format', short: 'f', kind: 'string', description: 'Format the output using the given go template' }],
  args: { min: 1, max: -1 },
  async run(ctx) {
    const format = flagString(ctx.flags, 'format');
    const tpl = format !== undefined ? parseTemplate(format) : undefined;
    const c = await ctx.client();
    const found: unknown[] = [];
    let code = 0;
    for (const name of ctx.args) {
      try {
        found.push(JSON.parse((await c.call('networks', 'Inspect', { name })).NetworkJSON));
      } catch (err) {
        ctx.err(`${err instanceof Error && err.name === 'DaemonError' ? 'Error response from daemon: ' : ''}${messageOf(err)}\n`);
        code = exitCodeOf(kindOf(err));
      }
    }
    if (tpl) ctx.out(found.map((v) => `${tpl.render(v)}\n`).join(''));
    else if (found.length > 0 || code === 0) ctx.out(`${JSON.stringify(found, null, 4)}\n`);
    return code;
  },
};
