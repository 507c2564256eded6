// docker's port syntax as plain data (pure): -p specs, EXPOSE / --expose keys, "80/tcp" keys.
// In util/ because the CLI checks -p itself (exit 125 before any request) and src/network uses it.
import { invalidArgument } from './errors.ts';

export type Protocol = 'tcp' | 'udp' | 'sctp';

/**
 * One -p entry after range expansion; hostPort 0 = the engine picks a free port at start.
 * hostPortEnd: a host range for one container port (`8000-8010:80`): at start the engine takes
 * the first free port of hostPort..hostPortEnd (docker's rule).
 */
export interface PortBinding {
  containerPort: number;
  protocol: Protocol;
  hostIP: string;
  hostPort: number;
  hostPortEnd?: number;
}

function parsePort(s: string, what: string, spec: string): number {
  if (!/^[0-9]+$/.test(s)) throw invalidArgument(`invalid ${what} "${s}" in port spec "${spec}"`);
  const n = Number(s);
  if (n < 1 || n > 65535) throw invalidArgument(`invalid ${what} "${s}" in port spec "${spec}": not in 1-65535`);
  return n;
}

/** "80" | "8000-8010" → [start, end]. */
function parseRange(s: string, what: string, spec: string): [number, number] {
  const i = s.indexOf('-');
  if (i < 0) {
    const p = parsePort(s, what, spec);
    return [p, p];
  }
  const a = parsePort(s.slice(0, i), what, spec);
  const b = parsePort(s.slice(i + 1), what, spec);
  if (b < a) throw invalidArgument(`invalid ${what} range "${s}" in port spec "${spec}"`);
  return [a, b];
}

function parseProto(p: string, spec: string): Protocol {
  const v = p.toLowerCase();
  if (v === 'tcp' || v === 'udp' || v === 'sctp') return v;
  throw invalidArgument(`invalid protocol "${p}" in port spec "${spec}"`);
}

function checkIp(ip: string, spec: string): string {
  const v4 = /^(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])){3}$/;
  if (ip === '' || v4.test(ip) || /^[0-9a-fA-F:]+$/.test(ip)) return ip;
  throw invalidArgument(`invalid host IP "${ip}" in port spec "${spec}"`);
}

/**
 * docker's -p: [[hostIP:][hostPort[-end]]:]containerPort[-end][/proto]; IPv6 host IPs in brackets.
 * A host range must be as long as the container range (or the container side is one port).
 */
export function parsePortSpec(spec: string): PortBinding[] {
  let rest = spec.trim();
  let proto: Protocol = 'tcp';
  const slash = rest.lastIndexOf('/');
  if (slash >= 0) {
    proto = parseProto(rest.slice(slash + 1), spec);
    rest = rest.slice(0, slash);
  }
  let hostIP = '';
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    if (close < 0 || rest[close + 1] !== ':') throw invalidArgument(`invalid port spec "${spec}"`);
    hostIP = checkIp(rest.slice(1, close), spec);
    rest = rest.slice(close + 2);
    if (!rest.includes(':')) rest = `:${rest}`;
  }
  const parts = rest.split(':');
  let hostPart = '';
  let ctrPart: string;
  if (parts.length === 1) ctrPart = parts[0] as string;
  else if (parts.length === 2) [hostPart, ctrPart] = parts as [string, string];
  else if (parts.length === 3 && !hostIP) {
    hostIP = checkIp(parts[0] as string, spec);
    hostPart = parts[1] as string;
    ctrPart = parts[2] as string;
  } else throw invalidArgument(`invalid port spec "${spec}"`);
  if (ctrPart === '') throw invalidArgument(`no container port in port spec "${spec}"`);
  const [c0, c1] = parseRange(ctrPart, 'container port', spec);
  const out: PortBinding[] = [];
  if (hostPart === '') {
    for (let p = c0; p <= c1; p++) out.push({ containerPort: p, protocol: proto, hostIP, hostPort: 0 });
    return out;
  }
  const [h0, h1] = parseRange(hostPart, 'host port', spec);
  if (c0 === c1 && h1 > h0) {
    // docker: one container port with a host range takes one free port of the range at start
    out.push({ containerPort: c0, protocol: proto, hostIP, hostPort: h0, hostPortEnd: h1 });
    return out;
  }
  if (h1 - h0 !== c1 - c0) throw invalidArgument(`invalid port spec "${spec}": host and container port ranges differ in length`);
  for (let i = 0; i <= c1 - c0; i++) out.push({ containerPort: c0 + i, protocol: proto, hostIP, hostPort: h0 + i });
  return out;
}

/** HostConfig's HostPort: '' (0: picked at start), "8080", or a range "8000-8010" for one container port. */
export function parseHostPort(s: string): { hostPort: number; hostPortEnd?: number } {
  if (s === '') return { hostPort: 0 };
  const [a, b] = parseRange(s, 'host port', s);
  return a === b ? { hostPort: a } : { hostPort: a, hostPortEnd: b };
}

/** The HostPort string of a binding (inverse of parseHostPort). */
export function formatHostPort(b: Pick<PortBinding, 'hostPort' | 'hostPortEnd'>): string {
  if (b.hostPort === 0) return '';
  return b.hostPortEnd !== undefined && b.hostPortEnd > b.hostPort ? `${b.hostPort}-${b.hostPortEnd}` : String(b.hostPort);
}

/** EXPOSE / --expose keys: "80", "80/udp", "8000-8002/tcp" → "port/proto" keys. */
export function parseExposeSpec(spec: string): string[] {
  const [range = '', p = 'tcp'] = spec.split('/');
  const proto = parseProto(p, spec);
  const [a, b] = parseRange(range, 'port', spec);
  const out: string[] = [];
  for (let i = a; i <= b; i++) out.push(`${i}/${proto}`);
  return out;
}

/** "80/tcp" → { port, protocol } (tcp when no protocol is given). */
export function parsePortKey(key: string): { port: number; protocol: Protocol } {
  const [p = '', proto = 'tcp'] = key.split('/');
  return { port: parsePort(p, 'port', key), protocol: parseProto(proto, key) };
}

