// isula version: the Client block (local), the Server block from the daemon, then the OCI config
// block, in iSulad's order. iSulad prints the Client block even when the daemon is down, then the
// error (and no OCI config block).

import type { Command } from '../command.ts';
import { buildInfo, OCI_CONFIG } from '../../api/build-info.ts';
import type { VersionResponse__Output } from '../../api/generated/containers/VersionResponse.ts';

export function formatClientBlock(b: { version: string; gitCommit: string; built: string }): string {
  return `Client:\n  Version:\t${b.version}\n  Git commit:\t${b.gitCommit}\n  Built:\t${b.built}\n\n`;
}

export function formatServerBlock(v: VersionResponse__Output): string {
  return `Server:\n  Version:\t${v.version}\n  Git commit:\t${v.git_commit}\n  Built:\t${v.build_time}\n\n`;
}

export function formatOciConfigBlock(): string {
  return `OCI config:\n  Version:\t${OCI_CONFIG.version}\n  Default file:\t${OCI_CONFIG.defaultFile}\n\n`;
}

export const command: Command = {
  name: 'version',
  usage: '[OPTIONS]',
  description: 'Display information about isula',
  async run(ctx) {
    ctx.out(formatClientBlock(buildInfo()));
    const c = await ctx.client();
    const v = await c.call('containers', 'Version', {}, { timeoutMs: 30_000 });
    ctx.out(formatServerBlock(v) + formatOciConfigBlock());
    return 0;
  },
};
