// One parser for `name=soft[:hard]` (isula --ulimit, isulad --default-ulimit) and the resource
// names iSulad accepts. Pure.
import { invalidArgument } from './errors.ts';

export const ULIMIT_NAMES = [
  'as', 'core', 'cpu', 'data', 'fsize', 'locks', 'memlock', 'msgqueue', 'nice',
  'nofile', 'nproc', 'rss', 'rtprio', 'rttime', 'sigpending', 'stack',
] as const;

export interface Ulimit { Name: string; Hard: number; Soft: number }

export const isUlimitName = (name: string): boolean => (ULIMIT_NAMES as readonly string[]).includes(name);

/**
 * `nofile=1024[:2048]` → { Name, Soft, Hard } (hard defaults to soft; -1 is unlimited). The errors
 * are iSulad's, checked in this order: '=' at an end, not exactly one '=', the type, ':' at an end,
 * more than two values, then each number.
 */
export function parseUlimit(raw: string): Ulimit {
  if (raw === '') throw invalidArgument("ulimit argument can't be empty");
  if (raw.startsWith('=') || raw.endsWith('=')) throw invalidArgument(`Invalid ulimit argument: "${raw}", delimiter '=' can't be the first or the last character`);
  const halves = raw.split('=');
  if (halves.length !== 2) throw invalidArgument(`Invalid ulimit argument: ${raw}`);
  const [name = '', value = ''] = halves;
  if (!isUlimitName(name)) throw invalidArgument(`Invalid ulimit type: ${name}`);
  if (value.startsWith(':') || value.endsWith(':')) throw invalidArgument(`Invalid ulimit value: "${raw}", delimiter ':' can't be the first or the last character`);
  const parts = value.split(':');
  if (parts.length > 2) throw invalidArgument(`Too many limit value arguments - ${value}, can only have up to two, \`soft[:hard]\``);
  const num = (p: string, which: string): number => {
    if (!/^-?\d+$/.test(p) || !Number.isSafeInteger(Number(p))) throw invalidArgument(`Invalid ulimit ${which} value: "${raw}", parse int64 failed: Invalid argument`);
    return Number(p);
  };
  const soft = num(parts[0] ?? '', 'soft');
  const hard = parts.length > 1 ? num(parts[1] ?? '', 'hard') : soft;
  if (soft > hard && hard !== -1) throw invalidArgument(`Ulimit soft limit must be less than or equal to hard limit: ${soft} > ${hard}`);
  return { Name: name, Soft: soft, Hard: hard };
}
