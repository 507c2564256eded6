// The CLI's stdout and stderr. Node makes process.stdout / process.stderr on first use, and
// making them (a SyncWriteStream, tty.WriteStream or net.Socket, with node:stream behind it)
// cost ~2-3 ms of CPU on every `isula` start (docs/performance.md). Most commands only print
// text, so that goes to fd 1 / fd 2 with write(2) directly, and the stream objects are made only
// when something asks for them: a command that streams (run, attach, logs ...) uses
// process.stdout itself, or a write that would block (a non-blocking pipe that is full).
//
// Order is kept: once a stream exists, every later write goes through it too, since it may hold
// data not yet written. A closed pipe (`isula ps | head -1`) ends the CLI quietly with its exit
// code, as before, whether the write was direct or through a stream.

import { writeSync } from 'node:fs';

type Name = 'stdout' | 'stderr';

const made: Record<Name, NodeJS.WriteStream | undefined> = { stdout: undefined, stderr: undefined };
let watching = false;

function onStreamError(err: NodeJS.ErrnoException): void {
  if (err.code === 'EPIPE') process.exit(Number(process.exitCode ?? 0));
  throw err;
}

function adopt(name: Name, stream: NodeJS.WriteStream): NodeJS.WriteStream {
  if (made[name] === undefined) {
    made[name] = stream;
    if (stream.listenerCount('error') === 0) stream.on('error', onStreamError);
  }
  return stream;
}

/**
 * Notes when process.stdout / process.stderr get made (by the CLI or any command) without
 * making them, and gives them the EPIPE handler then. Idempotent.
 */
export function watchStdio(): void {
  if (watching) return;
  watching = true;
  for (const name of ['stdout', 'stderr'] as const) {
    const d = Object.getOwnPropertyDescriptor(process, name);
    const get = d?.get;
    if (!d || !get || !d.configurable) {
      adopt(name, process[name]); // not Node's lazy getter: nothing to save, use the stream
      continue;
    }
    Object.defineProperty(process, name, {
      ...d,
      get() {
        return adopt(name, get.call(process) as NodeJS.WriteStream);
      },
    });
  }
}

/** What a writer needs; tests pass their own. */
export interface FdWriterDeps {
  writeSync: (fd: number, buf: Uint8Array, offset: number) => number;
  /** the stream already made for this fd, if any */
  existing: () => NodeJS.WritableStream | undefined;
  /** makes (or returns) the stream for this fd */
  stream: () => NodeJS.WritableStream;
  exit: (code: number) => never;
}

const realDeps = (name: Name, fd: number): FdWriterDeps => ({
  writeSync: (f, buf, offset) => writeSync(f, buf, offset),
  existing: () => made[name],
  stream: () => adopt(name, process[name]),
  exit: (code) => process.exit(code),
});

/** A write function for fd 1 or 2 (see the top of this file). */
export function fdWriter(fd: 1 | 2, deps: FdWriterDeps = realDeps(fd === 1 ? 'stdout' : 'stderr', fd)): (text: string) => void {
  return (text) => {
    const stream = deps.existing();
    if (stream) {
      stream.write(text);
      return;
    }
    const buf = Buffer.from(text);
    let off = 0;
    try {
      while (off < buf.length) off += deps.writeSync(fd, buf, off);
      return;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EPIPE') deps.exit(Number(process.exitCode ?? 0));
      if (code !== 'EAGAIN') throw err;
    }
    // The fd is non-blocking and full: the stream queues the rest and writes it when it can.
    deps.stream().write(buf.subarray(off));
  };
}

/** Resolves once whatever the streams made so far hold has been handed to the OS. */
export function flushStdio(): Promise<void> {
  const wait = (s: NodeJS.WriteStream | undefined) =>
    new Promise<void>((resolve) => {
      if (!s || s.destroyed || !s.writable) return resolve();
      s.write('', () => resolve());
    });
  return Promise.all([wait(made.stdout), wait(made.stderr)]).then(() => undefined);
}
