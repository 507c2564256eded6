// How a completion script asks the daemon for names: plain isula commands whose output is one name
// a line. The daemon address the user typed (-H/--host) is passed on by each script.

import type { CliReference, NameKind } from '../reference.ts';

/** The isula arguments (after `isula [-H host]`) and an awk program that prints one name a line. */
export interface NameQuery {
  args: string[];
  awk?: string;
}

export function nameQueries(ref: CliReference): Partial<Record<NameKind, NameQuery>> {
  const has = (name: string) => ref.commands.some((c) => c.name === name);
  const q: Partial<Record<NameKind, NameQuery>> = {};
  if (has('ps')) q.container = { args: ['ps', '-a', '--format', '{{.Names}}'] };
  // `isula images` prints REPOSITORY and TAG columns; untagged images have no name to complete.
  if (has('images')) q.image = { args: ['images'], awk: 'NR>1 && $1!="<none>" { print ($2=="<none>") ? $1 : $1":"$2 }' };
  if (has('volume ls')) q.volume = { args: ['volume', 'ls', '-q'] };
  if (has('network ls')) q.network = { args: ['network', 'ls', '-q'] };
  return q;
}

/** A POSIX-shell word: single-quoted unless plainly safe. */
export function shQuote(s: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}
