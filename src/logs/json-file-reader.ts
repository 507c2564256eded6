// Reader for json-file container logs (iSulad/docker format): one JSON object per line,
// {"log":"text\n","stream":"stdout|stderr","time":"<RFC 3339 nano>"}. The writer is the runtime's
// monitor, never the daemon, and it rotates `console.log` → `console.log.1` … `console.log.(max-file − 1)`.
// This module only reads: tail across rotated files, since/until filters, and follow (which has to
// survive a rotation happening while we read, so it keeps the old fd until it is drained).

import { open, readdir, stat } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { watch } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export interface LogEntry {
  stream: 'stdout' | 'stderr';
  /** RFC 3339 with nanoseconds, as the writer stamped it */
  time: string;
  log: string;
}

export interface ReadLogsOptions {
  /** last N entries only; undefined or negative = all; 0 = none (then only followed lines) */
  tail?: number;
  /** RFC 3339 bounds; entries outside are skipped */
  since?: string;
  until?: string;
  follow?: boolean;
  /** follow stops (after a final drain) when this signal aborts, e.g. when the container exits */
  stopFollowing?: AbortSignal;
  /** cancels everything (client went away) */
  signal?: AbortSignal;
  /** poll interval while following; fs.watch wakes us earlier when it can */
  pollMs?: number;
}

// Every record starts with this; inside a record's text a quote is escaped, so it cannot occur there.
const RECORD_START = '{"log":"';

// The CRI (k8s-file) format conmon writes for the OCI runtimes (and lcr for CRI containers):
// `<RFC3339Nano> stdout|stderr F|P <text>`, P marking a piece of a line without its newline.
const CRI_LINE = /^(\d{4}-\d{2}-\d{2}T[0-9:.]+)(Z|[+-]\d{2}:\d{2}) (stdout|stderr) ([FP])(?: (.*))?$/s;

/** One k8s-file line as a LogEntry (time normalised to UTC "Z"); undefined when torn or foreign. */
export function parseCriLine(line: string): LogEntry | undefined {
  const m = CRI_LINE.exec(line);
  if (!m) return undefined;
  const [, local = '', zone = 'Z', stream, tag, text = ''] = m;
  let time = `${local}Z`;
  if (zone !== 'Z' && zone !== '+00:00' && zone !== '-00:00') {
    const frac = /\.(\d+)$/.exec(local)?.[1] ?? '';
    const d = new Date(`${local.replace(/\.\d+$/, '')}${zone}`);
    if (Number.isNaN(d.getTime())) return undefined;
    time = `${d.toISOString().slice(0, 19)}${frac ? `.${frac}` : ''}Z`;
  }
  return { stream: stream === 'stderr' ? 'stderr' : 'stdout', time, log: tag === 'F' ? `${text}\n` : text };
}

/**
 * Parses one line; undefined for a torn or foreign line (never throws: logs are untrusted input).
 * A write torn by a full disk leaves a record without its newline, so the next record the writer
 * manages lands on the same line: the last record start on such a line is tried on its own.
 */
export function parseLogLine(line: string): LogEntry | undefined {
  if (line.length === 0) return undefined;
  if (line.charCodeAt(0) !== 0x7b) return parseCriLine(line);
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    const last = line.lastIndexOf(RECORD_START);
    return last > 0 ? parseLogLine(line.slice(last)) : undefined;
  }
  if (typeof v !== 'object' || v === null) return undefined;
  const o = v as Record<string, unknown>;
  if (typeof o['log'] !== 'string') return undefined;
  const stream = o['stream'] === 'stderr' ? 'stderr' : 'stdout';
  const time = typeof o['time'] === 'string' ? o['time'] : '';
  return { stream, time, log: o['log'] };
}

/**
 * Rotated siblings of `path` (`.1` … `.(max-file − 1)`; the writer never makes `.0` or `.01`),
 * oldest first, ending with `path` itself (if it exists).
 */
export async function logFilesOldestFirst(path: string): Promise<string[]> {
  const dir = dirname(path);
  const base = basename(path);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const rotated: Array<{ n: number; name: string }> = [];
  let hasCurrent = false;
  for (const name of names) {
    if (name === base) hasCurrent = true;
    else if (name.startsWith(base + '.')) {
      const suffix = name.slice(base.length + 1);
      if (/^[1-9][0-9]*$/.test(suffix)) rotated.push({ n: Number(suffix), name });
    }
  }
  rotated.sort((a, b) => b.n - a.n);
  const out = rotated.map((r) => join(dir, r.name));
  if (hasCurrent) out.push(path);
  return out;
}

