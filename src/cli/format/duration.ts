// Relative times as iSulad's ps prints them (the same rules as Docker's HumanDuration):
// "Less than a second", "1 second", "About a minute", "3 hours", "2 weeks", ... Used for
// CREATED ("5 minutes ago") and STATUS ("Up 3 seconds", "Exited (0) 2 hours ago").

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

function plural(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}

/** A duration in milliseconds, in words. */
export function humanDuration(ms: number): string {
  const secs = Math.floor(Math.max(0, ms) / S);
  if (secs < 1) return 'Less than a second';
  if (secs === 1) return '1 second';
  if (secs < 60) return plural(secs, 'second');
  const mins = Math.floor(ms / M);
  if (mins === 1) return 'About a minute';
  if (mins < 60) return plural(mins, 'minute');
  const hours = Math.round(ms / H);
  if (hours === 1) return 'About an hour';
  if (hours < 48) return plural(hours, 'hour');
  if (hours < 24 * 7 * 2) return plural(Math.floor(ms / D), 'day');
  if (hours < 24 * 30 * 2) return plural(Math.floor(ms / (7 * D)), 'week');
  if (hours < 24 * 365 * 2) return plural(Math.floor(ms / (30 * D)), 'month');
  return plural(Math.floor(ms / (365 * D)), 'year');
}

/** "5 minutes ago" */
export function timeAgo(thenMs: number, nowMs: number): string {
  return `${humanDuration(nowMs - thenMs)} ago`;
}

/** "Up 3 seconds" */
export function upFor(startMs: number, nowMs: number): string {
  return `Up ${humanDuration(nowMs - startMs)}`;
}
