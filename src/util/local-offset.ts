// The host's UTC offset at an instant, as the C library gives it to iSulad (localtime(3)): from
// the zone file TZ names (`Asia/Kolkata`, `:Asia/Kolkata`, `/path/file`) under
// /usr/share/zoneinfo, else /etc/localtime (a copied file works as well as a link). The file's
// table is used as glibc does, including its last entry for instants past a table without a
// rule footer (tzdata's `right/` files: `right/Canada/Newfoundland` stays on NDT). Instants past a
// table that has a footer, POSIX TZ strings ("EST5EDT") and hosts without zone files use the
// runtime's own time zone support (ICU), which follows the same rules for those zones.
import { readFileSync } from 'node:fs';

interface ZoneTable {
  /** transition instants, seconds since the epoch, ascending */
  at: number[];
  /** the UTC offset (seconds) from each transition on */
  off: number[];
  /** before the first transition */
  first: number;
  /** the file has a POSIX rule for instants past the table */
  footer: boolean;
}

/** Parses a TZif file (RFC 8536; the 64-bit block of version 2+). Pure; undefined if it is not one. */
export function parseTzif(b: Buffer): ZoneTable | undefined {
  if (b.length < 44 || b.toString('latin1', 0, 4) !== 'TZif') return undefined;
  const counts = (o: number) => ({
    isutc: b.readUInt32BE(o + 20), isstd: b.readUInt32BE(o + 24), leap: b.readUInt32BE(o + 28),
    time: b.readUInt32BE(o + 32), type: b.readUInt32BE(o + 36), char: b.readUInt32BE(o + 40),
  });
  const v1 = counts(0);
  const v1Size = 44 + v1.time * 5 + v1.type * 6 + v1.char + v1.leap * 8 + v1.isstd + v1.isutc;
  const v2 = b[4] !== 0 && b.length >= v1Size + 44 && b.toString('latin1', v1Size, v1Size + 4) === 'TZif';
  const o = v2 ? v1Size : 0;
  const c = v2 ? counts(v1Size) : v1;
  const tsz = v2 ? 8 : 4;
  let p = o + 44;
  const end = p + c.time * tsz + c.time + c.type * 6 + c.char + c.leap * (tsz + 4) + c.isstd + c.isutc;
  if (c.type === 0 || b.length < end) return undefined;
  const at: number[] = [];
  for (let i = 0; i < c.time; i++, p += tsz) at.push(v2 ? Number(b.readBigInt64BE(p)) : b.readInt32BE(p));
  const idx: number[] = [];
  for (let i = 0; i < c.time; i++, p++) idx.push(b[p] as number);
  const types: Array<{ off: number; dst: boolean }> = [];
  for (let i = 0; i < c.type; i++, p += 6) types.push({ off: b.readInt32BE(p), dst: b[p + 4] !== 0 });
  const footerText = v2 ? b.toString('latin1', end).split('\n')[1] ?? '' : '';
  const firstStd = types.find((t) => !t.dst) ?? types[0];
  return {
    at,
    off: idx.map((i) => types[i]?.off ?? 0),
    first: (firstStd ?? { off: 0 }).off,
    footer: footerText !== '',
  };
}

/** The table's offset at `sec`, or undefined where the file's footer rule (not read here) applies. Pure. */
export function tableOffset(t: ZoneTable, sec: number): number | undefined {
  if (t.at.length === 0) return t.footer ? undefined : t.first;
  if (sec < (t.at[0] as number)) return t.first;
  if (sec >= (t.at[t.at.length - 1] as number) && t.footer) return undefined;
  let lo = 0;
  let hi = t.at.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((t.at[mid] as number) <= sec) lo = mid;
    else hi = mid - 1;
  }
  return t.off[lo];
}

let cached: { tz: string | undefined; table: ZoneTable | undefined } | undefined;

function zoneTable(): ZoneTable | undefined {
  const tz = process.env['TZ'];
  if (cached && cached.tz === tz) return cached.table;
  let file: string | undefined;
  if (tz === undefined) file = '/etc/localtime';
  else {
    const name = tz.startsWith(':') ? tz.slice(1) : tz;
    if (name.startsWith('/')) file = name;
    else if (name !== '' && !name.includes('..')) file = `/usr/share/zoneinfo/${name}`;
  }
  let table: ZoneTable | undefined;
  try {
    if (file !== undefined) table = parseTzif(readFileSync(file));
  } catch {
    table = undefined;
  }
  cached = { tz, table };
  return table;
}

/** Minutes east of UTC at the instant `ms` (milliseconds since the epoch), as the host says. */
export function localOffsetMinutes(ms: number): number {
  const t = zoneTable();
  const off = t === undefined ? undefined : tableOffset(t, Math.floor(ms / 1000));
  if (off !== undefined) return Math.trunc(off / 60);
  return -new Date(ms).getTimezoneOffset();
}
