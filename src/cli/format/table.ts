// Aligned text columns as isula prints its listings (ps, images, volume ls): every column as
// wide as its widest cell, columns separated by at least three spaces, the last one unpadded,
// no trailing spaces. Widths count characters, not bytes.

export interface TableOptions {
  /** spaces between columns (default 3) */
  gap?: number;
}

const SURROGATE = /[\uD800-\uDFFF]/;

/**
 * Characters (code points) in s. Its UTF-16 length unless it holds a surrogate: spreading every
 * cell into an array of characters was most of `ps -a`'s table time with 1000 containers.
 */
export function charCount(s: string): number {
  return SURROGATE.test(s) ? [...s].length : s.length;
}

export function formatTable(headers: readonly string[] | undefined, rows: readonly (readonly string[])[], opts: TableOptions = {}): string {
  const gap = opts.gap ?? 3;
  const all = headers ? [headers, ...rows] : rows;
  if (all.length === 0) return '';
  const counts: number[][] = [];
  const widths: number[] = [];
  for (const r of all) {
    const c = new Array<number>(r.length);
    for (let i = 0; i < r.length; i++) {
      const n = charCount(r[i] ?? '');
      c[i] = n;
      const w = widths[i];
      if (w === undefined || n > w) widths[i] = n;
    }
    counts.push(c);
  }
  const lines: string[] = new Array<string>(all.length);
  for (let j = 0; j < all.length; j++) {
    const r = all[j] as readonly string[];
    const c = counts[j] as number[];
    let line = '';
    for (let i = 0; i < r.length; i++) {
      const cell = r[i] ?? '';
      line += i === r.length - 1 ? cell : cell + ' '.repeat((widths[i] as number) - (c[i] as number) + gap);
    }
    lines[j] = line.trimEnd();
  }
  return `${lines.join('\n')}\n`;
}

/** Cells of tab-separated lines (a rendered `table` template), aligned like formatTable. */
export function alignTabbed(lines: readonly string[], opts: TableOptions = {}): string {
  return formatTable(undefined, lines.map((l) => l.split('\t')), opts);
}
