// Asks a yes/no question on stdout and reads the answer from stdin, as the prune commands do
// without -f: only y or yes (any case) counts as yes; end of input or Ctrl-C is no.
import type { CommandContext } from '../command.ts';

/** The first line of stdin ('' at end of input or on abort). */
async function readAnswer(signal: AbortSignal): Promise<string> {
  let buf = '';
  const stdin = process.stdin;
  stdin.setEncoding('utf8');
  try {
    for await (const chunk of stdin.iterator({ destroyOnReturn: false })) {
      if (signal.aborted) break;
      buf += chunk as string;
      if (buf.includes('\n')) break;
    }
  } finally {
    stdin.pause();
  }
  return (buf.split('\n')[0] ?? '').trim();
}

/** Prints the question and resolves true only for a y/yes answer. */
export async function confirm(ctx: Pick<CommandContext, 'out' | 'signal'>, question: string): Promise<boolean> {
  ctx.out(question);
  const answer = (await readAnswer(ctx.signal)).toLowerCase();
  return answer === 'y' || answer === 'yes';
}
