// Timestamps as iSulad prints them: RFC 3339 in UTC with nanoseconds (Node has microseconds at best;
// the remaining digits are zero).

export function nowRfc3339Nano(): string {
  const us = Math.floor((performance.timeOrigin + performance.now()) * 1000);
  const base = new Date(Math.floor(us / 1000)).toISOString().slice(0, 19);
  const frac = String(us % 1_000_000).padStart(6, '0');
  return `${base}.${frac}000Z`;
}

/** Milliseconds since the epoch of an RFC 3339 stamp (any fraction length); NaN when unparsable. */
export function timeMs(s: string): number {
  const m = /^(.*T\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.exec(s);
  if (!m) return Date.parse(s);
  const ms = m[2] ? Number(m[2].slice(0, 4).padEnd(4, '0')) * 1000 : 0;
  return Date.parse(`${m[1]}${m[3]}`) + Math.round(ms);
}
