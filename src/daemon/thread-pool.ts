// The size of libuv's thread pool (file I/O, zlib, crypto work of the daemon). libuv reads
// UV_THREADPOOL_SIZE once, when the first piece of work is queued, and starts that many threads
// (default 4). A pull extracts three layers at once, each a chain of pool round trips (reads of the
// partial blob, inflate, writev, open/futimes/close): on a busy 2-core device a chain waits for the
// scheduler between its steps, and with 8 threads a 100 MB / 5-layer pull took 4.25 s instead of
// 6.24 s at load 17-19, with less CPU (1.49 s against 1.61 s) and no more RSS growth (docs/registry.md,
// session 8). An idle thread costs a stack that is barely touched.
//
// Set for our own process only: the variable is put in the environment, the pool started with a
// no-op, and the variable taken away again, so the tools the daemon spawns do not inherit it. An
// operator's own UV_THREADPOOL_SIZE wins.
import { access } from 'node:fs';

export const DAEMON_THREAD_POOL = 8;

/** Starts libuv's pool with DAEMON_THREAD_POOL threads unless the environment names a size. */
export function sizeThreadPool(): void {
  if (process.env['UV_THREADPOOL_SIZE'] !== undefined) return;
  process.env['UV_THREADPOOL_SIZE'] = String(DAEMON_THREAD_POOL);
  try {
    access('/', () => undefined); // queued work: the pool starts now, reading the variable
  } finally {
    delete process.env['UV_THREADPOOL_SIZE'];
  }
}
