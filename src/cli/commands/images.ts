// isula images [-q] [-f KEY=VALUE]: iSulad's columns REPOSITORY TAG IMAGE ID CREATED SIZE, one row
// per name (`<none> <none>` when untagged), CREATED as local "YYYY-MM-DD HH:MM:SS", SIZE "%.3f"MB.
import type { Command } from '../command.ts';
import { flagBool, flagList } from '../flags.ts';
import { formatTable } from '../format/table.ts';
import { formatImageSize } from '../format/size.ts';
import type { Image__Output } from '../../api/generated/images/Image.ts';
import type { ListImagesResponse__Output } from '../../api/generated/images/ListImagesResponse.ts';

const pad = (n: number) => String(n).padStart(2, '0');

/** Local time as iSulad prints it. */
export function formatCreated(rfc3339: string): string {
  const d = new Date(rfc3339);
  if (Number.isNaN(d.getTime())) return '-';
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

function splitName(name: string): [string, string] {
  const colon = name.lastIndexOf(':');
  return colon > name.lastIndexOf('/') ? [name.slice(0, colon), name.slice(colon + 1)] : [name, '<none>'];
}

export function formatImages(images: Image__Output[], quiet: boolean): string {
  const sorted = [...images].sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at));
  if (quiet) return [...new Set(sorted.map((i) => i.id.slice(0, 12)))].map((id) => id + '\n').join('');
  const rows: string[][] = [];
  for (const i of sorted) {
    const names = i.repo_tags.length ? i.repo_tags : ['<none>:<none>'];
    for (const n of names) {
      const [repo, tag] = n === '<none>:<none>' ? ['<none>', '<none>'] : splitName(n);
      rows.push([repo, tag, i.id.slice(0, 12), formatCreated(i.created_at), formatImageSize(Number(i.size))]);
    }
  }
  return formatTable(['REPOSITORY', 'TAG', 'IMAGE ID', 'CREATED', 'SIZE'], rows);
}

export const command: Command = {
  name: 'images',
  usage: '[OPTIONS]',
  description: 'List images',
  flags: [
    { long: 'quiet', short: 'q', kind: 'bool', description: 'Only show numeric IDs' },
    { long: 'filter', short: 'f', kind: 'list', description: 'Filter output based on conditions provided' },
  ],
  args: { max: 0 },
  async run(ctx) {
    // loaded here so the formatting above stays importable without the gRPC protos (unit tests)
    const { callUnary, connectImages } = await import('../lib/image-client.ts');
    const conn = await connectImages(ctx);
    try {
      const r = await callUnary<{ filter_args: string[] }, ListImagesResponse__Output>(conn, conn.client.List, { filter_args: flagList(ctx.flags, 'filter') });
      ctx.out(formatImages(r.images, flagBool(ctx.flags, 'quiet')));
      return 0;
    } finally {
      conn.close();
    }
  },
};
