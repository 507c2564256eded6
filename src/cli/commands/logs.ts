// isula logs [-f] [--tail N] [-t] CONTAINER: the json-file log, stdout lines to stdout and stderr
// lines to stderr; -t prefixes each line with its RFC 3339 nano timestamp.
import { invalidArgument } from '../../util/errors.ts';
import type { Command } from '../command.ts';
import { flagBool, flagString, parseInteger } from '../flags.ts';

export function parseTail(v: string | undefined): number {
  if (v === undefined || v === 'all') return -1;
  const n = parseInteger(v);
  if (n === undefined || n < 0) throw invalidArgument(`Invalid value "${v}" for flag --tail`);
  return n;
}

export const command: Command = {
  name: 'logs',
  usage: '[OPTIONS] CONTAINER',
  description: 'Fetch the logs of a container',
  flags: [
    { long: 'follow', short: 'f', kind: 'bool', description: 'Follow log output' },
    { long: 'tail', kind: 'string', description: 'Number of lines to show from the end of the logs (default "all")' },
    { long: 'timestamps', short: 't', kind: 'bool', description: 'Show timestamps' },
  ],
  args: { min: 1, max: 1 },
  async run(ctx) {
    const tail = parseTail(flagString(ctx.flags, 'tail'));
    const timestamps = flagBool(ctx.flags, 'timestamps');
    const c = await ctx.client();
    const call = c.containers.Logs({ id: ctx.args[0] as string, follow: flagBool(ctx.flags, 'follow'), tail, timestamps });
    const onAbort = () => call.cancel();
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    try {
      for await (const m of call as AsyncIterable<{ data: Buffer; stream: string; time: string }>) {
        const text = timestamps ? Buffer.concat([Buffer.from(`${m.time} `), m.data]) : m.data;
        if (m.stream === 'stderr') process.stderr.write(text);
        else process.stdout.write(text);
      }
    } catch (err) {
      if (ctx.signal.aborted) return 0;
      throw c.toError(err);
    } finally {
      ctx.signal.removeEventListener('abort', onAbort);
    }
    return 0;
  },
};
