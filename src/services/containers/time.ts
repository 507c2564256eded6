// Timestamps: kept in records as RFC 3339 in UTC with nanoseconds (Node has microseconds at best;
// the remaining digits are zero), and shown as iSulad shows them (inspect's Created, StartedAt,
// FinishedAt): in the daemon's local time (TZ, else /etc/localtime) with its numeric offset
// (iSulad CI timezone.sh compares the offset with `date +%:z`; util/local-offset.ts reads the zone
// file as the C library does).
import { localOffsetMinutes } from '../../util/local-offset.ts';

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

/**
 * An RFC 3339 stamp in the daemon's local time with its offset, digits of the fraction kept:
 * 2026-12-06T23:30:01.123456000Z → 2026-12-07T05:00:01.123456000+05:30 (TZ=Asia/Kolkata). The
 * zero time (never started/finished) and stamps that do not parse are returned as they are.
 */
export function localRfc3339(s: string): string {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.exec(s);
  if (!m || s.startsWith('0001-01-01')) return s;
  const whole = Date.parse(`${m[1]}${m[3]}`);
  if (Number.isNaN(whole)) return s;
  const off = localOffsetMinutes(whole);
  const local = new Date(whole + off * 60_000).toISOString().slice(0, 19);
  const a = Math.abs(off);
  return `${local}${m[2] ?? ''}${off >= 0 ? '+' : '-'}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
}
