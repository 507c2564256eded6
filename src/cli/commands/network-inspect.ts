// isula network inspect [-f FORMAT] NETWORK...: the networks' CNI lists as iSulad prints them (a
// JSON array, 4-space indent, the list's keys first). `-f {{.a.b}}` / `{{json .a.b}}` follow
// iSulad's inspect path rules (an array yields its first element holding the key; strings
// unquoted unless json); any other template goes through the Go-template subset. Like iSulad, the
// first network that cannot be inspected ends the command: what was found so far is printed, then
// "Inspect error, cannot find such network: NAME", exit 1.
import { messageOf } from '../../util/errors.ts';
import type { Command } from '../command.ts';
import { EXIT_COMMON, EXIT_INVALID_ARGS } from '../exit-codes.ts';
import { flagString } from '../flags.ts';
import { isulaJson, parseIsulaFormat, renderIsulaFormat } from '../format/isula-json.ts';
import { parseTemplate } from '../format/template.ts';

export const command: Command = {
  name: 'network inspect',
  usage: '[OPTIONS] NETWORK [NETWORK...]',
  description: 'Inspect networks',
  flags: [{ long: 'format', short: 'f', kind: 'string', description: 'Format the output using the given go template' }],
  args: { min: 0, max: -1 },
  async run(ctx) {
    if (ctx.args.length === 0) {
      ctx.err(`"isula network inspect" requires at least 1 network name\n`);
      return EXIT_INVALID_ARGS;
    }
    const format = flagString(ctx.flags, 'format');
    const simple = format !== undefined ? parseIsulaFormat(format) : undefined;
    const tpl = format !== undefined && !simple ? parseTemplate(format) : undefined;
    const c = await ctx.client();
    const lines: string[] = [];
    const found: unknown[] = [];
    let failed: { name: string; err: unknown } | undefined;
    for (const name of ctx.args) {
      try {
        const v: unknown = JSON.parse((await c.call('networks', 'Inspect', { name })).NetworkJSON);
        if (simple) lines.push(renderIsulaFormat(simple, v));
        else if (tpl) lines.push(tpl.render(v));
        found.push(v);
      } catch (err) {
        failed = { name, err };
        break;
      }
    }
    if (format !== undefined) ctx.out(lines.map((l) => `${l}\n`).join(''));
    else if (found.length > 0 || !failed) ctx.out(`${isulaJson(found, true)}\n`);
    if (!failed) return 0;
    const { err, name } = failed;
    ctx.err(`${err instanceof Error && err.name === 'DaemonError' ? 'Error response from daemon: ' : ''}${messageOf(err)}\n`);
    ctx.err(`Inspect error, cannot find such network: ${name}\n`);
    return EXIT_COMMON;
  },
};
