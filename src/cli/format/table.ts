// Aligned text columns as isula prints its listings (ps, images, volume ls): every column as
// wide as its widest cell, columns separated by at least three spaces, the last one unpadded,
// no trailing spaces. Widths count characters, not bytes.

export interface TableOptions {
  /** spaces between columns (default 3) */
  gap?: number;
}

export function formatTable(headers: readonly string[] | undefined, rows: readonly (readonly string[])[], opts: TableOptions = {}): string {
  const gap = opts.gap ?? 3;
  const all = headers ? [headers, ...rows] : [...rows];
  if (all.length === 0) return '';
  const cols = Math.max(...all.map((r) => r.length));
  const widths = new Array<number>(cols).fill(0);
  for (const r of all) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, [...c].length)));
  let out = '';
  for (const r of all) {
    let line = '';
    for (let i = 0; i < r.length; i++) {
      const cell = r[i] ?? '';
      line += i === r.length - 1 ? cell : cell + ' '.repeat((widths[i] ?? 0) - [...cell].length + gap);
    }
    out += line.trimEnd() + '\n';
  }
  return out;
}

/** Cells of tab-separated lines (a rendered `table` template), aligned like formatTable. */
export function alignTabbed(lines: readonly string[], opts: TableOptions = {}): string {
  return formatTable(undefined, lines.map((l) => l.split('\t')), opts);
}
