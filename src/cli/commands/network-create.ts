// isula network create [-d bridge] [--subnet CIDR]... [--gateway IP]... [--internal] [--label k=v] NAME:
// prints the new network's name.
import { invalidArgument } from '../../util/errors.ts';
import type { Command } from '../command.ts';
import { flagBool, flagList, flagString } from '../flags.ts';
import { EXIT_INVALID_ARGS } from '../exit-codes.ts';

const MAX_NETWORK_NAME_LEN = 200;

export const command: Command = {
  name: 'network create',
  exitProfile: 'run',
  usage: '[OPTIONS] [NETWORK]',
  description: 'Create a network',
  flags: [
    { long: 'driver', short: 'd', kind: 'string', description: 'Driver to manager the network (default "bridge")' },
    { long: 'gateway', kind: 'list', description: 'IPv4 or IPv6 gateway for the subnet (one of each)' },
    { long: 'internal', kind: 'bool', description: 'Restrict external access from this network' },
    { long: 'subnet', kind: 'list', description: 'Subnet in CIDR format (one IPv4 and one IPv6 for dual stack)' },
    { long: 'label', kind: 'list', description: 'Set metadata on a network' },
  ],
  args: { min: 0, max: -1 },
  async run(ctx) {
    // iSulad's client: the name is optional (the daemon names the network after its bridge)
    if (ctx.args.length > 1) {
      ctx.err(`"isula network create" requires at most 1 network name\n`);
      return EXIT_INVALID_ARGS;
    }
    const name = ctx.args[0] ?? '';
    if (name.length > MAX_NETWORK_NAME_LEN) {
      ctx.err(`Network name '${name}' too long, max length:${MAX_NETWORK_NAME_LEN}\n`);
      return EXIT_INVALID_ARGS;
    }
    const labels: Record<string, string> = {};
    for (const l of flagList(ctx.flags, 'label')) {
      const i = l.indexOf('=');
      const k = i < 0 ? l : l.slice(0, i);
      if (k === '') throw invalidArgument(`invalid label '${l}'`);
      labels[k] = i < 0 ? '' : l.slice(i + 1);
    }
    const c = await ctx.client();
    const r = await c.call('networks', 'Create', {
      name,
      driver: flagString(ctx.flags, 'driver') ?? 'bridge',
      // one IPv4 and one IPv6 value each at most: comma-joined on the wire (the daemon splits them)
      gateway: flagList(ctx.flags, 'gateway').join(','),
      subnet: flagList(ctx.flags, 'subnet').join(','),
      internal: flagBool(ctx.flags, 'internal'),
      labels,
    });
    ctx.out(`${r.name}\n`);
    return 0;
  },
};
