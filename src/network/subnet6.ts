// IPv6 subnets for native networks (pure, plus a read of what the host uses): parse and print
// addresses (RFC 5952 text), CIDRs with zero host bits, overlaps, the gateway, and whether the
// host has IPv6 at all. Kept apart from subnet.ts, whose IPv4 math is plain 32-bit numbers.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { invalidArgument } from '../util/errors.ts';

export interface Cidr6 {
  base: bigint;
  prefix: number;
}

const ALL = (1n << 128n) - 1n;

/** "fd00::1" → 128-bit number; undefined when it is no IPv6 address (no zone ids, no embedded IPv4). */
export function parseIPv6(s: string): bigint | undefined {
  if (!/^[0-9a-fA-F:]+$/.test(s) || s.length > 39) return undefined;
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const groups = (h: string | undefined): string[] | undefined => {
    if (h === undefined || h === '') return [];
    const g = h.split(':');
    return g.every((x) => /^[0-9a-fA-F]{1,4}$/.test(x)) ? g : undefined;
  };
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  if (!head || !tail) return undefined;
  const fill = halves.length === 2 ? 8 - head.length - tail.length : 0;
  if ((halves.length === 2 && fill < 1) || (halves.length === 1 && head.length !== 8)) return undefined;
  let n = 0n;
  for (const g of [...head, ...Array<string>(fill).fill('0'), ...tail]) n = (n << 16n) | BigInt(parseInt(g, 16));
  return n;
}

/** RFC 5952 text: lower case, no leading zeros, the longest run (>= 2) of zero groups as "::". */
export function formatIPv6(n: bigint): string {
  const g: number[] = [];
  for (let i = 7; i >= 0; i--) g.push(Number((n >> BigInt(i * 16)) & 0xffffn));
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (a: number[]) => a.map((x) => x.toString(16)).join(':');
  if (best < 0) return hex(g);
  return `${hex(g.slice(0, best))}::${hex(g.slice(best + bestLen))}`;
}

function mask6(prefix: number): bigint {
  return prefix === 0 ? 0n : (ALL << BigInt(128 - prefix)) & ALL;
}

/** "fd00:1::/64" → Cidr6; host bits must be zero; the prefix between 16 and 120. */
export function parseSubnet6(s: string): Cidr6 {
  const [ip = '', pfx, extra] = s.split('/');
  const n = parseIPv6(ip);
  if (n === undefined || pfx === undefined || extra !== undefined || !/^[0-9]{1,3}$/.test(pfx) || Number(pfx) > 128) {
    throw invalidArgument(`Invalid subnet "${s}": want an IPv6 CIDR such as fd00:1::/64`);
  }
  const prefix = Number(pfx);
  if (prefix < 16 || prefix > 120) throw invalidArgument(`Invalid subnet "${s}": the IPv6 prefix length must be between 16 and 120`);
  const base = n & mask6(prefix);
  if (base !== n) throw invalidArgument(`Invalid subnet "${s}": host bits are set (did you mean ${formatIPv6(base)}/${prefix}?)`);
  return { base, prefix };
}

export function formatCidr6(c: Cidr6): string {
  return `${formatIPv6(c.base)}/${c.prefix}`;
}

export function contains6(c: Cidr6, ip: bigint): boolean {
  return (ip & mask6(c.prefix)) === c.base;
}

export function overlaps6(a: Cidr6, b: Cidr6): boolean {
  const m = mask6(Math.min(a.prefix, b.prefix));
  return (a.base & m) === (b.base & m);
}

/** The gateway of a subnet: its first address after the subnet-router anycast one (::1). */
export function defaultGateway6(c: Cidr6): string {
  return formatIPv6(c.base + 1n);
}

/** Checks a --gateway against its IPv6 subnet (inside it, not the subnet-router anycast address). */
export function checkGateway6(c: Cidr6, gw: string): string {
  const n = parseIPv6(gw);
  if (n === undefined) throw invalidArgument(`Invalid gateway "${gw}"`);
  if (!contains6(c, n) || n === c.base) throw invalidArgument(`Invalid gateway ${gw}: not match subnet, not a host address of subnet ${formatCidr6(c)}`);
  return formatIPv6(n);
}

/** True when the kernel has IPv6 and it is not disabled (sysctl net.ipv6.conf.all.disable_ipv6). */
export async function ipv6Enabled(): Promise<boolean> {
  try {
    return (await readFile('/proc/sys/net/ipv6/conf/all/disable_ipv6', 'utf8')).trim() === '0';
  } catch {
    return false;
  }
}

function ipJson(args: string[]): Promise<unknown[]> {
  return new Promise((resolve) => {
    execFile('ip', ['-j', ...args], { encoding: 'utf8', timeout: 10_000 }, (err, stdout) => {
      if (err) return resolve([]);
      try {
        const v = JSON.parse(stdout) as unknown;
        resolve(Array.isArray(v) ? v : []);
      } catch {
        resolve([]);
      }
    });
  });
}

/** Global IPv6 networks the host uses: interface prefixes and routes (not the default, not link-local). */
export async function hostSubnets6(): Promise<Cidr6[]> {
  const out: Cidr6[] = [];
  const add = (addr: string | undefined, prefix: number | undefined) => {
    const n = addr ? parseIPv6(addr) : undefined;
    if (n === undefined || prefix === undefined || prefix === 0 || prefix === 128) return;
    const c = { base: n & mask6(prefix), prefix };
    if (overlaps6(c, { base: 0xfe80n << 112n, prefix: 10 })) return;
    out.push(c);
  };
  for (const l of (await ipJson(['-6', 'addr', 'show'])) as Array<{ addr_info?: Array<{ local?: string; prefixlen?: number }> }>) {
    for (const a of l.addr_info ?? []) add(a.local, a.prefixlen);
  }
  for (const r of (await ipJson(['-6', 'route', 'show'])) as Array<{ dst?: string }>) {
    if (!r.dst || r.dst === 'default') continue;
    const [a, p] = r.dst.split('/');
    add(a, p === undefined ? 128 : Number(p));
  }
  return out;
}

