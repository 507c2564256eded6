// isula start [-a] [-i] CONTAINER...: prints `Container "<name>" started`; with -a (one container)
// streams its output and exits with its code. -i (docker's, implies -a): our stdin goes to a
// container created with -i; its stdin stays open after ours ends (only `run -i` closes it).
import { invalidArgument } from '../../util/errors.ts';
import type { Command } from '../command.ts';
import { flagBool } from '../flags.ts';
import { forEachContainer } from '../lib/container-batch.ts';
import { streamContainer } from './run.ts';

export const command: Command = {
  name: 'start',
  usage: '[OPTIONS] CONTAINER [CONTAINER...]',
  description: 'Start one or more stopped containers',
  flags: [
    { long: 'attach', short: 'a', kind: 'bool', description: "Attach container's STDOUT and STDERR" },
    { long: 'interactive', short: 'i', kind: 'bool', description: "Attach container's STDIN" },
  ],
  args: { min: 1, max: -1 },
  // start -a: as run (125 for the daemon's refusal, 126/127 for a command that could not be run)
  exitProfile: 'start',
  async run(ctx) {
    const interactive = flagBool(ctx.flags, 'interactive');
    if (flagBool(ctx.flags, 'attach') || interactive) {
      if (ctx.args.length !== 1) throw invalidArgument('You cannot start and attach multiple containers at once.');
      const ref = ctx.args[0] as string;
      let stdin = false;
      if (interactive) {
        // docker: a container created without -i takes no stdin (and is not refused)
        const c = await ctx.client();
        const info = JSON.parse((await c.call('containers', 'Inspect', { id: ref, bformat: false, timeout: 0 })).ContainerJSON) as { Config?: { OpenStdin?: boolean } };
        stdin = info.Config?.OpenStdin === true;
      }
      return streamContainer(ctx, ref, { start: true, stdin });
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
