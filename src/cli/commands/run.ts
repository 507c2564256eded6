// isula run [OPTIONS] IMAGE [COMMAND] [ARG...]: create, then either start detached (-d, prints
// the id) or start through RemoteStart, which streams the container's output and ends with its
// exit code (trailing metadata `exit_code`, as iSulad). -i forwards stdin to the container, and
// (docker's StdinOnce, -i without -d) the end of our stdin ends the container's stdin.
import { streamExitCode } from '../stream-exit.ts';
import { newMetadata } from '../../api/h2-client.ts';
import { flagBool } from '../flags.ts';
import type { Command, CommandContext } from '../command.ts';
import { RUN_FLAGS } from '../lib/create-flags.ts';
import { createFromContext } from './create.ts';
import { followWindow, resizeErrorReporter } from '../lib/window-size.ts';

/** Streams a container's output to our stdout/stderr; resolves with its exit code. */
export async function streamContainer(ctx: CommandContext, id: string, opts: { start: boolean; stdin: boolean; tty?: boolean }): Promise<number> {
  const c = await ctx.client();
  const md = newMetadata();
  md.set('container-id', id);
  md.set('attach-stdin', String(opts.stdin));
  md.set('attach-stdout', 'true');
  md.set('attach-stderr', 'true');
  // -t on a terminal: raw mode (keys go to the container as typed), the window size up front and
  // on every resize. The daemon sends its initial metadata once the container runs with that first
  // size: a resize before then is sent at that point (a Resize of a container not yet running fails).
  const onTerminal = opts.tty === true && process.stdout.isTTY === true;
  const rawStdin = onTerminal && opts.stdin && process.stdin.isTTY === true;
  const sent = onTerminal ? { rows: process.stdout.rows, cols: process.stdout.columns } : undefined;
  if (sent) {
    md.set('tty-rows', String(sent.rows));
    md.set('tty-cols', String(sent.cols));
  }
  const sizes = onTerminal
    ? followWindow(process.stdout, (s) => c.call('containers', 'Resize', { id, suffix: '', height: s.rows, width: s.cols }), { sent, onError: resizeErrorReporter(ctx) })
    : undefined;
  if (rawStdin) process.stdin.setRawMode(true);
  const call = opts.start ? c.containers.RemoteStart(md) : c.containers.Attach(md);
  // Attach: the container runs already
  if (opts.start) call.once('metadata', () => sizes?.ready());
  else sizes?.ready();
  const signal = ctx.signal;
  const onAbort = () => call.cancel();
  signal.addEventListener('abort', onAbort, { once: true });
  let onStdin: ((b: Buffer) => void) | undefined;
  let onStdinEnd: (() => void) | undefined;
  if (opts.stdin) {
    onStdin = (b: Buffer) => void call.write({ stdin: b });
    onStdinEnd = () => {
      call.write({ finish: true });
      call.end();
    };
    process.stdin.on('data', onStdin);
    process.stdin.once('end', onStdinEnd);
  } else {
    call.end();
  }
  try {
    return await streamExitCode(call, { what: 'stream', toError: (err) => c.toError(err) });
  } finally {
    sizes?.stop();
    if (rawStdin) process.stdin.setRawMode(false);
    signal.removeEventListener('abort', onAbort);
    if (onStdin) process.stdin.removeListener('data', onStdin);
    if (onStdinEnd) process.stdin.removeListener('end', onStdinEnd);
    if (opts.stdin) process.stdin.pause();
  }
}

export const command: Command = {
  name: 'run',
  usage: '[OPTIONS] IMAGE [COMMAND] [ARG...]',
  description: 'Run a command in a new container',
  flags: RUN_FLAGS,
  stopAtFirstArg: true,
  args: { min: 1, max: -1 },
  // 125 for the daemon's refusal; 126/127 when it says the command could not be run (iSulad reads
  // that from the start's message; a create refused with such words is rare and would get them too)
  exitProfile: 'start',
  async run(ctx) {
    const detach = flagBool(ctx.flags, 'detach');
    const id = await createFromContext(ctx, { stdinOnce: !detach });
    if (detach) {
      const c = await ctx.client();
      await c.call('containers', 'Start', { id });
      ctx.out(`${id}\n`);
      return 0;
    }
    return streamContainer(ctx, id, { start: true, stdin: flagBool(ctx.flags, 'interactive'), tty: flagBool(ctx.flags, 'tty') });
  },
};
