// CLI face (`isula`): global flags, command lookup in the lazy table, per-command flag parsing,
// running the command and turning its failure into iSulad's message and exit code. Nothing here
// loads grpc: the client module is imported only when a command first asks for a connection.

import { EngineError, messageOf } from '../util/errors.ts';
import type { Command, CommandContext } from './command.ts';
import { COMMANDS, MANAGEMENT_COMMANDS, type CommandEntry } from './commands-table.ts';
import {
  EXIT_COMMAND_NOT_FOUND,
  EXIT_INVALID_ARGS,
  EXIT_OK,
  exitCodeOfError,
} from './exit-codes.ts';
import { flagBool, parseFlags, type ParsedFlags } from './flags.ts';
import { GLOBAL_FLAGS, resolveGlobalOptions } from './global-options.ts';
import { commandUsage, groupUsage, topUsage } from './usage.ts';
import { buildInfo } from '../api/build-info.ts';
import type { IsulaClient } from './client.ts';
import { fdWriter, watchStdio } from './stdio.ts';

export { flushStdio } from './stdio.ts';

const PROG = 'isula';

const TOP_FLAGS = [...GLOBAL_FLAGS, { long: 'version', short: 'v', kind: 'bool', description: 'Print version' } as const];

export async function runCli(argv: string[], io: CliIo = processIo()): Promise<number> {
  let before: ParsedFlags;
  try {
    before = parseFlags(TOP_FLAGS, argv, { stopAtFirstArg: true });
  } catch (err) {
    io.err(`${messageOf(err)}\n`);
    return EXIT_INVALID_ARGS;
  }
  const [name, ...rest] = before.args;
  if (before.help || name === undefined) {
    if (flagBool(before, 'version')) return printVersion(io);
    io.out(topUsage(PROG, COMMANDS, MANAGEMENT_COMMANDS));
    return EXIT_OK;
  }
  if (flagBool(before, 'version')) return printVersion(io);

  let entry: CommandEntry | undefined = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  let tail = rest;
  if (!entry && Object.hasOwn(MANAGEMENT_COMMANDS, name)) {
    const group = MANAGEMENT_COMMANDS[name]!;
    const [sub, ...subRest] = rest;
    if (sub === undefined || sub === '--help') {
      io.out(groupUsage(PROG, name, group));
      return EXIT_OK;
    }
    entry = Object.hasOwn(group.subcommands, sub) ? group.subcommands[sub] : undefined;
    if (!entry) {
      io.err(`${PROG} ${name}: command "${sub}" not found\nSee "${PROG} ${name} --help".\n`);
      return EXIT_COMMAND_NOT_FOUND;
    }
    tail = subRest;
  }
  if (!entry) {
    io.err(`${PROG}: command "${name}" not found\nSee "${PROG} --help".\n`);
    return EXIT_COMMAND_NOT_FOUND;
  }

  const command = await entry.load();
  let parsed: ParsedFlags;
  try {
    parsed = parseFlags([...(command.flags ?? []), ...GLOBAL_FLAGS], tail, { stopAtFirstArg: command.stopAtFirstArg });
    if (!parsed.help) checkArgs(command, parsed.args);
  } catch (err) {
    io.err(`${messageOf(err)}\n`);
    return EXIT_INVALID_ARGS;
  }
  if (parsed.help) {
    io.out(commandUsage(PROG, command));
    return EXIT_OK;
  }
  return runCommand(command, parsed, before, io);
}

function checkArgs(c: Command, args: string[]): void {
  const min = c.args?.min ?? 0;
  const max = c.args?.max ?? 0;
  if (args.length < min) {
    throw new EngineError('invalid-argument', `"${PROG} ${c.name}" requires at least ${min} argument${min === 1 ? '' : 's'}.\nSee '${PROG} ${c.name} --help'.`);
  }
  if (max >= 0 && args.length > max) {
    throw new EngineError('invalid-argument', max === 0
      ? `"${PROG} ${c.name}" requires 0 arguments.\nSee '${PROG} ${c.name} --help'.`
      : `"${PROG} ${c.name}" requires at most ${max} argument${max === 1 ? '' : 's'}.\nSee '${PROG} ${c.name} --help'.`);
  }
}

async function runCommand(command: Command, parsed: ParsedFlags, before: ParsedFlags, io: CliIo): Promise<number> {
  const globals = resolveGlobalOptions(before, parsed, io.env);
  let client: IsulaClient | undefined;
  let abort: AbortController | undefined;
  const onSignal = () => abort?.abort();
  const ctx: CommandContext = {
    command,
    flags: parsed,
    args: parsed.args,
    globals,
    out: io.out,
    err: io.err,
    async client() {
      if (!client) {
        const { connect } = await import('./client.ts');
        client = connect(globals);
      }
      return client;
    },
    get signal() {
      if (!abort) {
        abort = new AbortController();
        process.once('SIGINT', onSignal);
        process.once('SIGTERM', onSignal);
      }
      return abort.signal;
    },
  };
  try {
    return await command.run(ctx);
  } catch (err) {
    reportError(err, io, globals.debug);
    return exitCodeOfError(err, command.exitProfile);
  } finally {
    client?.close();
    if (abort) {
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
    }
  }
}

/** Daemon errors get iSulad's prefix; local ones (bad input, no daemon) are printed as they are. */
function reportError(err: unknown, io: CliIo, debug: boolean): void {
  const name = err instanceof Error ? err.name : '';
  const msg = messageOf(err);
  if (name === 'DaemonError') io.err(`Error response from daemon: ${msg}\n`);
  else io.err(`${msg}\n`);
  if (debug && err instanceof Error && err.stack) io.err(`${err.stack}\n`);
}

function printVersion(io: CliIo): number {
  const b = buildInfo();
  io.out(`Version ${b.version}, commit ${b.gitCommit}\n`);
  return EXIT_OK;
}

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  env: NodeJS.ProcessEnv;
}

function processIo(): CliIo {
  // fd writes, not process.stdout/stderr: making those streams costs every start ~2-3 ms
  // (./stdio.ts; a closed pipe, `isula ps | head -1`, still ends the command quietly).
  watchStdio();
  return { out: fdWriter(1), err: fdWriter(2), env: process.env };
}
