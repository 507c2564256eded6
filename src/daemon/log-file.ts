// The daemon's log sink: <log-path>/isulad.log with size rotation (isulad.log.1 ... .N), or
// stdout. Chosen once at start (setLogSink). Writes are synchronous on purpose: the daemon logs
// little, and a line written just before a crash must be on disk, not in a user-space buffer.

import { closeSync, fstatSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { LogSink } from '../util/log.ts';

export interface LogFileOptions { dir: string; mode: number; maxSize: number; maxFiles: number }

export interface LogFile {
  readonly path: string;
  sink: LogSink;
  close(): void;
}

export function openLogFile(opts: LogFileOptions): LogFile {
  mkdirSync(opts.dir, { recursive: true, mode: 0o700 });
  const path = join(opts.dir, 'isulad.log');
  let fd: number | undefined = openSync(path, 'a', opts.mode);
  let size = fstatSync(fd).size;
  const rotate = () => {
    if (fd !== undefined) closeSync(fd);
    // isulad.log.(N-1) -> .N ... isulad.log -> .1; max-file counts the live file too.
    const keep = opts.maxFiles - 1;
    if (keep <= 0) {
      rmSync(path, { force: true });
    } else {
      rmSync(`${path}.${keep}`, { force: true });
      for (let i = keep - 1; i >= 1; i--) {
        try { renameSync(`${path}.${i}`, `${path}.${i + 1}`); } catch { /* gap in the series */ }
      }
      renameSync(path, `${path}.1`);
    }
    fd = openSync(path, 'a', opts.mode);
    size = 0;
  };
  return {
    path,
    sink(line) {
      if (fd === undefined) return;
      const buf = Buffer.from(line);
      if (size > 0 && size + buf.length > opts.maxSize) {
        try { rotate(); } catch { /* keep logging to whatever is open */ }
        if (fd === undefined) return;
      }
      try {
        writeSync(fd, buf);
        size += buf.length;
      } catch { /* a full disk must not take the daemon down */ }
    },
    close() {
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
    },
  };
}
