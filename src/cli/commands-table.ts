// The command table: name → description + lazy loader (T11). Only the chosen command's module
// is evaluated, so `isula version` never loads daemon, service, tar or cbor code. To add a
// command: write ./commands/<verb>.ts exporting `command: Command` and add ONE row here (keep
// rows sorted). Management commands (`isula volume ls`) go in MANAGEMENT_COMMANDS.

import type { Command } from './command.ts';

export interface CommandEntry {
  description: string;
  load: () => Promise<Command>;
}

export interface CommandGroup {
  description: string;
  subcommands: Record<string, CommandEntry>;
}

export const COMMANDS: Record<string, CommandEntry> = {
  info: { description: 'Display system-wide information', load: () => import('./commands/info.ts').then((m) => m.command) },
  version: { description: 'Display information about isula', load: () => import('./commands/version.ts').then((m) => m.command) },
};

export const MANAGEMENT_COMMANDS: Record<string, CommandGroup> = {};
