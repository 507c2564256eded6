// The Go-template subset isula understands in `ps --format` and `inspect -f`:
//   {{.A.B}}        a field (nested); a missing one prints "<no value>"
//   {{json .A}}     the value as JSON
//   {{.}}           the whole object
//   table <tmpl>    a header row (from the caller's header names) and tab-aligned columns
// The literal sequences \t and \n typed on a shell line become a tab and a newline.
// Anything else inside {{ }} is refused as invalid-argument, with the offending action named.

import { invalidArgument } from '../../util/errors.ts';
import { formatTable } from './table.ts';

type Part = { kind: 'text'; text: string } | { kind: 'field'; path: string[]; json: boolean; source: string };

export interface Template {
  readonly table: boolean;
  /** one rendered row (no trailing newline added) */
  render(value: unknown): string;
  /** a `table` row's cells (render's output cut at tabs), undefined when a value holds a tab */
  cells(value: unknown): string[] | undefined;
  /** the header row: each field replaced by headers[path] (or the path itself) */
  header(headers: Readonly<Record<string, string>>): string;
}

export function parseTemplate(src: string): Template {
  let body = src;
  let table = false;
  const t = /^\s*table(\s+|$)/.exec(body);
  if (t) {
    table = true;
    body = body.slice(t[0].length);
  }
  body = body.replace(/\\t/g, '\t').replace(/\\n/g, '\n');
  const parts: Part[] = [];
  let pos = 0;
  while (pos < body.length) {
    const open = body.indexOf('{{', pos);
    if (open < 0) {
      parts.push({ kind: 'text', text: body.slice(pos) });
      break;
    }
    if (open > pos) parts.push({ kind: 'text', text: body.slice(pos, open) });
    const close = body.indexOf('}}', open + 2);
    if (close < 0) throw invalidArgument(`template: unclosed action in "${src}"`);
    parts.push(parseAction(body.slice(open + 2, close)));
    pos = close + 2;
  }
  // a table template's cells: its parts cut at the tabs of its text, so rows are rendered as
  // cells without joining them with tabs and splitting them again
  const cells: Part[][] = [[]];
  for (const p of parts) {
    if (p.kind !== 'text') {
      (cells[cells.length - 1] as Part[]).push(p);
      continue;
    }
    p.text.split('\t').forEach((t, i) => {
      if (i > 0) cells.push([]);
      if (t !== '') (cells[cells.length - 1] as Part[]).push({ kind: 'text', text: t });
    });
  }
  return {
    table,
    cells: (value) => {
      const out = new Array<string>(cells.length);
      for (let i = 0; i < cells.length; i++) {
        let cell = '';
        for (const p of cells[i] as Part[]) {
          if (p.kind === 'text') cell += p.text;
          else {
            const v = renderField(p, value);
            if (v.includes('\t')) return undefined; // a value with a tab makes more cells
            cell += v;
          }
        }
        out[i] = cell;
      }
      return out;
    },
    render: (value) => {
      let out = '';
      for (const p of parts) out += p.kind === 'text' ? p.text : renderField(p, value);
      return out;
    },
    header: (headers) =>
      parts.map((p) => (p.kind === 'text' ? p.text : headers[p.path.join('.')] ?? p.path.join('.').toUpperCase())).join(''),
  };
}

function parseAction(raw: string): Part {
  const a = raw.trim().replace(/^-\s*/, '').replace(/\s*-$/, '');
  let json = false;
  let expr = a;
  const m = /^json\s+(.*)$/.exec(a);
  if (m) {
    json = true;
    expr = (m[1] ?? '').trim();
  }
  if (expr === '.') return { kind: 'field', path: [], json, source: raw };
  if (!/^(\.[A-Za-z_][A-Za-z0-9_]*)+$/.test(expr)) throw invalidArgument(`template: unsupported action "{{${raw}}}"`);
  return { kind: 'field', path: expr.slice(1).split('.'), json, source: raw };
}

const MISSING = Symbol('missing');

/** The value at path, or MISSING. */
function lookup(value: unknown, path: readonly string[]): unknown {
  let v: unknown = value;
  for (const k of path) {
    if (v === null || typeof v !== 'object' || !Object.hasOwn(v, k)) return MISSING;
    v = (v as Record<string, unknown>)[k];
  }
  return v;
}

function renderField(p: Extract<Part, { kind: 'field' }>, value: unknown): string {
  const v = lookup(value, p.path);
  if (p.json) return JSON.stringify(v === MISSING ? null : v ?? null);
  if (typeof v === 'string') return v;
  if (v === MISSING) return '<no value>';
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** Renders rows with a template; `table` templates get a header and aligned columns. */
export function renderTemplate(tpl: Template, rows: readonly unknown[], headers: Readonly<Record<string, string>> = {}): string {
  if (!tpl.table) return rows.map((r) => `${tpl.render(r)}\n`).join('');
  const table: string[][] = [tpl.header(headers).split('\t')];
  for (const r of rows) table.push(tpl.cells(r) ?? tpl.render(r).split('\t'));
  return formatTable(undefined, table);
}