/** Compares RFC 3339 timestamps of possibly different fraction lengths. */
export function compareTime(a: string, b: string): number {
  return toSortable(a) < toSortable(b) ? -1 : toSortable(a) > toSortable(b) ? 1 : 0;
}

function toSortable(t: string): string {
  // Normalise "2024-01-02T03:04:05.1Z" and "...05Z" to a fixed 9-digit fraction in UTC.
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})?$/.exec(t);
  if (!m) return t;
  const frac = (m[2] ?? '').padEnd(9, '0').slice(0, 9);
  const zone = m[3] ?? 'Z';
  if (zone === 'Z') return `${m[1]}.${frac}`;
  const ms = Date.parse(`${m[1]}${zone}`);
  if (Number.isNaN(ms)) return t;
  return `${new Date(ms).toISOString().slice(0, 19)}.${frac}`;
}

function inWindow(e: LogEntry, opts: ReadLogsOptions): boolean {
  if (opts.since && e.time && compareTime(e.time, opts.since) < 0) return false;
  if (opts.until && e.time && compareTime(e.time, opts.until) > 0) return false;
  return true;
}

async function readWhole(path: string): Promise<Buffer> {
  let fh: FileHandle;
  try {
    fh = await open(path, 'r');
  } catch {
    return Buffer.alloc(0); // rotated away between readdir and open
  }
  try {
    return await fh.readFile();
  } finally {
    await fh.close();
  }
}

/**
 * The entries of one file, a line of output each: the pieces of a line in conmon's k8s-file format
 * (P records, written when a read of the container's pipe ends mid-line) are joined with the rest
 * of their stream's line, stamped with the first piece's time, so `--tail N` counts lines, not
 * pieces. A piece still open at the end of the file stays one entry.
 */
function entriesOf(buf: Buffer, opts: ReadLogsOptions): LogEntry[] {
  const out: LogEntry[] = [];
  const open: { stdout?: LogEntry; stderr?: LogEntry } = {};
  for (const line of buf.toString('utf8').split('\n')) {
    const piece = parseLogLine(line);
    if (!piece) continue;
    const before = open[piece.stream];
    const e = before ? { ...before, log: before.log + piece.log } : piece;
    open[piece.stream] = undefined;
    const criPiece = line.charCodeAt(0) !== 0x7b && !piece.log.endsWith('\n');
    if (criPiece) open[piece.stream] = e;
    else if (inWindow(e, opts)) out.push(e);
  }
  for (const e of [open.stdout, open.stderr]) if (e && inWindow(e, opts)) out.push(e);
  return out;
}

/**
 * Entries already on disk, honouring tail/since/until, reading the newest files first so a tail
 * stops early. The current file is read through `current` when given (follow mode) and only up to
 * its last newline; the returned offset is where following must resume, so nothing is read twice.
 */
async function snapshot(
  path: string,
  opts: ReadLogsOptions,
  current: FileHandle | undefined,
): Promise<{ entries: LogEntry[]; offset: number }> {
  let offset = 0;
  let currentBuf: Buffer | undefined;
  if (current) {
    const all = await current.readFile();
    const nl = all.lastIndexOf(0x0a);
    offset = nl + 1;
    currentBuf = all.subarray(0, offset);
  }
  const tail = opts.tail ?? -1;
  if (tail === 0) return { entries: [], offset };
  const files = await logFilesOldestFirst(path);
  const collected: LogEntry[][] = [];
  let count = 0;
  for (let i = files.length - 1; i >= 0; i--) {
    const file = files[i] as string;
    const buf = file === path && currentBuf ? currentBuf : await readWhole(file);
    const entries = entriesOf(buf, opts);
    collected.unshift(entries);
    count += entries.length;
    if (tail > 0 && count >= tail) break;
  }
  const all = collected.flat();
  return { entries: tail > 0 && all.length > tail ? all.slice(all.length - tail) : all, offset };
}

/**
 * Yields log entries: first what is on disk (tail/since/until), then, with `follow`, new entries as
 * the writer appends them, across rotations, until `stopFollowing` or `signal` aborts.
 */
export async function* readJsonFileLogs(path: string, opts: ReadLogsOptions = {}): AsyncGenerator<LogEntry> {
  if (opts.signal?.aborted) return;
  yield* await openLogReader(path, opts);
}

/**
 * Like readJsonFileLogs, but the starting point is fixed when the returned promise resolves: with
 * follow and tail 0, only lines written after that moment come out (what `run` needs: prime the
 * reader, then start the container, and no early output is missed).
 */
