// isula logout SERVER: forgets the stored credentials of SERVER.
import type { Command } from '../command.ts';
import { callUnary, connectImages } from '../lib/image-client.ts';

export const command: Command = {
  name: 'logout',
  usage: 'SERVER',
  description: 'Log out from a Docker registry',
  args: { min: 1, max: 1 },
  async run(ctx) {
    const conn = await connectImages(ctx);
    try {
      await callUnary(conn, conn.client.Logout, { server: ctx.args[0] as string });
      ctx.err('Logout Succeeded\n');
      return 0;
    } finally {
      conn.close();
    }
  },
};
