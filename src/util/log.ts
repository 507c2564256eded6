// One small logger with iSulad's levels. The sink is chosen once, at daemon start (setLogSink);
// everything else only calls log.<level>(). A disabled level costs one comparison.

export const LOG_LEVELS = ['FATAL', 'ALERT', 'CRIT', 'ERROR', 'WARN', 'NOTICE', 'INFO', 'DEBUG', 'TRACE'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export type LogSink = (line: string) => void;

let threshold = LOG_LEVELS.indexOf('INFO');
let sink: LogSink = (line) => process.stderr.write(line);

export function setLogLevel(level: LogLevel): void {
  threshold = LOG_LEVELS.indexOf(level);
}

export function setLogSink(s: LogSink): void {
  sink = s;
}

export function enabled(level: LogLevel): boolean {
  return LOG_LEVELS.indexOf(level) <= threshold;
}

type Fields = Record<string, string | number | boolean | undefined>;

function emit(level: LogLevel, fields: Fields, msg: string, err?: unknown): void {
  if (LOG_LEVELS.indexOf(level) > threshold) return;
  let line = `${new Date().toISOString()} ${level.padEnd(6)} ${msg}`;
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) line += ` ${k}=${JSON.stringify(v)}`;
  if (err !== undefined) {
    line += ` error=${JSON.stringify(err instanceof Error ? err.message : String(err))}`;
    if (level === 'ERROR' && err instanceof Error && err.stack && threshold >= LOG_LEVELS.indexOf('DEBUG')) {
      line += `\n${err.stack}`;
    }
  }
  sink(line + '\n');
}

export interface Logger {
  with(fields: Fields): Logger;
  error(err: unknown, msg: string): void;
  warn(msg: string, err?: unknown): void;
  info(msg: string): void;
  debug(msg: string): void;
  trace(msg: string): void;
}

function make(fields: Fields): Logger {
  return {
    with: (more) => make({ ...fields, ...more }),
    error: (err, msg) => emit('ERROR', fields, msg, err),
    warn: (msg, err) => emit('WARN', fields, msg, err),
    info: (msg) => emit('INFO', fields, msg),
    debug: (msg) => emit('DEBUG', fields, msg),
    trace: (msg) => emit('TRACE', fields, msg),
  };
}

export const log: Logger = make({});
