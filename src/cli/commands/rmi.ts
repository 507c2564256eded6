// isula rmi [-f] IMAGE...: prints `Image "<name>" removed`; exit 2 when an image is in use (or
// needs -f), 20 when it does not exist (research/isulad.md §2.1). Keeps going past a failure.
import type { Command } from '../command.ts';
import { flagBool } from '../flags.ts';
import { exitCodeOf } from '../exit-codes.ts';
import { kindOf, messageOf } from '../../util/errors.ts';
import { callUnary, connectImages } from '../lib/image-client.ts';

export const command: Command = {
  name: 'rmi',
  usage: '[OPTIONS] IMAGE [IMAGE...]',
  description: 'Remove one or more images',
  flags: [{ long: 'force', short: 'f', kind: 'bool', description: 'Force removal of the image' }],
  args: { min: 1, max: -1 },
  exitProfile: 'image',
  async run(ctx) {
    const conn = await connectImages(ctx);
    let code = 0;
    try {
      for (const name of ctx.args) {
        try {
          await callUnary(conn, conn.client.Delete, { name, force: flagBool(ctx.flags, 'force') });
          ctx.out(`Image "${name}" removed\n`);
        } catch (err) {
          ctx.err(`${err instanceof Error && err.name === 'DaemonError' ? 'Error response from daemon: ' : ''}${messageOf(err)}\n`);
          code = exitCodeOf(kindOf(err), 'image');
        }
      }
    } finally {
      conn.close();
    }
    return code;
  },
};
