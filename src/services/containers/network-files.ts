// The files a container sees as /etc/hostname, /etc/hosts and /etc/resolv.conf: generated in the
// container's dir and bind-mounted (pure content builders, plus their writer).
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { invalidArgument } from '../../util/errors.ts';

export interface NetworkFileInput {
  hostname: string;
  /** the container's IPv4 on its network ('' for none/host/until start) */
  ip: string;
  /** its global IPv6 on a dual-stack network ('' when none) */
  ip6?: string;
  /** the addresses it has on its other networks (`--net a,b`: b's IPv4 and IPv6), in order */
  otherIps?: readonly string[];
  /** --add-host host:ip */
  extraHosts: readonly string[];
  dns: readonly string[];
  dnsSearch: readonly string[];
  dnsOptions: readonly string[];
}

/** --add-host "name:ip" (docker allows "name=ip" too) → [name, ip]. */
export function parseExtraHost(s: string): [string, string] {
  const i = s.search(/[:=]/);
  const name = i < 0 ? '' : s.slice(0, i);
  const ip = i < 0 ? '' : s.slice(i + 1);
  if (!name || !ip || !/^[a-zA-Z0-9]([a-zA-Z0-9.-]*[a-zA-Z0-9])?$/.test(name) || !/^[0-9a-fA-F.:]+$/.test(ip)) {
    throw invalidArgument(`invalid argument "${s}" for --add-host: want HOST:IP`);
  }
  return [name, ip];
}

export function hostsContent(i: NetworkFileInput): string {
  const lines = [
    '127.0.0.1\tlocalhost',
    '::1\tlocalhost ip6-localhost ip6-loopback',
    'fe00::0\tip6-localnet',
    'ff00::0\tip6-mcastprefix',
    'ff02::1\tip6-allnodes',
    'ff02::2\tip6-allrouters',
  ];
  for (const h of i.extraHosts) {
    const [name, ip] = parseExtraHost(h);
    lines.push(`${ip}\t${name}`);
  }
  if (i.ip && i.hostname) lines.push(`${i.ip}\t${i.hostname}`);
  if (i.ip6 && i.hostname) lines.push(`${i.ip6}\t${i.hostname}`);
  // iSulad writes one line per network of the container, each naming it
  if (i.hostname) for (const ip of i.otherIps ?? []) lines.push(`${ip}\t${i.hostname}`);
  return `${lines.join('\n')}\n`;
}

const LOOPBACK_NS = /^\s*nameserver\s+(127\.\S*|::1|0\.0\.0\.0)\s*$/;

/**
 * The host's resolv.conf without loopback resolvers (unreachable from a container's netns), with
 * --dns/--dns-search/--dns-opt replacing the matching lines. No nameserver left: Google's, as docker.
 */
export function resolvConfContent(host: string, i: Pick<NetworkFileInput, 'dns' | 'dnsSearch' | 'dnsOptions'>, keepLoopback = false): string {
  const lines = host.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#') && !l.startsWith(';'));
  let ns = lines.filter((l) => /^nameserver\s/.test(l) && (keepLoopback || !LOOPBACK_NS.test(l)));
  let search = lines.filter((l) => /^(search|domain)\s/.test(l));
  let opts = lines.filter((l) => /^options\s/.test(l));
  if (i.dns.length > 0) ns = i.dns.map((d) => `nameserver ${d}`);
  if (i.dnsSearch.length > 0) search = i.dnsSearch.length === 1 && i.dnsSearch[0] === '.' ? [] : [`search ${i.dnsSearch.join(' ')}`];
  if (i.dnsOptions.length > 0) opts = [`options ${i.dnsOptions.join(' ')}`];
  if (ns.length === 0 && !keepLoopback) ns = ['nameserver 8.8.8.8', 'nameserver 8.8.4.4'];
  return `${[...search, ...ns, ...opts].join('\n')}\n`;
}

export interface NetworkFilePaths {
  hostname: string;
  hosts: string;
  resolvConf: string;
}

export function networkFilePaths(containerDir: string): NetworkFilePaths {
  return { hostname: join(containerDir, 'hostname'), hosts: join(containerDir, 'hosts'), resolvConf: join(containerDir, 'resolv.conf') };
}

/**
 * Writes the three files (in place: they are bind-mounted, a rename would leave the container on
 * the old inode). Host network: the host's /etc/hosts plus --add-host, and its resolv.conf as is.
 */
export async function writeNetworkFiles(p: NetworkFilePaths, i: NetworkFileInput, hostNetwork: boolean): Promise<void> {
  const hostResolv = await readFile('/etc/resolv.conf', 'utf8').catch(() => '');
  let hosts = hostsContent(i);
  if (hostNetwork) {
    const base = await readFile('/etc/hosts', 'utf8').catch(() => '127.0.0.1\tlocalhost\n');
    hosts = base.endsWith('\n') ? base : `${base}\n`;
    for (const h of i.extraHosts) {
      const [name, ip] = parseExtraHost(h);
      hosts += `${ip}\t${name}\n`;
    }
  }
  await writeFile(p.hostname, `${i.hostname}\n`, { mode: 0o644 });
  await writeFile(p.hosts, hosts, { mode: 0o644 });
  await writeFile(p.resolvConf, resolvConfContent(hostResolv, i, hostNetwork), { mode: 0o644 });
}
