// The syslog log driver's writer side (--log-driver syslog): each line the container writes goes,
// besides the json-file log (kept as the local copy `attach`, `run` and `logs` read, as docker's
// dual logging does), to syslog through one util-linux logger(1) per stream, fed by the runtime's
// log copier: stdout at FACILITY.info, stderr at FACILITY.err, tagged with the expanded tag.
import { accessSync, constants } from 'node:fs';
import { failedPrecondition } from '../util/errors.ts';

export interface SyslogTarget {
  /** the expanded syslog-tag */
  tag: string;
  /** kern, user, ..., local7 */
  facility: string;
  /** a unix socket path (log-opt syslog-address=unix[gram]://PATH); default /dev/log */
  address?: string;
}

export const SYSLOG_FACILITIES = [
  'kern', 'user', 'mail', 'daemon', 'auth', 'syslog', 'lpr', 'news', 'uucp', 'cron',
  'authpriv', 'ftp', 'local0', 'local1', 'local2', 'local3', 'local4', 'local5', 'local6', 'local7',
] as const;

const shQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** The logger(1) command line (for awk's `print | cmd`) of one stream. Pure. */
export function loggerCommand(logger: string, t: SyslogTarget, stream: 'stdout' | 'stderr'): string {
  const a = [logger, '--socket-errors=off', '-t', t.tag, '-p', `${t.facility}.${stream === 'stderr' ? 'err' : 'info'}`];
  if (t.address !== undefined) a.push('-u', t.address);
  return a.map(shQuote).join(' ');
}

/** logger(1) on PATH (util-linux: it takes -u and --socket-errors), or undefined. */
export function findLogger(path = process.env['PATH'] ?? '/usr/bin:/bin'): string | undefined {
  for (const dir of path.split(':')) {
    if (dir === '') continue;
    const p = `${dir}/logger`;
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      // next
    }
  }
  return undefined;
}

/** The env a log copier reads its syslog commands from (LOG_SYSLOG_OUT/ERR), or none. */
export function syslogEnv(t: SyslogTarget | undefined): Record<string, string> {
  if (t === undefined) return {};
  const logger = findLogger();
  if (logger === undefined) throw failedPrecondition('the syslog log driver needs logger(1) (util-linux), not found on PATH');
  return { LOG_SYSLOG_OUT: loggerCommand(logger, t, 'stdout'), LOG_SYSLOG_ERR: loggerCommand(logger, t, 'stderr') };
}
