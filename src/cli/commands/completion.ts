// isula completion bash|zsh|fish: prints a completion script generated from the command table and
// the commands' own flag tables (../reference.ts), so a new flag is completed without more work.

import type { Command } from '../command.ts';
import { invalidArgument } from '../../util/errors.ts';
import { loadCliReference, type CliReference } from '../reference.ts';
import { bashCompletion } from '../completion/bash.ts';
import { fishCompletion } from '../completion/fish.ts';
import { zshCompletion } from '../completion/zsh.ts';

export const SHELLS: Record<string, (ref: CliReference) => string> = {
  bash: bashCompletion,
  zsh: zshCompletion,
  fish: fishCompletion,
};

export const command: Command = {
  name: 'completion',
  usage: 'bash|zsh|fish',
  description: 'Output a shell completion script',
  args: { min: 1, max: 1 },
  async run(ctx) {
    const shell = ctx.args[0] ?? '';
    const gen = Object.hasOwn(SHELLS, shell) ? SHELLS[shell] : undefined;
    if (!gen) throw invalidArgument(`unsupported shell "${shell}": choose bash, zsh or fish`);
    ctx.out(gen(await loadCliReference()));
    return 0;
  },
};
