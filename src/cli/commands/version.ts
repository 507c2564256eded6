// isula version: the Client and OCI config blocks (local), then the Server block from the
// daemon. iSulad prints the local blocks even when the daemon is down, then the error.

import type { Command } from '../command.ts';
import { buildInfo, OCI_CONFIG } from '../../api/build-info.ts';
import type { VersionResponse__Output } from '../../api/generated/containers/VersionResponse.ts';

export function formatClientBlocks(b: { version: string; gitCommit: string; built: string }): string {
  return (
    `Client:\n  Version:\t${b.version}\n  Git commit:\t${b.gitCommit}\n  Built:\t${b.built}\n\n` +
    `OCI config:\n  Version:\t${OCI_CONFIG.version}\n  Default file:\t${OCI_CONFIG.defaultFile}\n\n`
  );
}

export function formatServerBlock(v: VersionResponse__Output): string {
  return `Server:\n  Version:\t${v.version}\n  Git commit:\t${v.git_commit}\n  Built:\t${v.build_time}\n`;
}

export const command: Command = {
  name: 'version',
  usage: '[OPTIONS]',
  description: 'Display information about isula',
  async run(ctx) {
    ctx.out(formatClientBlocks(buildInfo()));
    const c = await ctx.client();
    const v = await c.call('containers', 'Version', {}, { timeoutMs: 30_000 });
    ctx.out(formatServerBlock(v));
    return 0;
  },
};
