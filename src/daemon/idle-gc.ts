// Gives memory back once a burst of work is over. V8 lets the old generation grow until its next
// limit before a full collection, and its memory reducer never starts in this daemon: after 300
// `isula run --rm` the idle heap held 25 MB of which ~8 MB were live, RssAnon stayed there for
// minutes, and one forced full GC took it from 46 to 37 MB (docs/performance.md). So: every
// CHECK_MS, if the event loop was nearly idle over the last period and the heap has grown by
// GROW_BYTES since the last collection, collect once (a few ms on a heap this size) and release
// the freed pages. A daemon that stays busy or that did not grow is left alone.

import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { log } from '../util/log.ts';

export interface IdleGcOptions {
  /** how often the loop's utilisation and the heap are looked at */
  checkMs?: number;
  /** event-loop utilisation (0..1) over the last period below which the daemon counts as idle */
  idleBelow?: number;
  /** heap growth since the last collection that makes one worth doing */
  growBytes?: number;
}

export interface IdleGc {
  /** collections done so far */
  readonly count: number;
  stop(): void;
}

type GcFn = (opts?: { type?: 'major' | 'minor'; execution?: 'sync' | 'async'; flavor?: 'regular' | 'last-resort' }) => void;

let gcFn: GcFn | undefined;

/**
 * V8's gc() without --expose-gc on the command line (the executable's flags are shared with the
 * CLI face): the flag is turned on, a fresh context gets the function, the flag goes back off so
 * no later context (vm sandboxes) sees a global `gc`.
 */
function getGc(): GcFn | undefined {
  if (gcFn) return gcFn;
  try {
    setFlagsFromString('--expose-gc');
    const f = runInNewContext('gc') as unknown;
    setFlagsFromString('--no-expose-gc');
    if (typeof f === 'function') gcFn = f as GcFn;
  } catch (e) {
    log.debug(`idle gc unavailable: ${String(e)}`);
  }
  return gcFn;
}

export function startIdleGc(opts: IdleGcOptions = {}): IdleGc {
  const checkMs = opts.checkMs ?? 10_000;
  const idleBelow = opts.idleBelow ?? 0.02;
  const growBytes = opts.growBytes ?? 2 << 20;
  const gc = getGc();
  let count = 0;
  let baseline = getHeapStatistics().total_heap_size;
  let lastElu: EventLoopUtilization = performance.eventLoopUtilization();
  const timer = gc
    ? setInterval(() => {
        const now = performance.eventLoopUtilization();
        const busy = performance.eventLoopUtilization(now, lastElu).utilization;
        lastElu = now;
        const total = getHeapStatistics().total_heap_size;
        if (busy >= idleBelow) return;
        if (total < baseline + growBytes) {
          // the heap shrank by itself (or never grew): follow it down
          if (total < baseline) baseline = total;
          return;
        }
        const t0 = performance.now();
        gc({ type: 'major', execution: 'sync', flavor: 'last-resort' });
        count++;
        baseline = getHeapStatistics().total_heap_size;
        log.debug(`idle gc: heap ${(total / 1048576).toFixed(1)} -> ${(baseline / 1048576).toFixed(1)} MiB in ${(performance.now() - t0).toFixed(1)} ms`);
        // the collection itself must not count as activity in the next period
        lastElu = performance.eventLoopUtilization();
      }, checkMs)
    : undefined;
  timer?.unref();
  return {
    get count() {
      return count;
    },
    stop: () => clearInterval(timer),
  };
}
