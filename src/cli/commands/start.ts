// isula start [-a] CONTAINER...: prints `Container "<name>" started`; with -a (one container)
// streams its output and exits with its code.
import { invalidArgument } from '../../util/errors.ts';
import type { Command } from '../command.ts';
import { flagBool } from '../flags.ts';
import { forEachContainer } from '../lib/container-batch.ts';
import { streamContainer } from './run.ts';

export const command: Command = {
  name: 'start',
  usage: '[OPTIONS] CONTAINER [CONTAINER...]',
  description: 'Start one or more stopped containers',
  flags: [{ long: 'attach', short: 'a', kind: 'bool', description: "Attach container's STDOUT and STDERR" }],
  args: { min: 1, max: -1 },
  // start -a: as run (125 for the daemon's refusal, 126/127 for a command that could not be run)
  exitProfile: 'start',
  async run(ctx) {
    if (flagBool(ctx.flags, 'attach')) {
      if (ctx.args.length !== 1) throw invalidArgument('You cannot start and attach multiple containers at once.');
      return streamContainer(ctx, ctx.args[0] as string, { start: true, stdin: false });
    }
    const c = await ctx.client();
    return forEachContainer(
      ctx,
      async (id) => {
        await c.call('containers', 'Start', { id });
        return `Container "${id}" started`;
      },
      // without -a iSulad's start exits 1 for any container it could not start (start.c: ECOMMON)
      'default',
    );
  },
};
