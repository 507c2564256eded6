// CNI results: normalize what a plugin printed (spec 0.3.0–1.0.0) to one shape, and read from it
// the container-facing address, prefix, gateway and MAC that inspect and CRI report.
import { internal } from '../util/errors.ts';
import type { Attachment, CniIp, CniResult } from './types.ts';

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** Parses a plugin's stdout (an ADD result). Unknown keys are dropped; `version` on ips is too. */
export function parseResult(text: string, plugin = 'plugin'): CniResult {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw internal(`CNI plugin ${plugin} printed a result that is not JSON: ${text.slice(0, 200)}`);
  }
  return normalizeResult(v, plugin);
}

export function normalizeResult(v: unknown, plugin = 'plugin'): CniResult {
  if (!isObject(v)) throw internal(`CNI plugin ${plugin} printed a result that is not an object`);
  const interfaces = Array.isArray(v['interfaces'])
    ? v['interfaces'].filter(isObject).map((i) => ({
        name: str(i['name']) ?? '',
        ...(str(i['mac']) !== undefined ? { mac: str(i['mac']) as string } : {}),
        ...(str(i['sandbox']) !== undefined ? { sandbox: str(i['sandbox']) as string } : {}),
      }))
    : [];
  const ips: CniIp[] = Array.isArray(v['ips'])
    ? v['ips'].filter(isObject).flatMap((i) => {
        const address = str(i['address']);
        if (!address) return [];
        const ip: CniIp = { address };
        const gw = str(i['gateway']);
        if (gw) ip.gateway = gw;
        if (typeof i['interface'] === 'number') ip.interface = i['interface'];
        return [ip];
      })
    : [];
  const routes = Array.isArray(v['routes'])
    ? v['routes'].filter(isObject).flatMap((r) => {
        const dst = str(r['dst']);
        if (!dst) return [];
        const gw = str(r['gw']);
        return [gw ? { dst, gw } : { dst }];
      })
    : [];
  const d = isObject(v['dns']) ? v['dns'] : {};
  const list = (x: unknown): string[] | undefined => (Array.isArray(x) ? x.filter((s): s is string => typeof s === 'string') : undefined);
  const dns: CniResult['dns'] = {};
  if (list(d['nameservers'])) dns.nameservers = list(d['nameservers']) as string[];
  if (str(d['domain'])) dns.domain = str(d['domain']) as string;
  if (list(d['search'])) dns.search = list(d['search']) as string[];
  if (list(d['options'])) dns.options = list(d['options']) as string[];
  return { cniVersion: str(v['cniVersion']) ?? '', interfaces, ips, routes, dns };
}

/**
 * The result as a plugin of `cniVersion` expects it in prevResult: 0.3.x and 0.4.0 carry
 * `version` on each ip, 1.0.0 does not.
 */
export function resultForVersion(r: CniResult, cniVersion: string): Record<string, unknown> {
  const old = cniVersion.startsWith('0.');
  return {
    cniVersion,
    interfaces: r.interfaces,
    ips: r.ips.map((ip) => (old ? { version: ip.address.includes(':') ? '6' : '4', ...ip } : ip)),
    routes: r.routes,
    dns: r.dns,
  };
}

/** What the container got on `ifName`: its addresses (CIDR), first IPv4 and first global IPv6 (address, prefix, gateway), MAC. */
export function attachmentFromResult(network: string, ifName: string, r: CniResult): Attachment {
  const idx = r.interfaces.findIndex((i) => i.name === ifName && i.sandbox !== undefined);
  const mine = r.ips.filter((ip) => idx < 0 || ip.interface === undefined || ip.interface === idx);
  const v4 = mine.find((ip) => !ip.address.includes(':'));
  const v6 = mine.find((ip) => ip.address.includes(':') && !/^fe[89ab]/i.test(ip.address));
  const [addr = '', prefix = '0'] = (v4?.address ?? '').split('/');
  const [addr6 = '', prefix6 = '0'] = (v6?.address ?? '').split('/');
  return {
    network,
    ifName,
    ips: mine.map((ip) => ip.address),
    ip: addr,
    prefixLen: v4 ? Number(prefix) : 0,
    gateway: v4?.gateway ?? '',
    ip6: addr6,
    prefixLen6: v6 ? Number(prefix6) : 0,
    gateway6: v6?.gateway ?? '',
    mac: idx >= 0 ? (r.interfaces[idx]?.mac ?? '') : '',
    result: r,
  };
}
