// A writer into a FIFO that never blocks the process: open(O_WRONLY) of a FIFO nobody reads waits
// in a libuv worker until a reader comes, and a daemon with such a worker logged "iSulad stopped"
// on SIGTERM and did not exit (iSulad CI attach.sh: an attach with stdin to a container that had
// just stopped, whose reader never comes). Here the open is O_NONBLOCK, which fails at once
// (ENXIO) without a reader: it is retried from a timer (the writer may be opened before the
// container starts, `run -i`), up to `waitMs`; what is written meanwhile waits. Once open, the fd
// is an event-loop pipe: writes wait in the loop, not in a worker. With no reader in time, input
// is dropped.
import { constants, openSync } from 'node:fs';
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
