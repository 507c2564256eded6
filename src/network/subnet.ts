// IPv4 subnets for native networks: parse and normalize CIDRs, detect overlaps, pick a free one
// (pure), and read what the host already uses (addresses and routes) so a new bridge never shadows
// a host network.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { invalidArgument } from '../util/errors.ts';

export interface Cidr {
  /** network address as a 32-bit unsigned number */
  base: number;
  prefix: number;
}

const OCTET = /^(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])$/;

export function parseIPv4(s: string): number | undefined {
  const p = s.split('.');
  if (p.length !== 4 || !p.every((o) => OCTET.test(o))) return undefined;
  return p.reduce((acc, o) => acc * 256 + Number(o), 0);
}

export function formatIPv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

function maskOf(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

/** "10.1.2.0/24" → Cidr; host bits must be zero (docker refuses "10.1.2.3/24" as a subnet too). */
export function parseSubnet(s: string): Cidr {
  const [ip = '', pfx, extra] = s.split('/');
  const n = parseIPv4(ip);
  if (n === undefined || pfx === undefined || extra !== undefined || !/^[0-9]{1,2}$/.test(pfx) || Number(pfx) > 32) {
    throw invalidArgument(`Invalid subnet "${s}": want an IPv4 CIDR such as 192.168.10.0/24`);
  }
  const prefix = Number(pfx);
  if (prefix < 8 || prefix > 30) throw invalidArgument(`Invalid subnet "${s}": the prefix length must be between 8 and 30`);
  if (((n & ~maskOf(prefix)) >>> 0) !== 0) throw invalidArgument(`Invalid subnet "${s}": host bits are set (did you mean ${formatIPv4((n & maskOf(prefix)) >>> 0)}/${prefix}?)`);
  return { base: n, prefix };
}

export function formatCidr(c: Cidr): string {
  return `${formatIPv4(c.base)}/${c.prefix}`;
}

export function contains(c: Cidr, ip: number): boolean {
  return ((ip & maskOf(c.prefix)) >>> 0) === c.base;
}

export function overlaps(a: Cidr, b: Cidr): boolean {
  const p = Math.min(a.prefix, b.prefix);
  return ((a.base & maskOf(p)) >>> 0) === ((b.base & maskOf(p)) >>> 0);
}

/** The gateway of a subnet: its first host address. */
export function defaultGateway(c: Cidr): string {
  return formatIPv4(c.base + 1);
}

/** Checks a --gateway against its subnet (inside, not the network or broadcast address). */
export function checkGateway(c: Cidr, gw: string): string {
  const n = parseIPv4(gw);
  if (n === undefined) throw invalidArgument(`Invalid gateway "${gw}"`);
  const bcast = (c.base | ~maskOf(c.prefix)) >>> 0;
  if (!contains(c, n) || n === c.base || n === bcast) throw invalidArgument(`Invalid gateway ${gw}: not match subnet, not a host address of subnet ${formatCidr(c)}`);
  return gw;
}

/**
 * iSulad's pool, in order: 192.168.0.0/24 … 192.168.255.0/24, 172.16.0.0/24 … 172.31.255.0/24,
 * 10.0.0.0/24 … (lazily). The first /24 that overlaps nothing in `used` wins.
 */
export function* candidateSubnets(): Generator<Cidr> {
  for (let i = 0; i < 256; i++) yield { base: ((192 << 24) | (168 << 16) | (i << 8)) >>> 0, prefix: 24 };
  for (let i = 16 * 256; i < 32 * 256; i++) yield { base: ((172 << 24) | (i << 8)) >>> 0, prefix: 24 };
  for (let i = 0; i < 65536; i++) yield { base: ((10 << 24) | (i << 8)) >>> 0, prefix: 24 };
}

export function pickFreeSubnet(used: readonly Cidr[]): Cidr | undefined {
  for (const c of candidateSubnets()) if (!used.some((u) => overlaps(u, c))) return c;
  return undefined;
}

/** IPv4 networks the host uses: routes from /proc/net/route (minus the default) and interface addresses. */
export async function hostSubnets(): Promise<Cidr[]> {
  const out: Cidr[] = [];
  try {
    const text = await readFile('/proc/net/route', 'utf8');
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length < 8) continue;
      const le = (h: string) => Buffer.from(h, 'hex').readUInt32LE(0);
      const dst = le(f[1] as string);
      const mask = le(f[7] as string);
      if (mask === 0) continue; // the default route overlaps everything: not a claim
      const prefix = countBits(mask);
      out.push({ base: (dst & maskOf(prefix)) >>> 0, prefix });
    }
  } catch {
    /* no procfs route table: rely on addresses */
  }
  for (const a of await interfaceAddresses()) out.push(a);
  return out;
}

function countBits(n: number): number {
  let c = 0;
  for (let x = n >>> 0; x; x >>>= 1) c += x & 1;
  return c;
}

function interfaceAddresses(): Promise<Cidr[]> {
  return new Promise((resolve) => {
    execFile('ip', ['-j', '-4', 'addr', 'show'], { encoding: 'utf8', timeout: 10_000 }, (err, stdout) => {
      if (err) return resolve([]);
      try {
        const links = JSON.parse(stdout) as Array<{ addr_info?: Array<{ local?: string; prefixlen?: number }> }>;
        const out: Cidr[] = [];
        for (const l of links) {
          for (const a of l.addr_info ?? []) {
            const n = a.local ? parseIPv4(a.local) : undefined;
            if (n === undefined || a.prefixlen === undefined || a.prefixlen === 32) continue;
            out.push({ base: (n & maskOf(a.prefixlen)) >>> 0, prefix: a.prefixlen });
          }
        }
        resolve(out);
      } catch {
        resolve([]);
      }
    });
  });
}
