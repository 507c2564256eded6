// Shared loop of the commands that act on several containers (stop, kill, rm, restart, pause,
// unpause, wait): one RPC per name, the name printed on success, the daemon's message on failure,
// and at the end the exit code of the last failure (iSulad keeps going after an error).
import { messageOf } from '../../util/errors.ts';
import type { CommandContext } from '../command.ts';
import { exitCodeOfError } from '../exit-codes.ts';
import type { ExitProfile } from '../exit-codes.ts';

export async function forEachContainer(
  ctx: CommandContext,
  act: (name: string) => Promise<string | undefined>,
  profile: ExitProfile = 'default',
): Promise<number> {
  let code = 0;
  for (const name of ctx.args) {
    try {
      const line = await act(name);
      if (line !== undefined) ctx.out(`${line}\n`);
    } catch (err) {
      const prefix = err instanceof Error && err.name === 'DaemonError' ? 'Error response from daemon: ' : '';
      ctx.err(`${prefix}${messageOf(err)}\n`);
      code = exitCodeOfError(err, profile);
    }
  }
  return code;
}
