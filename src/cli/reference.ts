// The CLI's own reference, read from the command table: every command (management subcommands
// as `volume ls`) with its usage, description and flag table, plus the global flags. Shell
// completion (./completion/) and the isula(1) man page (./man.ts) are generated from it, so the
// flags are written down once, in the commands themselves. Loading it evaluates every command
// module: only `isula completion` and the package build do that, never a normal command.

import type { FlagSpec } from './flags.ts';
import { COMMANDS, MANAGEMENT_COMMANDS } from './commands-table.ts';
import { GLOBAL_FLAGS } from './global-options.ts';

/** What a positional argument names, for completion from the daemon. */
export type NameKind = 'container' | 'image' | 'volume' | 'network';

export interface CommandRef {
  /** `run`, or `volume ls` */
  name: string;
  /** the management group (`volume`) when this is one of its subcommands */
  group?: string;
  usage: string;
  description: string;
  /** the command's flags, without the global ones and without hidden flags */
  flags: readonly FlagSpec[];
  /** the tail is a command line (run, create, exec): nothing after the first argument is ours */
  stopAtFirstArg: boolean;
  /** what the first positional argument names, and what the following ones name */
  firstArg: NameKind[];
  restArgs: NameKind[];
}

export interface GroupRef {
  name: string;
  description: string;
  subcommands: string[];
}

export interface CliReference {
  commands: CommandRef[];
  groups: GroupRef[];
  globalFlags: readonly FlagSpec[];
}

const KIND_WORDS: ReadonlyArray<[RegExp, NameKind]> = [
  [/CONTAINER/, 'container'],
  [/IMAGE/, 'image'],
  [/VOLUME/, 'volume'],
  [/NETWORK/, 'network'],
];

function kindsOf(token: string | undefined): NameKind[] {
  if (token === undefined) return [];
  return KIND_WORDS.filter(([re]) => re.test(token)).map(([, k]) => k);
}

/**
 * The name kinds of a command's positional arguments, read from its usage line:
 * `[OPTIONS] CONTAINER [CONTAINER...]` → containers throughout; `[OPTIONS] IMAGE [COMMAND]` → an
 * image first, then nothing; `CONTAINER|IMAGE` → either.
 */
export function argKindsFromUsage(usage: string): { firstArg: NameKind[]; restArgs: NameKind[] } {
  const tokens = usage.split(/\s+/).filter((t) => t !== '' && t !== '[OPTIONS]');
  const first = tokens[0];
  const firstArg = first !== undefined && !first.startsWith('[') ? kindsOf(first) : kindsOf(first?.replace(/^\[|\.*\]$/g, ''));
  const second = tokens[1];
  const repeats = second !== undefined && /^\[.*\.\.\.\]$/.test(second) && kindsOf(second).join() === firstArg.join();
  const optionalRepeat = first !== undefined && /^\[.*\.\.\.\]$/.test(first);
  return { firstArg, restArgs: repeats || optionalRepeat ? firstArg : [] };
}

export async function loadCliReference(): Promise<CliReference> {
  const commands: CommandRef[] = [];
  const rows: Array<[string, string | undefined, (typeof COMMANDS)[string]]> = [];
  for (const [name, entry] of Object.entries(COMMANDS)) rows.push([name, undefined, entry]);
  const groups: GroupRef[] = [];
  for (const [gname, group] of Object.entries(MANAGEMENT_COMMANDS)) {
    groups.push({ name: gname, description: group.description, subcommands: Object.keys(group.subcommands).sort() });
    for (const [sub, entry] of Object.entries(group.subcommands)) rows.push([`${gname} ${sub}`, gname, entry]);
  }
  for (const [name, group, entry] of rows) {
    const c = await entry.load();
    commands.push({
      name,
      group,
      usage: c.usage,
      description: entry.description,
      flags: (c.flags ?? []).filter((f) => !f.hidden),
      stopAtFirstArg: Boolean(c.stopAtFirstArg),
      ...argKindsFromUsage(c.usage),
    });
  }
  commands.sort((a, b) => a.name.localeCompare(b.name));
  groups.sort((a, b) => a.name.localeCompare(b.name));
  return { commands, groups, globalFlags: GLOBAL_FLAGS.filter((f) => !f.hidden) };
}

/** The word a command is typed as: `run`, `ls` (of `volume ls`). */
export function leafName(c: CommandRef): string {
  return c.group ? c.name.slice(c.group.length + 1) : c.name;
}

/** `--name`, `-n`: every spelling of a flag. */
export function flagSpellings(f: FlagSpec): string[] {
  return f.short ? [`--${f.long}`, `-${f.short}`] : [`--${f.long}`];
}
