// isula rename OLD_NAME NEW_NAME. As iSulad: a wrong argument count is `"rename" requires 2
// arguments.` with exit 1 (not the usual 125), and every refusal of the daemon exits 1.
import { EngineError } from '../../util/errors.ts';
import type { Command } from '../command.ts';

export const command: Command = {
  name: 'rename',
  usage: '[OPTIONS] OLD_NAME NEW_NAME',
  description: 'Rename a container',
  args: { min: 0, max: -1 },
  async run(ctx) {
    if (ctx.args.length !== 2) throw new EngineError('internal', '"rename" requires 2 arguments.');
    const [oldname = '', newname = ''] = ctx.args;
    const c = await ctx.client();
    await c.call('containers', 'Rename', { oldname, newname });
    return 0;
  },
};
