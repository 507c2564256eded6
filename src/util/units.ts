// Parsers for the value syntaxes shared by isula's and isulad's flags and daemon.json: booleans,
// integers, sizes (`64m`) and Go-style durations (`1m30s`). Pure: no I/O; a bad value is undefined
// and the caller words the error.

export function parseBool(raw: string): boolean | undefined {
  switch (raw.toLowerCase()) {
    case '1': case 't': case 'true': case 'yes': case 'on':
      return true;
    case '0': case 'f': case 'false': case 'no': case 'off':
      return false;
    default:
      return undefined;
  }
}

/** A decimal integer that fits a double exactly (±2^53), optional sign; else undefined. */
export function parseInteger(raw: string): number | undefined {
  if (!/^[+-]?\d+$/.test(raw)) return undefined;
  const n = Number(raw);
  return Number.isSafeInteger(n) ? n : undefined;
}

const SIZE_UNITS: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4, p: 1024 ** 5 };

/** Bytes from `64m`, `1.5G`, `512KB`, `10KiB`, `100` (base 1024, as iSulad); undefined if bad. */
export function parseSize(raw: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*([kmgtp]?)(?:i?b)?$/i.exec(raw.trim());
  if (!m) return undefined;
  const unit = SIZE_UNITS[(m[2] ?? '').toLowerCase()];
  if (unit === undefined) return undefined;
  const n = Math.floor(Number(m[1]) * unit);
  return Number.isSafeInteger(n) ? n : undefined;
}

const DURATION_UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Milliseconds from a Go-style duration (`10s`, `1m30s`, `100ms`, `1.5h`); `0` alone is 0. */
export function parseDuration(raw: string): number | undefined {
  const s = raw.trim();
  if (s === '0') return 0;
  if (s === '') return undefined;
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/y;
  let total = 0;
  let pos = 0;
  while (pos < s.length) {
    re.lastIndex = pos;
    const m = re.exec(s);
    if (!m) return undefined;
    total += Number(m[1]) * (DURATION_UNITS[m[2] as string] as number);
    pos = re.lastIndex;
  }
  return total;
}
