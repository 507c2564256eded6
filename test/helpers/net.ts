// Host-network hygiene for the network suites: names that cannot collide with parallel suites,
// the host's first IPv4 address, and the iptables checks every network suite ends with (nothing
// that mentions our ids left; CNI's shared chains removed again when this suite created them and
// nobody uses them). Only touches rules and chains, never policies or routes.
import { execFileSync, spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { networkInterfaces } from 'node:os';

/** 4 random hex chars: a suite's tag for bridge prefixes, network names and ids. */
export function uniqueTag(): string {
  return randomBytes(2).toString('hex');
}

/** The host's first non-loopback IPv4 address (what "curl to the host IP" means). */
export function hostIPv4(): string | undefined {
  for (const addrs of Object.values(networkInterfaces())) {
    for (const a of addrs ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return undefined;
}

export function iptablesSave(): string {
  return ['nat', 'filter', 'mangle']
    .map((t) => {
      const r = spawnSync('iptables-save', ['-t', t], { encoding: 'utf8' });
      return r.status === 0 ? r.stdout : '';
    })
    .join('\n');
}

function chainsOf(save: string): Map<string, string> {
  const out = new Map<string, string>();
  let table = '';
  for (const l of save.split('\n')) {
    if (l.startsWith('*')) table = l.slice(1);
    const m = /^:(\S+)/.exec(l);
    if (m) out.set(`${table}/${m[1]}`, table);
  }
  return out;
}

/** Rules (lines) that mention any of `needles`. */
export function rulesMentioning(needles: readonly string[], save = iptablesSave()): string[] {
  return save.split('\n').filter((l) => l.startsWith('-A') && needles.some((n) => l.includes(n)));
}

const SHARED = /^(CNI-HOSTPORT-DNAT|CNI-HOSTPORT-SETMARK|CNI-HOSTPORT-MASQ|CNI-FORWARD|CNI-ADMIN)$/;

/**
 * Removes CNI's shared chains that did not exist in `before` and now hold no rule of any
 * container (only jumps to each other), with the jumps into them. Returns chains it left because
 * someone else (a parallel suite) has rules in them.
 */
export function removeSharedChainsCreatedSince(before: string): string[] {
  const had = chainsOf(before);
  const now = iptablesSave();
  const left: string[] = [];
  const candidates = [...chainsOf(now).entries()].filter(([k]) => !had.has(k) && SHARED.test(k.split('/')[1] as string));
  const names = new Set(candidates.map(([k]) => k.split('/')[1] as string));
  for (const [key, table] of candidates) {
    const chain = key.split('/')[1] as string;
    const own = now.split('\n').filter((l) => l.startsWith(`-A ${chain} `));
    // the chains' own fixed rules jump to each other, MARK or MASQUERADE; anything else is a container's
    const foreign = own.filter((l) => {
      const j = / -j (\S+)/.exec(l)?.[1];
      return !(j !== undefined && (names.has(j) || j === 'MARK' || j === 'MASQUERADE'));
    });
    if (foreign.length > 0) left.push(`${table}/${chain}`);
  }
  if (left.length > 0) return left;
  for (const [key, table] of candidates) {
    const chain = key.split('/')[1] as string;
    const rules = spawnSync('iptables', ['-t', table, '-S'], { encoding: 'utf8' }).stdout ?? '';
    for (const l of rules.split('\n')) {
      if (!l.startsWith('-A ') || !l.endsWith(`-j ${chain}`)) continue;
      spawnSync('iptables', ['-t', table, '-D', ...shellWords(l.slice(3))], { stdio: 'ignore' });
    }
  }
  for (const [key, table] of candidates) spawnSync('iptables', ['-t', table, '-F', key.split('/')[1] as string], { stdio: 'ignore' });
  for (const [key, table] of candidates) spawnSync('iptables', ['-t', table, '-X', key.split('/')[1] as string], { stdio: 'ignore' });
  return [];
}

export function linkExists(name: string): boolean {
  return spawnSync('ip', ['link', 'show', name], { stdio: 'ignore' }).status === 0;
}

export function deleteLink(name: string): void {
  spawnSync('ip', ['link', 'del', name], { stdio: 'ignore' });
}

/** Interfaces enslaved to a bridge (veths left behind would show here). */
export function bridgePorts(bridge: string): string[] {
  const out = execFileSync('ip', ['-o', 'link', 'show', 'master', bridge], { encoding: 'utf8' });
  return out.split('\n').filter(Boolean);
}

export function ipForward(): string {
  return execFileSync('sysctl', ['-n', 'net.ipv4.ip_forward'], { encoding: 'utf8' }).trim();
}

/** Puts ip_forward back to what it was (the bridge plugin turns it on for gateways). */
export function restoreIpForward(v: string): void {
  spawnSync('sysctl', ['-q', '-w', `net.ipv4.ip_forward=${v}`], { stdio: 'ignore' });
}

/** Splits an `iptables -S` rule into arguments ("double quoted" words kept whole). */
export function shellWords(s: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|(\S+)/g;
  for (let m = re.exec(s); m; m = re.exec(s)) out.push(m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : (m[2] as string));
  return out;
}

/**
 * A network namespace of the suite's own, pinned at /run/isula-test-<what>-<tag> with lo up: a
 * daemon started in it (StartOptions.netns) keeps its bridges, iptables rules, routes and sysctls
 * there, away from the host's. removeTestNetns unpins it, which frees everything inside.
 */
export function makeTestNetns(what: string): string {
  const path = `/run/isula-test-${what}-${uniqueTag()}${uniqueTag()}`;
  writeFileSync(path, '');
  const r = spawnSync('unshare', [`--net=${path}`, 'true'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`unshare --net=${path}: ${r.stderr}`);
  inTestNetns(path, ['ip', 'link', 'set', 'lo', 'up']);
  return path;
}

export function removeTestNetns(path: string): void {
  spawnSync('umount', [path], { stdio: 'ignore' });
  rmSync(path, { force: true });
}

/** Runs a command in a test netns; throws with its stderr when it fails. */
export function inTestNetns(path: string, args: string[]): string {
  const r = spawnSync('nsenter', [`--net=${path}`, ...args], { encoding: 'utf8', timeout: 30_000 });
  if (r.status !== 0) throw new Error(`${args.join(' ')} in ${path}: ${r.stderr}`);
  return r.stdout;
}
