// isula events [-n NAME] [-S SINCE] [-U UNTIL]: the daemon's event stream, one line per event in
// iSulad's format: `<RFC 3339 nano local time> <type> <action> <id> (k=v, ...)`.
import { invalidArgument } from '../../util/errors.ts';
import type { Command } from '../command.ts';
import { flagString, parseDuration } from '../flags.ts';

/** "2024-01-02T15:04:05[.nnn][Z|±hh:mm]" (no zone = local), unix seconds[.frac], or a Go duration ago. */
export function parseEventTime(v: string, now: number = Date.now()): { seconds: string; nanos: number } {
  let ms: number;
  let extraNanos = 0;
  const unix = /^(\d+)(?:\.(\d{1,9}))?$/.exec(v);
  const dur = parseDuration(v);
  if (unix) {
    const frac = (unix[2] ?? '').padEnd(9, '0');
    return { seconds: unix[1] as string, nanos: Number(frac) };
  } else if (dur !== undefined && /[a-zµ]$/.test(v)) {
    ms = now - dur;
  } else {
    const m = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2})?)(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2})?$/.exec(v);
    if (!m) throw invalidArgument(`Invalid time format: ${v}`);
    const frac = (m[3] ?? '').padEnd(9, '0');
    const iso = `${m[1]}T${m[2] ?? '00:00:00'}${m[2]?.length === 5 ? ':00' : ''}${m[4] ?? ''}`;
    ms = m[4] ? Date.parse(iso) : new Date(iso).getTime(); // no zone: Date parses as local time
    if (Number.isNaN(ms)) throw invalidArgument(`Invalid time format: ${v}`);
    extraNanos = Number(frac);
  }
  const seconds = Math.floor(ms / 1000);
  return { seconds: String(seconds), nanos: extraNanos || (ms - seconds * 1000) * 1_000_000 };
}

/** Local time with nanoseconds and a numeric offset, e.g. 2026-11-27T19:45:01.123456789+00:00 */
export function formatEventTime(seconds: bigint, nanos: number): string {
  const d = new Date(Number(seconds) * 1000);
  const off = -d.getTimezoneOffset();
  const local = new Date(d.getTime() + off * 60_000).toISOString().slice(0, 19);
  const sign = off >= 0 ? '+' : '-';
  const a = Math.abs(off);
  return `${local}.${String(nanos).padStart(9, '0')}${sign}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
}

export function formatEventLine(e: { timestamp: { seconds: string; nanos: number } | null; opt: string; id: string; annotations: Record<string, string> }): string {
  const ts = e.timestamp ? formatEventTime(BigInt(e.timestamp.seconds), e.timestamp.nanos) : '';
  const attrs = Object.entries(e.annotations).map(([k, v]) => `${k}=${v}`);
  return `${ts} ${e.opt} ${e.id}${attrs.length > 0 ? ` (${attrs.join(', ')})` : ''}`;
}

export const command: Command = {
  name: 'events',
  usage: '[OPTIONS]',
  description: 'Get real time events from the server',
  flags: [
    { long: 'name', short: 'n', kind: 'string', description: 'Only show events of the container with this name or id' },
    { long: 'since', short: 'S', kind: 'string', description: 'Show all events created since this timestamp' },
    { long: 'until', short: 'U', kind: 'string', description: 'Show events created until this timestamp' },
  ],
  args: { max: 0 },
  async run(ctx) {
    const since = flagString(ctx.flags, 'since');
    const until = flagString(ctx.flags, 'until');
    const req = {
      id: flagString(ctx.flags, 'name') ?? '',
      storeOnly: false,
      ...(since ? { since: parseEventTime(since) } : {}),
      ...(until ? { until: parseEventTime(until) } : {}),
    };
    const c = await ctx.client();
    const call = c.containers.Events(req);
    const onAbort = () => call.cancel();
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    try {
      for await (const e of call as AsyncIterable<{ timestamp: { seconds: string; nanos: number } | null; opt: string; id: string; annotations: Record<string, string> }>) {
        ctx.out(`${formatEventLine(e)}\n`);
      }
    } catch (err) {
      if (ctx.signal.aborted) return 0;
      throw c.toError(err);
    } finally {
      ctx.signal.removeEventListener('abort', onAbort);
    }
    return 0;
  },
};
