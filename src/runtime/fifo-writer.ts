// A writer into a FIFO that never blocks the process: open(O_WRONLY) of a FIFO nobody reads waits
// in a libuv worker until a reader comes, and a daemon with such a worker logged "iSulad stopped"
// on SIGTERM and did not exit (iSulad CI attach.sh: an attach with stdin to a container that had
// just stopped, whose reader never comes). Here the open is O_NONBLOCK, which fails at once
// (ENXIO) without a reader: it is retried from a timer (the writer may be opened before the
// container starts, `run -i`), up to `waitMs`; what is written meanwhile waits. Once open, the fd
// is an event-loop pipe: writes wait in the loop, not in a worker. With no reader in time, input
// is dropped.
import { closeSync, constants, openSync } from 'node:fs';
import { Socket } from 'node:net';
import { Writable } from 'node:stream';
import { errnoCode } from '../util/errors.ts';

const RETRY_MS = 50;

export function openFifoWriter(path: string, waitMs = 120_000): Writable {
  let gone = false;
  const until = Date.now() + waitMs;
  const ready = new Promise<Socket | undefined>((resolve) => {
    const attempt = () => {
      if (gone) return resolve(undefined);
      let fd: number;
      try {
        fd = openSync(path, constants.O_WRONLY | constants.O_NONBLOCK);
      } catch (err) {
        const code = errnoCode(err);
        if ((code === 'ENXIO' || code === 'ENOENT') && Date.now() < until) {
          setTimeout(attempt, RETRY_MS).unref();
          return;
        }
        return resolve(undefined);
      }
      const s = new Socket({ fd, readable: false, writable: true });
      s.on('error', () => undefined); // the reader went away: writes just stop
      resolve(s);
    };
    attempt();
  });
  return new Writable({
    write(chunk: Buffer, _enc, cb) {
      void ready.then((s) => (s === undefined || s.destroyed ? cb() : s.write(chunk) ? cb() : s.once('drain', () => cb())));
    },
    final(cb) {
      void ready.then((s) => (s === undefined ? cb() : s.end(() => cb())));
    },
    destroy(err, cb) {
      gone = true;
      void ready.then((s) => s?.destroy());
      cb(err);
    },
  });
}

/**
 * The writer of a start with StdinOnce (`isula run -i`, runtime.ts StartOptions): open now, before
 * the container exists. A bridge fd (read-write, so it is a reader too) makes the write-only open
 * succeed at once and holds what is written until the container opens its read end; `release()`
 * (after the start, or when the start failed) closes the bridge. From then on this writer is the
 * FIFO's only writer: closing it (the client's EOF) gives the container EOF.
 */
export function openBridgedFifoWriter(path: string): { writer: Writable; release: () => void } {
  let bridge: number | undefined = openSync(path, constants.O_RDWR | constants.O_NONBLOCK);
  let s: Socket;
  try {
    s = new Socket({ fd: openSync(path, constants.O_WRONLY | constants.O_NONBLOCK), readable: false, writable: true });
  } catch (err) {
    closeSync(bridge);
    throw err;
  }
  s.on('error', () => undefined); // the reader went away: writes just stop
  const release = () => {
    if (bridge === undefined) return;
    closeSync(bridge);
    bridge = undefined;
  };
  const writer = new Writable({
    write(chunk: Buffer, _enc, cb) {
      if (s.destroyed) return cb();
      if (s.write(chunk)) cb();
      else s.once('drain', () => cb());
    },
    final(cb) {
      s.end(() => cb());
    },
    // not the bridge: a Writable destroys itself once finished, and a client whose input ended
    // before the start must still have it reach the container (the caller releases it)
    destroy(err, cb) {
      s.destroy();
      cb(err);
    },
  });
  return { writer, release };
}
