// iSulad's own JSON printer and `-f` path lookup, as `isula network inspect` uses them
// (research/isulad.md; facts read from iSulad's inspect_format.c, no code taken):
//   - 4-space indent, `"key": value`, `{}` / `[]` when empty: the same layout as
//     JSON.stringify(v, null, 4);
//   - strings keep their escapes but lose their quotes unless `quote` (iSulad quotes them only for
//     `{{json ...}}`, and for network inspect also not without -f: see docs/networking.md);
//   - a format is one action `{{[json ].a.b.c}}`: each key is looked up in an object, and in an
//     array the first element that has the key (and the rest of the path) wins.

import { notFound } from '../../util/errors.ts';

function quoteString(s: string, quote: boolean): string {
  const q = JSON.stringify(s);
  return quote ? q : q.slice(1, -1);
}

/** The value laid out as iSulad prints it; `quote` false drops the quotes around strings. */
export function isulaJson(v: unknown, quote: boolean, indent = 0): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return quoteString(v, quote);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  const pad = ' '.repeat(indent + 4);
  const end = ' '.repeat(indent);
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    return `[\n${v.map((e) => pad + isulaJson(e, quote, indent + 4)).join(',\n')}\n${end}]`;
  }
  const entries = Object.entries(v as Record<string, unknown>).filter(([, e]) => e !== undefined);
  if (entries.length === 0) return '{}';
  return `{\n${entries.map(([k, e]) => `${pad}${JSON.stringify(k)}: ${isulaJson(e, quote, indent + 4)}`).join(',\n')}\n${end}}`;
}

export interface IsulaFormat {
  path: string[];
  json: boolean;
}

/** `{{.a.b}}` or `{{json .a.b}}` (the only shapes iSulad's inspect -f takes); undefined for anything else. */
export function parseIsulaFormat(src: string): IsulaFormat | undefined {
  const m = /^\s*\{\{\s*(json\s+)?((?:\.\w+)+)\s*\}\}\s*$/.exec(src);
  if (!m) return undefined;
  return { json: m[1] !== undefined, path: (m[2] as string).slice(1).split('.') };
}

function lookup(v: unknown, path: readonly string[]): { found: boolean; value: unknown } {
  if (path.length === 0) return { found: true, value: v };
  const [k, ...rest] = path as [string, ...string[]];
  if (Array.isArray(v)) {
    for (const e of v) {
      if (e === null || typeof e !== 'object' || Array.isArray(e) || !Object.hasOwn(e, k)) continue;
      const r = lookup((e as Record<string, unknown>)[k], rest);
      if (r.found) return r;
    }
    return { found: false, value: undefined };
  }
  if (v === null || typeof v !== 'object' || !Object.hasOwn(v, k)) return { found: false, value: undefined };
  return lookup((v as Record<string, unknown>)[k], rest);
}

/** What iSulad prints for one object and a format (no trailing newline); throws when the path is missing. */
export function renderIsulaFormat(f: IsulaFormat, v: unknown): string {
  const r = lookup(v, f.path);
  const key = f.path.join('.');
  if (!r.found) throw notFound(`Executing "" at <.${key}>: map has no entry for key "${key}"`);
  return isulaJson(r.value, f.json);
}
