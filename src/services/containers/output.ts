// Container output for clients: `isula logs` (json-file reader) and the stream behind `run`
// without -d / `start -a`, which follows the same json-file log the monitor writes (never a pipe
// held by the daemon, so a client or daemon going away cannot block or kill the container).
import type { Writable } from 'node:stream';
import { openBridgedFifoWriter, openFifoWriter } from '../../runtime/fifo-writer.ts';
import { conflict, failedPrecondition, notImplemented } from '../../util/errors.ts';
import { isOutputFlusher, isResizable, isStdinOpener } from '../../runtime/runtime.ts';
import { openLogReader, readJsonFileLogs } from '../../logs/json-file-reader.ts';
import type { LogEntry } from '../../logs/json-file-reader.ts';
import type { ContainerCore } from './core.ts';
import { startContainer } from './lifecycle.ts';
import { log } from '../../util/log.ts';

export interface LogsOptions {
  follow?: boolean;
  tail?: number;
  since?: string;
  until?: string;
  signal?: AbortSignal;
}

function logPathOf(core: ContainerCore, id: string): string {
  const rec = core.current(id);
  try {
    return core.runtimeOf(rec).stdio(id).logPath;
  } catch {
    return rec.LogPath;
  }
}

export async function* containerLogs(core: ContainerCore, ref: string, opts: LogsOptions): AsyncGenerator<LogEntry> {
  const rec = core.find(ref);
  const cfg = rec.HostConfig.LogConfig.Config;
  if (cfg['disable-log'] === 'true') throw failedPrecondition(`Container ${rec.Name} disable console log!`);
  const stop = new AbortController();
  // docker/iSulad: -f ends when the container stops
  if (opts.follow && rec.State.Running) void core.nextExit(rec.Id).then(() => stop.abort());
  else stop.abort();
  yield* readJsonFileLogs(logPathOf(core, rec.Id), {
    follow: opts.follow ?? false,
    tail: opts.tail,
    since: opts.since,
    until: opts.until,
    signal: opts.signal,
    stopFollowing: stop.signal,
  });
}

/** How often a follower asks the runtime to flush a partly written line (lcr's line-based copier). */
export const FLUSH_EVERY_MS = 200;

/**
 * While a client follows a running container's output, its runtime's log writer is asked every
 * FLUSH_EVERY_MS to emit a line the container has only partly written (`echo -n`), so the client
 * sees it now rather than with the next newline. The returned function stops the ticks.
 */
export function keepFlushing(core: ContainerCore, id: string): () => void {
  const rec = core.tryCurrent(id);
  if (!rec) return () => undefined;
  const rt = core.runtimeOf(rec);
  if (!isOutputFlusher(rt)) return () => undefined;
  const t = setInterval(() => {
    try {
      rt.flushOutput(rec.Id);
    } catch {
      // best effort
    }
  }, FLUSH_EVERY_MS);
  t.unref();
  return () => clearInterval(t);
}

export type OutputEvent = { kind: 'log'; entry: LogEntry } | { kind: 'exit'; exitCode: number };

/** What attachOutput is told: start first (run, start -a) or not (attach), and when it is ready. */
export interface AttachOptions {
  start: boolean;
  /** with start: docker's StdinOnce (openStartStdin), the runtime keeps no stdin writer of its own */
  stdinOnce?: boolean;
  signal?: AbortSignal;
  onStarted?: () => Promise<void>;
  /**
   * Called once the reader is placed and the container runs: input sent to the container from
   * then on has its answer seen (sent earlier, the answer could precede the reader's start).
   */
  onPrimed?: () => void;
}

/**
 * Output written from now on, then the exit code. With `start`, the container is started after the
 * reader is primed, so even the first line of a short-lived container is seen.
 */
