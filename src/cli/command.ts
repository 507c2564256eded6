// What a CLI command is. One file per command in ./commands/<verb>.ts exporting `command`,
// listed in ./commands-table.ts with a lazy loader. A command gets parsed flags and arguments,
// the global options, output helpers and a lazily connected client; it returns its exit code or
// throws (an EngineError's kind picks the exit code through ./exit-codes.ts).

import type { FlagSpec, ParsedFlags } from './flags.ts';
import type { GlobalOptions } from './global-options.ts';
import type { IsulaClient } from './client.ts';
import type { ExitProfile } from './exit-codes.ts';

export interface Command {
  /** as typed: `version`, `volume ls` */
  name: string;
  /** after `isula <name> `, e.g. `[OPTIONS] CONTAINER [CONTAINER...]` */
  usage: string;
  description: string;
  flags?: readonly FlagSpec[];
  /** the tail is a command line (run, create, exec): stop parsing flags at the first argument */
  stopAtFirstArg?: boolean;
  /** argument count checks with iSulad's messages; max -1 = unlimited */
  args?: { min?: number; max?: number };
  exitProfile?: ExitProfile;
  run(ctx: CommandContext): Promise<number>;
}

export interface CommandContext {
  command: Command;
  flags: ParsedFlags;
  args: string[];
  globals: GlobalOptions;
  out(text: string): void;
  err(text: string): void;
  /** connects on first use; closed by the framework after run() */
  client(): Promise<IsulaClient>;
  /** aborted on Ctrl-C (SIGINT/SIGTERM); installing it replaces Node's default exit on SIGINT */
  readonly signal: AbortSignal;
}
