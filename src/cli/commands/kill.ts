// isula kill [-s SIGNAL] CONTAINER...: default SIGKILL. A bad signal is refused before any call,
// with iSulad's messages and its exit code 1.
import { EngineError } from '../../util/errors.ts';
import { parseSignal } from '../../util/signals.ts';
import type { Command } from '../command.ts';
import { flagString } from '../flags.ts';
import { forEachContainer } from '../lib/container-batch.ts';

export const command: Command = {
  name: 'kill',
  usage: '[OPTIONS] CONTAINER [CONTAINER...]',
  description: 'Kill one or more running containers',
  flags: [{ long: 'signal', short: 's', kind: 'string', description: 'Signal to send to the container (default "SIGKILL")' }],
  args: { min: 1, max: -1 },
  async run(ctx) {
    const name = flagString(ctx.flags, 'signal') ?? 'SIGKILL';
    const signal = parseSignal(name);
    if (signal === undefined) {
      // a number the kernel has no signal for gets iSulad's second message
      const n = /^\d+$/.test(name.trim()) ? Number(name.trim()) : undefined;
      throw new EngineError('internal', n !== undefined && n > 0 ? `The Linux daemon does not support signal ${n}` : `Invalid signal: ${name}`);
    }
    const c = await ctx.client();
    return forEachContainer(ctx, async (id) => {
      await c.call('containers', 'Kill', { id, signal });
      return id;
    });
  },
};