export async function* attachOutput(core: ContainerCore, ref: string, opts: AttachOptions): AsyncGenerator<OutputEvent> {
  const rec = core.find(ref);
  const exited = new AbortController();
  let exitCode: number | undefined;
  const exitPromise = core.nextExit(rec.Id).then((c) => {
    exitCode = c;
    exited.abort();
  });
  const reader = await openLogReader(logPathOf(core, rec.Id), {
    follow: true,
    tail: 0,
    signal: opts.signal,
    stopFollowing: exited.signal,
    pollMs: 50,
  });
  if (opts.start) {
    try {
      await startContainer(core, rec.Id, opts.stdinOnce === true ? { stdinOnce: true } : {});
      // what onStarted does (the -t window size) is not worth failing a started container for, but
      // is said: a terminal left at the wrong size otherwise has no trace
      await opts.onStarted?.().catch((err: unknown) => log.with({ container: rec.Id }).warn('after start (the terminal size)', err));
    } catch (err) {
      await reader.return(undefined);
      throw err;
    }
  } else if (!core.current(rec.Id).State.Running || core.current(rec.Id).State.Paused) {
    // isula attach: docker's wording; nothing was attached
    await reader.return(undefined);
    if (core.current(rec.Id).State.Paused) throw conflict('You cannot attach to a paused container, unpause it first');
    throw conflict('You cannot attach to a stopped container, start it first');
  }
  const unflush = keepFlushing(core, rec.Id);
  opts.onPrimed?.();
  try {
    for await (const entry of reader) yield { kind: 'log', entry };
  } finally {
    unflush();
  }
  if (opts.signal?.aborted) return;
  await exitPromise;
  yield { kind: 'exit', exitCode: exitCode ?? core.tryCurrent(rec.Id)?.State.ExitCode ?? -1 };
}

/** -t window size, when the runtime can do it (lcr: the pty of lxc-start). */
export async function resizeTerminal(core: ContainerCore, ref: string, size: { rows: number; cols: number }): Promise<void> {
  const rec = core.find(ref);
  if (!rec.Config.Tty) throw failedPrecondition(`container ${rec.Name} has no terminal (created without -t)`);
  if (!rec.State.Running) throw failedPrecondition(`Container ${rec.Id} is not running`);
  const rt = core.runtimeOf(rec);
  if (!isResizable(rt)) throw notImplemented(`runtime ${rt.name} cannot resize a terminal`);
  // at debug, as for an exec (exec.ts resizeExec)
  const l = log.with({ container: rec.Id, size: `${size.rows}x${size.cols}` });
  l.debug('resize the container terminal');
  await rt.resize(rec.Id, size);
  l.debug('container terminal resized');
}

/** A writer into the container's stdin FIFO (created with -i); the monitor keeps the read end open. */
export function openStdin(core: ContainerCore, ref: string): Writable {
  const rec = core.find(ref);
  if (!rec.Config.OpenStdin) throw failedPrecondition(`container ${rec.Name} was not created with -i`);
  const rt = core.runtimeOf(rec);
  if (isStdinOpener(rt)) return rt.openStdin(rec.Id);
  const path = rt.stdio(rec.Id).stdin;
  if (!path) throw failedPrecondition(`container ${rec.Name} was not created with -i`);
  // never a blocking open (runtime/fifo-writer.ts): a stopped container has no reader
  return openFifoWriter(path);
}

/** The stdin of a start whose client sends its stdin (`run -i`, `start -a -i`). */
export interface StartStdin {
  writer: Writable;
  /** StdinOnce: start with attachOutput's stdinOnce; the client's EOF ends the container's stdin */
  once: boolean;
  /** call once the start is over (done or failed): the writer alone keeps the FIFO open then */
  release: () => void;
}

/**
 * docker's StdinOnce for a container made by `run -i` (Config.StdinOnce, no -t, not running): the
 * writer is open before the start (openBridgedFifoWriter) and the runtime keeps no writer of its
 * own, so when the client's stdin ends the container reads EOF. Any other start (create -i then
 * start -a -i, a restart, -t) gets the usual writer and stdin stays open across attaches.
 */
export function openStartStdin(core: ContainerCore, ref: string): StartStdin {
  const rec = core.find(ref);
  if (rec.Config.StdinOnce === true && rec.Config.OpenStdin && !rec.Config.Tty && !rec.State.Running) {
    let path: string | undefined;
    try {
      path = core.runtimeOf(rec).stdio(rec.Id).stdin;
    } catch {
      // the runtime lost its state (reboot): the start recreates it; the usual writer then
      path = undefined;
    }
    if (path) return { ...openBridgedFifoWriter(path), once: true };
  }
  return { writer: openStdin(core, ref), once: false, release: () => undefined };
}
