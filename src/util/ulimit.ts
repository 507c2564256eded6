// One parser for `name=soft[:hard]` (isula --ulimit, isulad --default-ulimit) and the resource
// names iSulad accepts. Pure.
import { invalidArgument } from './errors.ts';

export const ULIMIT_NAMES = [
  'as', 'core', 'cpu', 'data', 'fsize', 'locks', 'memlock', 'msgqueue', 'nice',
  'nofile', 'nproc', 'rss', 'rtprio', 'rttime', 'sigpending', 'stack',
] as const;

export interface Ulimit { Name: string; Hard: number; Soft: number }

export const isUlimitName = (name: string): boolean => (ULIMIT_NAMES as readonly string[]).includes(name);

/** `nofile=1024[:2048]` → { Name, Soft, Hard } (hard defaults to soft; -1 is unlimited). */
export function parseUlimit(raw: string): Ulimit {
  const eq = raw.indexOf('=');
  const name = raw.slice(0, eq);
  if (eq <= 0 || !isUlimitName(name)) throw invalidArgument(`Invalid ulimit argument: ${raw}`);
  const parts = raw.slice(eq + 1).split(':');
  if (parts.length > 2 || parts.some((p) => !/^-?\d+$/.test(p))) throw invalidArgument(`Invalid ulimit value: "${raw}"`);
  const soft = Number(parts[0]);
  const hard = parts.length > 1 ? Number(parts[1]) : soft;
  if (soft > hard && hard !== -1) throw invalidArgument(`Ulimit soft limit must be less than or equal to hard limit: ${soft} > ${hard}`);
  return { Name: name, Soft: soft, Hard: hard };
}
