// isula port CONTAINER [PRIVATE_PORT[/PROTO]]: the container's published ports, read from its
// inspect NetworkSettings.Ports ("80/tcp -> 0.0.0.0:8080", also when a port is asked for: iSulad's
// client prints the key on every line, where docker's prints only the address).
import { invalidArgument, notFound } from '../../util/errors.ts';
import type { Command } from '../command.ts';

type Ports = Record<string, Array<{ HostIp: string; HostPort: string }> | null>;

/** The lines `isula port` prints; `filter` is "80" or "80/udp" (tcp by default). */
export function portLines(ports: Ports, filter?: string): string[] {
  let want: string | undefined;
  if (filter !== undefined) {
    const m = /^([0-9]{1,5})(?:\/(tcp|udp|sctp))?$/.exec(filter);
    if (!m) throw invalidArgument(`Invalid port: ${filter}`);
    want = `${m[1]}/${m[2] ?? 'tcp'}`;
  }
  const out: string[] = [];
  for (const [key, list] of Object.entries(ports)) {
    if (want !== undefined && key !== want) continue;
    for (const b of list ?? []) out.push(`${key} -> ${b.HostIp || '0.0.0.0'}:${b.HostPort}`);
  }
  return out;
}

export const command: Command = {
  name: 'port',
  usage: 'CONTAINER [PRIVATE_PORT[/PROTO]]',
  description: 'List port mappings or a specific mapping for the container',
  args: { min: 1, max: 2 },
  async run(ctx) {
    const [name = '', filter] = ctx.args;
    const c = await ctx.client();
    const r = await c.call('containers', 'Inspect', { id: name, bformat: false, timeout: 120 }, { signal: ctx.signal });
    const info = JSON.parse(r.ContainerJSON) as { NetworkSettings?: { Ports?: Ports } };
    const lines = portLines(info.NetworkSettings?.Ports ?? {}, filter);
    if (filter !== undefined && lines.length === 0) throw notFound(`No public port '${filter}' published for ${name}`);
    if (lines.length > 0) ctx.out(`${lines.join('\n')}\n`);
    return 0;
  },
};
