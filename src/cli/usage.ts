// Help texts in iSulad's layout: the top-level command list and per-command usage.

import { formatOptions, type FlagSpec } from './flags.ts';
import type { Command } from './command.ts';
import type { CommandEntry, CommandGroup } from './commands-table.ts';
import { GLOBAL_FLAGS } from './global-options.ts';

function list(entries: Record<string, { description: string }>): string {
  const names = Object.keys(entries).sort();
  const width = Math.max(0, ...names.map((n) => n.length)) + 3;
  return names.map((n) => `  ${n.padEnd(width)}${entries[n]?.description ?? ''}\n`).join('');
}

export function topUsage(prog: string, commands: Record<string, CommandEntry>, groups: Record<string, CommandGroup>): string {
  let s = `USAGE:\n\t${prog} <command> [args...]\n\nCOMMANDS:\n${list(commands)}`;
  if (Object.keys(groups).length > 0) s += `\nMANAGEMENT COMMANDS:\n${list(groups)}`;
  s += `\nOPTIONS:\n${formatOptions([...GLOBAL_FLAGS, versionFlag, helpFlag])}`;
  return s;
}

export function groupUsage(prog: string, name: string, group: CommandGroup): string {
  return `\nUsage:  ${prog} ${name} COMMAND\n\n${group.description}\n\nCommands:\n${list(group.subcommands)}\n`;
}

const helpFlag: FlagSpec = { long: 'help', kind: 'bool', description: 'Print usage' };
const versionFlag: FlagSpec = { long: 'version', kind: 'bool', description: 'Print version information and quit' };

export function commandUsage(prog: string, c: Command): string {
  const flags = [...(c.flags ?? []), ...GLOBAL_FLAGS, helpFlag];
  return `\nUsage:  ${prog} ${c.name} ${c.usage}\n\n${c.description}\n\n${formatOptions(flags)}\n`;
}
