// isula create [OPTIONS] IMAGE [COMMAND] [ARG...]: prints the new container's full id.
import type { Command, CommandContext } from '../command.ts';
import { CREATE_FLAGS, createFromFlags, createRequestJson } from '../lib/create-flags.ts';

/** Sends Create from the parsed flags; shared with run. */
export async function createFromContext(ctx: CommandContext, opts: { stdinOnce?: boolean } = {}): Promise<string> {
  const req = createFromFlags(ctx.flags, ctx.args);
  // run -i with its stdin attached: docker's StdinOnce (the client's EOF ends the container's stdin)
  if (opts.stdinOnce === true && req.config.OpenStdin === true) req.config.StdinOnce = true;
  const c = await ctx.client();
  const json = createRequestJson(req);
  const res = await c.call('containers', 'Create', {
    id: req.name,
    image: req.image,
    runtime: req.runtime,
    rootfs: req.rootfs,
    hostconfig: json.hostconfig,
    customconfig: json.customconfig,
  });
  return res.id;
}

export const command: Command = {
  name: 'create',
  usage: '[OPTIONS] IMAGE [COMMAND] [ARG...]',
  description: 'Create a new container',
  flags: CREATE_FLAGS,
  stopAtFirstArg: true,
  args: { min: 1, max: -1 },
  // iSulad's create exits 125 for its own argument checks and 1 when the create itself fails,
  // whatever the daemon said (run: 125 for both)
  async run(ctx) {
    ctx.out(`${await createFromContext(ctx)}\n`);
    return 0;
  },
};
