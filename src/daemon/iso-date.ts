// Date#toISOString without ICU. In the pinned Node 24's V8, toISOString goes through the same
// ToDateString as Date#toString and asks ICU for the local time zone's offset AND display name
// before formatting the UTC string (perf record of the daemon's page faults:
// Builtin_DatePrototypeToISOString -> ToDateString -> ICUTimezoneCache::LocalTimezone ->
// icu::TimeZone::getDisplayName). The first call of the process therefore loads ICU's time-zone
// name tables: ~0.5 MB of the executable's ICU data and ~0.3 MB of ICU code stay resident in the
// idle daemon, which calls toISOString at boot and for every record and log line. This formats the
// same string from the UTC getters, which need no zone (docs/performance.md). The daemon face only:
// the CLI never formats enough dates for it to matter.

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/** The ECMAScript Date Time String Format of d (Date#toISOString), from UTC fields only. */
export function isoString(d: Date): string {
  const t = d.getTime();
  if (!Number.isFinite(t)) throw new RangeError('Invalid time value');
  const y = d.getUTCFullYear();
  const year = y >= 0 && y <= 9999 ? pad(y, 4) : `${y < 0 ? '-' : '+'}${pad(Math.abs(y), 6)}`;
  return `${year}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}T${pad(d.getUTCHours(), 2)}:` +
    `${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}.${pad(d.getUTCMilliseconds(), 3)}Z`;
}

/** Replaces Date.prototype.toISOString (and so toJSON) in this process; returns the builtin. */
export function installIsoDate(): (this: Date) => string {
  const builtin = Object.getOwnPropertyDescriptor(Date.prototype, 'toISOString')?.value as (this: Date) => string;
  Object.defineProperty(Date.prototype, 'toISOString', {
    value: function toISOString(this: Date): string {
      if (!(this instanceof Date)) return builtin.call(this); // the builtin's TypeError
      return isoString(this);
    },
    writable: true,
    enumerable: false,
    configurable: true,
  });
  return builtin;
}
