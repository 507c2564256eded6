// isula search [--limit N] [-f KEY=VALUE] [--no-trunc] [--format TEMPLATE] TERM: registry v1
// search (iSulad's flags); the table is NAME, DESCRIPTION, STARS, OFFICIAL, AUTOMATED.
import type { Command } from '../command.ts';
import { flagBool, flagList, flagString } from '../flags.ts';
import { invalidArgument } from '../../util/errors.ts';
import { formatTable } from '../format/table.ts';
import { parseTemplate, renderTemplate } from '../format/template.ts';
import type { SearchResponse__Output } from '../../api/generated/images/SearchResponse.ts';
import { callUnary, connectImages } from '../lib/image-client.ts';

const DESCRIPTION_WIDTH = 45;

export const command: Command = {
  name: 'search',
  usage: '[OPTIONS] TERM',
  description: 'Search the registry for images',
  flags: [
    { long: 'limit', kind: 'string', description: 'Max number of search results (1-100, default 25)' },
    { long: 'filter', short: 'f', kind: 'list', description: 'Filter output based on conditions provided (stars, is-official, is-automated)' },
    { long: 'no-trunc', kind: 'bool', description: "Don't truncate output" },
    { long: 'format', kind: 'string', description: 'Format the output using the given go template' },
  ],
  args: { min: 1, max: 1 },
  async run(ctx) {
    const limitText = flagString(ctx.flags, 'limit') ?? '25';
    const limit = Number(limitText);
    if (!/^\d+$/.test(limitText) || limit < 1 || limit > 100) throw invalidArgument('Invalid value for --limit: must be between 1 and 100');
    const conn = await connectImages(ctx);
    try {
      const res = await callUnary<object, SearchResponse__Output>(conn, conn.client.Search, { search_name: ctx.args[0] as string, limit, filters: flagList(ctx.flags, 'filter') });
      const noTrunc = flagBool(ctx.flags, 'no-trunc');
      const rows = res.search_result.map((r) => ({
        Name: r.name,
        Description: noTrunc || r.description.length <= DESCRIPTION_WIDTH ? r.description : `${r.description.slice(0, DESCRIPTION_WIDTH - 3)}...`,
        StarCount: String(r.star_count),
        IsOfficial: r.is_official ? '[OK]' : '',
        IsAutomated: r.is_automated ? '[OK]' : '',
      }));
      const format = flagString(ctx.flags, 'format');
      if (format) {
        ctx.out(renderTemplate(parseTemplate(format), rows, { Name: 'NAME', Description: 'DESCRIPTION', StarCount: 'STARS', IsOfficial: 'OFFICIAL', IsAutomated: 'AUTOMATED' }));
        return 0;
      }
      ctx.out(formatTable(['NAME', 'DESCRIPTION', 'STARS', 'OFFICIAL', 'AUTOMATED'], rows.map((r) => [r.Name, r.Description, r.StarCount, r.IsOfficial, r.IsAutomated])));
      return 0;
    } finally {
      conn.close();
    }
  },
};
