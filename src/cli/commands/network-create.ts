// isula network create [-d bridge] [--subnet CIDR]... [--gateway IP]... [--internal] [--label k=v] NAME:
// prints the new network's name.
import { invalidArgument } from '../../util/errors.ts';
import type { Command } from '../command.ts';
import { flagBool, flagList, flagString } from '../flags.ts';

export const command: Command = {
  name: 'network create',
  exitProfile: 'run',
  usage: '[OPTIONS] NAME',
  description: 'Create a network',
  flags: [
    { long: 'driver', short: 'd', kind: 'string', description: 'Driver to manager the network (default "bridge")' },
    { long: 'gateway', kind: 'list', description: 'IPv4 or IPv6 gateway for the subnet (one of each)' },
    { long: 'internal', kind: 'bool', description: 'Restrict external access from this network' },
    { long: 'subnet', kind: 'list', description: 'Subnet in CIDR format (one IPv4 and one IPv6 for dual stack)' },
    { long: 'label', kind: 'list', description: 'Set metadata on a network' },
  ],
  args: { min: 1, max: 1 },
  async run(ctx) {
    const labels: Record<string, string> = {};
    for (const l of flagList(ctx.flags, 'label')) {
      const i = l.indexOf('=');
      const k = i < 0 ? l : l.slice(0, i);
      if (k === '') throw invalidArgument(`invalid label '${l}'`);
      labels[k] = i < 0 ? '' : l.slice(i + 1);
    }
    const c = await ctx.client();
    const r = await c.call('networks', 'Create', {
      name: ctx.args[0] ?? '',
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
