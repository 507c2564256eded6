// isula network prune [-f]: removes every network no container uses (not the default one) and
// prints their names. Without -f it asks first.
import type { Command } from '../command.ts';
import { flagBool } from '../flags.ts';

const WARNING = 'WARNING! This will remove all custom networks not used by at least one container.\nAre you sure you want to continue? [y/N] ';

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

export const command: Command = {
  name: 'network prune',
  usage: '[OPTIONS]',
  description: 'Remove all unused networks',
  flags: [{ long: 'force', short: 'f', kind: 'bool', description: 'Do not prompt for confirmation' }],
  args: { max: 0 },
  async run(ctx) {
    if (!flagBool(ctx.flags, 'force')) {
      ctx.out(WARNING);
      const answer = (await readAnswer(ctx.signal)).toLowerCase();
      if (answer !== 'y' && answer !== 'yes') return 0;
    }
    const c = await ctx.client();
    const res = await c.call('networks', 'Prune', {});
    for (const name of res.networks ?? []) ctx.out(`${name}\n`);
    return 0;
  },
};
