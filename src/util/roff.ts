// Small roff (man(7) macros) writer for the generated man pages isula(1) and isulad(8). Pure.

import type { FlagSpec } from './flags.ts';

/** Escapes text for roff: backslashes, and a leading dot or quote that would start a request. */
export function roffText(s: string): string {
  return s.replace(/\\/g, '\\e').replace(/-/g, '\\-').replace(/^([.'])/gm, '\\&$1');
}

export interface ManHeader {
  name: string;
  section: number;
  /** e.g. the release date, YYYY-MM-DD */
  date: string;
  source: string;
  manual: string;
}

export function manHeader(h: ManHeader): string {
  const q = (s: string) => `"${s.replace(/"/g, '\\(dq')}"`;
  return `.TH ${h.name.toUpperCase()} ${h.section} ${q(h.date)} ${q(h.source)} ${q(h.manual)}\n`;
}

export function section(title: string): string {
  return `.SH ${title.toUpperCase()}\n`;
}

export function subsection(title: string): string {
  return `.SS ${roffText(title)}\n`;
}

export function paragraph(text: string): string {
  return `.PP\n${roffText(text)}\n`;
}

/** `-n, --name <value>`, bold flag names, italic value placeholder. */
export function flagTerm(f: FlagSpec): string {
  const names = [...(f.short ? [`\\fB\\-${f.short}\\fR`] : []), `\\fB\\-\\-${roffText(f.long)}\\fR`].join(', ');
  if (f.kind === 'bool') return names;
  return `${names} \\fI${roffText(f.metavar ?? (f.kind === 'map' ? 'key=value' : 'value'))}\\fR`;
}

/** One .TP entry per flag, sorted by long name as the help text is. */
export function flagList(flags: readonly FlagSpec[]): string {
  return [...flags]
    .filter((f) => !f.hidden)
    .sort((a, b) => a.long.localeCompare(b.long))
    .map((f) => `.TP\n${flagTerm(f)}\n${roffText(f.description)}${f.kind === 'list' || f.kind === 'map' ? ' (may be repeated)' : ''}\n`)
    .join('');
}

/** A term/definition list (.TP) of plain text pairs. */
export function definitionList(items: ReadonlyArray<[string, string]>): string {
  return items.map(([term, def]) => `.TP\n\\fB${roffText(term)}\\fR\n${roffText(def)}\n`).join('');
}
