// isula commit [OPTIONS] CONTAINER [REPOSITORY[:TAG]]: the container's changes as a new image;
// prints sha256:<id>. iSulad has no commit: flags and output are docker's (-a, -c, -m, -p, with
// --pause on by default; --pause=false keeps the container running while its layer is read).
import type { Command } from '../command.ts';
import { flagBool, flagList, flagString } from '../flags.ts';
import type { CommitRequest } from '../../api/generated/images/CommitRequest.ts';
import type { CommitResponse__Output } from '../../api/generated/images/CommitResponse.ts';
import { callUnary, connectImages } from '../lib/image-client.ts';

export const command: Command = {
  name: 'commit',
  usage: '[OPTIONS] CONTAINER [REPOSITORY[:TAG]]',
  description: "Create a new image from a container's changes",
  flags: [
    { long: 'author', short: 'a', kind: 'string', description: 'Author (e.g., "John Hannibal Smith <hannibal@a-team.com>")' },
    { long: 'change', short: 'c', kind: 'list', description: 'Apply Dockerfile instruction to the created image' },
    { long: 'message', short: 'm', kind: 'string', description: 'Commit message' },
    { long: 'pause', short: 'p', kind: 'bool', description: 'Pause container during commit (default true)' },
  ],
  args: { min: 1, max: 2 },
  exitProfile: 'image',
  async run(ctx) {
    const pause = ctx.flags.values.has('pause') ? flagBool(ctx.flags, 'pause') : true;
    const req: CommitRequest = {
      container: ctx.args[0] as string,
      repo: ctx.args[1] ?? '',
      author: flagString(ctx.flags, 'author') ?? '',
      message: flagString(ctx.flags, 'message') ?? '',
      changes: flagList(ctx.flags, 'change'),
      no_pause: !pause,
    };
    const conn = await connectImages(ctx);
    try {
      const r = await callUnary<CommitRequest, CommitResponse__Output>(conn, conn.client.Commit, req);
      ctx.out(`sha256:${r.id}\n`);
      return 0;
    } finally {
      conn.close();
    }
  },
};
