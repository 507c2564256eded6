// isula inspect [-f TEMPLATE] [-t SECONDS] NAME...: a JSON array of containers (iSulad's inspect
// fields); a name that is no container is tried as an image (inspect-image.ts, images side).
import { isNotFound, messageOf } from '../../util/errors.ts';
import type { Command } from '../command.ts';
import { exitCodeOfError } from '../exit-codes.ts';
import { flagNumber, flagString } from '../flags.ts';
import { parseTemplate } from '../format/template.ts';
import { inspectImage } from '../lib/inspect-image.ts';

export const command: Command = {
  name: 'inspect',
  usage: '[OPTIONS] CONTAINER|IMAGE [CONTAINER|IMAGE...]',
  description: 'Return low-level information on a container or image',
  flags: [
    { long: 'format', short: 'f', kind: 'string', description: 'Format the output using the given go template' },
    { long: 'time', short: 't', kind: 'int', description: 'Timeout in seconds to wait for the container (default 120)' },
  ],
  args: { min: 1, max: -1 },
  async run(ctx) {
    const format = flagString(ctx.flags, 'format');
    const tpl = format !== undefined ? parseTemplate(format) : undefined;
    const timeoutMs = (flagNumber(ctx.flags, 'time') ?? 120) * 1000;
    const c = await ctx.client();
    const found: unknown[] = [];
    let code = 0;
    for (const name of ctx.args) {
      try {
        const r = await c.call('containers', 'Inspect', { id: name, bformat: false, timeout: timeoutMs / 1000 }, { timeoutMs });
        found.push(JSON.parse(r.ContainerJSON));
      } catch (err) {
        if (isNotFound(err)) {
          const img = await inspectImage(ctx, name, timeoutMs).catch(() => undefined);
          if (img !== undefined) {
            found.push(img);
            continue;
          }
          ctx.err(`Error: No such image or container: ${name}\n`);
        } else {
          ctx.err(`${err instanceof Error && err.name === 'DaemonError' ? 'Error response from daemon: ' : ''}${messageOf(err)}\n`);
        }
        code = exitCodeOfError(err);
      }
    }
    if (tpl) ctx.out(found.map((v) => `${tpl.render(v)}\n`).join(''));
    else if (found.length > 0 || code === 0) ctx.out(`${JSON.stringify(found, null, 4)}\n`);
    return code;
  },
};
