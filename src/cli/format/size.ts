// Byte sizes the way iSulad prints them. Base 1024 throughout.
//   images/info: "%.3f" + GB|MB|KB, or "<n>B" below 1 KB   (e.g. 1.254MB)
//   stats:       "%.2f" + GiB|MiB|KiB, or "<n>B"            (e.g. 12.5MiB → 12.50MiB)

const K = 1024;
const UNITS = [
  [K ** 3, 'GB', 'GiB'],
  [K ** 2, 'MB', 'MiB'],
  [K, 'KB', 'KiB'],
] as const;

function pick(bytes: number): readonly [number, string, string] | undefined {
  for (const u of UNITS) if (bytes >= u[0]) return u;
  return undefined;
}

/** `isula images` SIZE column and similar: 3 decimals, GB/MB/KB. */
export function formatImageSize(bytes: number): string {
  const u = pick(bytes);
  return u ? `${(bytes / u[0]).toFixed(3)}${u[1]}` : `${Math.max(0, Math.trunc(bytes))}B`;
}

/** `isula stats` columns: 2 decimals, GiB/MiB/KiB. */
export function formatStatsSize(bytes: number): string {
  const u = pick(bytes);
  return u ? `${(bytes / u[0]).toFixed(2)}${u[2]}` : `${Math.max(0, Math.trunc(bytes))}B`;
}

/** `isula stats` MEM % and CPU %: two decimals and a percent sign. */
export function formatPercent(ratio: number): string {
  return `${(Number.isFinite(ratio) ? ratio * 100 : 0).toFixed(2)}%`;
}
