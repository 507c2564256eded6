// isula tag SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]
import type { Command } from '../command.ts';
import { callUnary, connectImages } from '../lib/image-client.ts';

export const command: Command = {
  name: 'tag',
  usage: 'SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]',
  description: 'Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE',
  args: { min: 2, max: 2 },
  exitProfile: 'image',
  async run(ctx) {
    const conn = await connectImages(ctx);
    try {
      await callUnary(conn, conn.client.Tag, { src_name: ctx.args[0] as string, dest_name: ctx.args[1] as string });
      return 0;
    } finally {
      conn.close();
    }
  },
};