export async function openLogReader(path: string, opts: ReadLogsOptions = {}): Promise<AsyncGenerator<LogEntry>> {
  const fh = opts.follow ? await openOrNull(path) : undefined;
  let head: { entries: LogEntry[]; offset: number };
  let ino = -1;
  try {
    head = await snapshot(path, opts, fh);
    if (fh) ino = (await fh.stat()).ino;
  } catch (err) {
    await fh?.close();
    throw err;
  }
  const gen = follow(path, opts, head, fh, ino);
  // return() on a generator that never ran skips its finally: the primed fd would stay open
  // until garbage collection (a failed `run` start returns the reader before reading it)
  const ret = gen.return.bind(gen);
  gen.return = async (v) => {
    try {
      return await ret(v);
    } finally {
      await fh?.close().catch(() => undefined);
    }
  };
  return gen;
}

async function* follow(
  path: string,
  opts: ReadLogsOptions,
  head: { entries: LogEntry[]; offset: number },
  first: FileHandle | undefined,
  firstIno: number,
): AsyncGenerator<LogEntry> {
  let fh = first;
  try {
    for (const e of head.entries) {
      if (opts.signal?.aborted) return;
      yield e;
    }
    if (!opts.follow) return;
    let offset = head.offset;
    let ino = firstIno;
    let pending: Buffer = Buffer.alloc(0);
    const wake = new Waker(opts.pollMs ?? 200, dirname(path));
    try {
      for (;;) {
        if (opts.signal?.aborted) return;
        // Read the flag before draining: a stop that arrives mid-drain still gets one more pass.
        const stopping = opts.stopFollowing?.aborted ?? false;
        if (!fh) {
          fh = await openOrNull(path);
          if (fh) {
            offset = 0;
            ino = (await fh.stat()).ino;
          }
        }
        if (fh) {
          const data = await readFrom(fh, offset);
          if (data.length > 0) {
            offset += data.length;
            const chunk = pending.length > 0 ? Buffer.concat([pending, data]) : data;
            const nl = chunk.lastIndexOf(0x0a);
            pending = Buffer.from(chunk.subarray(nl + 1));
            if (nl >= 0) for (const e of entriesOf(chunk.subarray(0, nl), opts)) yield e;
            continue;
          }
          // Drained this fd. If the path now names another file, the writer rotated: move on.
          const now = await statOrNull(path);
          if (now && now.ino !== ino) {
            await fh.close();
            fh = undefined;
            pending = Buffer.alloc(0);
            continue;
          }
        }
        if (stopping) return;
        await wake.wait(opts.signal, opts.stopFollowing);
      }
    } finally {
      wake.close();
    }
  } finally {
    await fh?.close();
  }
}

async function openOrNull(path: string): Promise<FileHandle | undefined> {
  try {
    return await open(path, 'r');
  } catch {
    return undefined;
  }
}

async function statOrNull(path: string): Promise<{ ino: number } | undefined> {
  try {
    return await stat(path);
  } catch {
    return undefined;
  }
}

async function readFrom(fh: FileHandle, offset: number): Promise<Buffer> {
  const size = (await fh.stat()).size;
  if (size <= offset) return Buffer.alloc(0);
  const len = Math.min(size - offset, 1 << 20);
  const buf = Buffer.allocUnsafe(len);
  const { bytesRead } = await fh.read(buf, 0, len, offset);
  return buf.subarray(0, bytesRead);
}

/** Wakes a follower on a directory change or after pollMs, whichever comes first. */
class Waker {
  private readonly pollMs: number;
  private watcher: ReturnType<typeof watch> | undefined;
  private resolve: (() => void) | undefined;
  constructor(pollMs: number, dir: string) {
    this.pollMs = pollMs;
    try {
      this.watcher = watch(dir, { persistent: false }, () => this.fire());
      this.watcher.on('error', () => undefined);
    } catch {
      this.watcher = undefined; // polling alone still works
    }
  }
  private fire(): void {
    const r = this.resolve;
    this.resolve = undefined;
    r?.();
  }
  wait(...signals: Array<AbortSignal | undefined>): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, this.pollMs);
      timer.unref();
      const live = signals.filter((s): s is AbortSignal => s !== undefined);
      for (const s of live) s.addEventListener('abort', done, { once: true });
      const self = this;
      this.resolve = done;
      function done(): void {
        clearTimeout(timer);
        for (const s of live) s.removeEventListener('abort', done);
        if (self.resolve === done) self.resolve = undefined;
        resolve();
      }
    });
  }
  close(): void {
    this.watcher?.close();
    this.fire();
  }
}
