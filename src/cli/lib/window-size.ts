// -t on a terminal (exec, run, attach): the daemon's window size follows ours. Each change
// (SIGWINCH, seen as 'resize' on stdout) is sent with one Resize, one at a time and always the
// latest size. A change before ready() (exec: its id is not known yet; run: the container is not
// started yet) is not dropped: ready() sends the size then current when the daemon does not have
// it already. The kernel sends SIGWINCH once per change, so a lost one was never sent again.
// A Resize that fails is sent again on the next change; onError says why (isula -D).
import { coalesceLatest } from '../../util/coalesce-latest.ts';
import { messageOf } from '../../util/errors.ts';
import type { CommandContext } from '../command.ts';

export interface WindowSize {
  rows: number;
  cols: number;
}

/** What is used of the client's terminal (process.stdout, a tty.WriteStream). */
export interface Terminal {
  readonly rows: number;
  readonly columns: number;
  on(event: 'resize', listener: () => void): unknown;
  removeListener(event: 'resize', listener: () => void): unknown;
}

export interface WindowFollower {
  /** the daemon can take a Resize now: the current size goes out if it is not the one it has */
  ready(): void;
  stop(): void;
}

export interface FollowOptions {
  /** the size the daemon already has (sent up front with the request) */
  sent?: WindowSize;
  onError?: (err: unknown, size: WindowSize) => void;
}

/** Sizes of `tty` go to `send` from ready() on; stop() ends it. */
export function followWindow(tty: Terminal, send: (size: WindowSize) => Promise<unknown>, o: FollowOptions = {}): WindowFollower {
  // the last size asked for: sent, being sent or queued (undefined after a failure, so the next
  // change is sent whatever it is)
  let asked = o.sent;
  let live = false;
  const push = coalesceLatest(async (size: WindowSize) => {
    await send(size);
  });
  const check = () => {
    if (!live) return;
    const size = { rows: tty.rows, cols: tty.columns };
    if (asked !== undefined && asked.rows === size.rows && asked.cols === size.cols) return;
    asked = size;
    push(size).catch((err: unknown) => {
      if (asked === size) asked = undefined;
      o.onError?.(err, size);
    });
  };
  tty.on('resize', check);
  return {
    ready() {
      live = true;
      check();
    },
    stop() {
      live = false;
      tty.removeListener('resize', check);
    },
  };
}

/**
 * onError for a command: a failed Resize is said under -D only (the process keeps the size it
 * has, and the daemon logs why); a terminal session is not interrupted for it.
 */
export function resizeErrorReporter(ctx: Pick<CommandContext, 'globals' | 'err'>): FollowOptions['onError'] {
  if (!ctx.globals.debug) return undefined;
  return (err, size) => ctx.err(`Failed to resize the terminal to ${size.rows}x${size.cols}: ${messageOf(err)}\n`);
}
