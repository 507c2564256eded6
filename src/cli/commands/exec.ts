// isula exec [OPTIONS] CONTAINER COMMAND [ARG...]: runs a process in a running container through
// RemoteExec (request as JSON metadata `isulad-remote-exec`, stdin up, stdout/stderr down, the
// exit code in the trailers) and exits with the process's code. -d uses the unary Exec instead.
// -t on a terminal: raw mode, the window size up front and on every resize (Resize, suffix = the
// exec id the daemon sends in its initial metadata; a resize before that is sent once the id is
// known: ../lib/window-size.ts). Daemon errors exit 125, like run.
import { streamExitCode } from '../stream-exit.ts';
import type * as grpc from '@grpc/grpc-js';
import { newMetadata } from '../../api/h2-client.ts';
import type { Command, CommandContext } from '../command.ts';
import { flagBool, flagList, flagString } from '../flags.ts';
import { readFileSync } from 'node:fs';
import { invalidArgument, messageOf } from '../../util/errors.ts';
import { parseEnvFile } from '../lib/create-flags.ts';
import type { ReadText } from '../lib/create-flags.ts';
import { followWindow, resizeErrorReporter } from '../lib/window-size.ts';

interface ExecWire {
  container_id: string;
  tty: boolean;
  open_stdin: boolean;
  attach_stdin: boolean;
  attach_stdout: boolean;
  attach_stderr: boolean;
  argv: string[];
  env: string[];
  user: string;
  workdir: string;
  privileged: boolean;
}

/** --env-file, read by the client (iSulad's create reads it the same way): KEY=VALUE lines. */
function envFileLines(file: string, read: ReadText): string[] {
  let text: string;
  try {
    text = read(file);
  } catch (err) {
    throw invalidArgument(`Failed to read env file ${file}: ${messageOf(err)}`);
  }
  return parseEnvFile(text);
}

export function execWireFrom(ctx: Pick<CommandContext, 'flags' | 'args'>, read: ReadText = (p) => readFileSync(p, 'utf8')): ExecWire {
  const [id = '', ...argv] = ctx.args;
  const stdin = flagBool(ctx.flags, 'interactive');
  return {
    container_id: id,
    tty: flagBool(ctx.flags, 'tty'),
    open_stdin: stdin,
    attach_stdin: stdin,
    attach_stdout: true,
    attach_stderr: true,
    argv,
    env: [...flagList(ctx.flags, 'env-file').flatMap((f) => envFileLines(f, read)), ...flagList(ctx.flags, 'env')],
    user: flagString(ctx.flags, 'user') ?? '',
    workdir: flagString(ctx.flags, 'workdir') ?? '',
    privileged: flagBool(ctx.flags, 'privileged'),
  };
}

async function streamExec(ctx: CommandContext, wire: ExecWire): Promise<number> {
  const c = await ctx.client();
  const md = newMetadata();
  md.set('isulad-remote-exec', JSON.stringify(wire));
  const onTerminal = wire.tty && process.stdout.isTTY === true;
  const rawStdin = onTerminal && wire.attach_stdin && process.stdin.isTTY === true;
  const sent = onTerminal ? { rows: process.stdout.rows, cols: process.stdout.columns } : undefined;
  if (sent) {
    md.set('tty-rows', String(sent.rows));
    md.set('tty-cols', String(sent.cols));
  }
  const call = c.containers.RemoteExec(md);
  let execId = '';
  const sizes = onTerminal
    ? followWindow(process.stdout, (s) => c.call('containers', 'Resize', { id: wire.container_id, suffix: execId, height: s.rows, width: s.cols }), { sent, onError: resizeErrorReporter(ctx) })
    : undefined;
  call.on('metadata', (m: grpc.Metadata) => {
    execId = String(m.get('exec-id')[0] ?? '');
    if (execId) sizes?.ready();
  });
  if (rawStdin) process.stdin.setRawMode(true);
  const onAbort = () => call.cancel();
  ctx.signal.addEventListener('abort', onAbort, { once: true });
  const onStdin = (b: Buffer) => void call.write({ cmd: [b] });
  const onStdinEnd = () => {
    call.write({ finish: true });
    call.end();
  };
  if (wire.attach_stdin) {
    process.stdin.on('data', onStdin);
    process.stdin.once('end', onStdinEnd);
  } else call.end();
  try {
    return await streamExitCode(call, { what: 'exec stream', toError: (err) => c.toError(err) });
  } finally {
    sizes?.stop();
    if (rawStdin) process.stdin.setRawMode(false);
    ctx.signal.removeEventListener('abort', onAbort);
    if (wire.attach_stdin) {
      process.stdin.removeListener('data', onStdin);
      process.stdin.removeListener('end', onStdinEnd);
      process.stdin.pause();
    }
  }
}

export const command: Command = {
  name: 'exec',
  usage: '[OPTIONS] CONTAINER COMMAND [ARG...]',
  description: 'Run a command in a running container',
  flags: [
    { long: 'detach', short: 'd', kind: 'bool', description: 'Run command in the background' },
    { long: 'env', short: 'e', kind: 'list', description: 'Set environment variables' },
    { long: 'env-file', kind: 'list', description: 'Read in a line delimited file of environment variables' },
    { long: 'privileged', kind: 'bool', description: 'Give extended privileges to the command' },
    { long: 'interactive', short: 'i', kind: 'bool', description: 'Keep STDIN open even if not attached' },
    { long: 'tty', short: 't', kind: 'bool', description: 'Allocate a pseudo-TTY' },
    { long: 'user', short: 'u', kind: 'string', description: 'Username or UID (format: <name|uid>[:<group|gid>])' },
    { long: 'workdir', short: 'w', kind: 'string', description: 'Working directory inside the container' },
  ],
  stopAtFirstArg: true,
  args: { min: 2, max: -1 },
  // iSulad's exec: 125 for its own argument checks, 1 for whatever the daemon refuses, else the process's code
  async run(ctx) {
    const wire = execWireFrom(ctx);
    if (flagBool(ctx.flags, 'detach')) {
      const c = await ctx.client();
      await c.call('containers', 'Exec', { ...wire, attach_stdin: false, open_stdin: false, stdin: '', stdout: '', stderr: '', suffix: '' });
      return 0;
    }
    return streamExec(ctx, wire);
  },
};
