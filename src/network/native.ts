// Native (engine-made) bridge networks: the record kept in the state store (kind 'network') and
// the CNI list it stands for (bridge + host-local, portmap, firewall, tuning; iSulad's plugin set
// plus tuning for --mac-address). The list is generated from the record on use, never written
// to the cni-conf-dir: the store is the one owner of network metadata.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { EngineError } from '../util/errors.ts';
import type { ConfList } from './types.ts';

export interface NetworkRecord {
  Name: string;
  /** 64 hex */
  Id: string;
  Driver: 'bridge';
  /** Linux bridge device (isula-br<N>) */
  Bridge: string;
  /** IPv4 CIDR */
  Subnet: string;
  Gateway: string;
  /** dual stack: the IPv6 subnet (CIDR) and gateway beside the IPv4 ones; absent on IPv4-only networks */
  IPv6Subnet?: string;
  IPv6Gateway?: string;
  /** no masquerade and no default route: containers reach only each other and the host */
  Internal: boolean;
  Labels: Record<string, string>;
  Created: string;
  CniVersion: string;
}

export const NATIVE_CNI_VERSION = '1.0.0';

/** The CNI list of a native bridge network; host-local keeps its leases under `ipamDir`. */
export function confListOfNetwork(rec: NetworkRecord, ipamDir: string): ConfList {
  return {
    cniVersion: rec.CniVersion || NATIVE_CNI_VERSION,
    name: rec.Name,
    plugins: [
      {
        // key order as iSulad writes its native lists (network inspect shows this list)
        type: 'bridge',
        bridge: rec.Bridge,
        isGateway: true,
        ipMasq: !rec.Internal,
        hairpinMode: true,
        ipam: {
          type: 'host-local',
          routes: rec.Internal ? [] : [{ dst: '0.0.0.0/0' }, ...(rec.IPv6Subnet ? [{ dst: '::/0' }] : [])],
          ranges: [
            [{ subnet: rec.Subnet, gateway: rec.Gateway }],
            ...(rec.IPv6Subnet && rec.IPv6Gateway ? [[{ subnet: rec.IPv6Subnet, gateway: rec.IPv6Gateway }]] : []),
          ],
          dataDir: ipamDir,
        },
        capabilities: { ips: true },
      },
      { type: 'portmap', capabilities: { portMappings: true } },
      { type: 'firewall' },
      { type: 'tuning', capabilities: { mac: true } },
    ],
  };
}

function ip(args: string[]): Promise<{ ok: boolean; stderr: string }> {
  return new Promise((resolve) => {
    execFile('ip', args, { encoding: 'utf8', timeout: 10_000 }, (err, _o, stderr) => resolve({ ok: err === null, stderr: stderr.trim() }));
  });
}

/**
 * Claims the first free isula-br<N> (N from `from`) by creating it: `ip link add` is atomic, so
 * two daemons on one host never share a bridge. The gateway addresses go on at once, so the
 * subnets show up in the host's addresses for the next daemon's free-subnet pick (the IPv6 one
 * without duplicate address detection: the bridge plugin waits for tentative addresses).
 */
export async function claimBridge(prefix: string, taken: ReadonlySet<string>, gatewayCidr: string, gateway6Cidr?: string): Promise<string> {
  for (let n = 0; n < 1000; n++) {
    const name = `${prefix}${n}`;
    if (taken.has(name)) continue;
    const r = await ip(['link', 'add', 'name', name, 'address', bridgeMac(), 'type', 'bridge']);
    if (!r.ok) {
      if (/exists/i.test(r.stderr)) continue;
      throw new EngineError('internal', `create bridge ${name}: ip link add: ${r.stderr}`);
    }
    for (const [cidr, extra] of [[gatewayCidr, []], ...(gateway6Cidr ? [[gateway6Cidr, ['nodad']] as const] : [])] as const) {
      const a = await ip(['addr', 'add', cidr, 'dev', name, ...extra]);
      if (!a.ok) {
        await ip(['link', 'del', name]);
        throw new EngineError('internal', `create bridge ${name}: ip addr add ${cidr}: ${a.stderr}`);
      }
    }
    return name;
  }
  throw new EngineError('resource-exhausted', `no free bridge name ${prefix}<N>`);
}

/**
 * A random locally administered unicast MAC for a new bridge. A bridge without a MAC of its own
 * takes the lowest MAC of its ports, so it changes as containers come and go: neighbours' ARP
 * caches go stale, and the bridge plugin's CHECK ("Bridge interface ... Mac doesn't match")
 * fails for every container attached before the change.
 */
export function bridgeMac(): string {
  const b = randomBytes(6);
  b[0] = ((b[0] as number) & 0xfe) | 0x02;
  return [...b].map((x) => x.toString(16).padStart(2, '0')).join(':');
}

/**
 * Makes sure a native network's bridge exists (it is gone after a host reboot; the bridge plugin
 * would recreate it without a fixed MAC): recreated with a fixed MAC and its gateway addresses.
 * Cheap when it exists (one read of /proc/net/dev).
 */
export async function ensureBridge(name: string, gatewayCidr: string, gateway6Cidr?: string): Promise<void> {
  // /proc/net/dev lists the links of this process's netns (/sys/class/net shows sysfs's, which is
  // the host's when the daemon runs in a netns of its own)
  const dev = await readFile('/proc/net/dev', 'utf8').catch(() => '');
  if (dev.split('\n').some((l) => l.trim().startsWith(`${name}:`))) return;
  const r = await ip(['link', 'add', 'name', name, 'address', bridgeMac(), 'type', 'bridge']);
  if (!r.ok && !/exists/i.test(r.stderr)) throw new EngineError('internal', `create bridge ${name}: ip link add: ${r.stderr}`);
  for (const [cidr, extra] of [[gatewayCidr, []], ...(gateway6Cidr ? [[gateway6Cidr, ['nodad']] as const] : [])] as const) {
    const a = await ip(['addr', 'add', cidr, 'dev', name, ...extra]);
    if (!a.ok && !/exists|already assigned/i.test(a.stderr)) throw new EngineError('internal', `create bridge ${name}: ip addr add ${cidr}: ${a.stderr}`);
  }
}

/** Deletes a bridge device; a missing one is fine. */
export async function deleteBridge(name: string): Promise<void> {
  const r = await ip(['link', 'del', name]);
  if (!r.ok && !/cannot find|does not exist/i.test(r.stderr)) throw new EngineError('internal', `delete bridge ${name}: ${r.stderr}`);
}
