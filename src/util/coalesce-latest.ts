// Applies the latest of a series of values, one application at a time. Made for a terminal's
// window size: two resizes in flight can land in either order, so the older could win; values
// asked for while one is being applied collapse into the newest. Each call resolves once its
// value, or a newer one, has been applied, and rejects when that application failed (the next
// call tries again).
export function coalesceLatest<T>(apply: (v: T) => Promise<void>): (v: T) => Promise<void> {
  let latest: T;
  let running: Promise<void> | undefined;
  let queued: Promise<void> | undefined;
  const start = (): Promise<void> => {
    const v = latest;
    const p: Promise<void> = (async () => apply(v))().finally(() => {
      if (running === p) running = undefined;
    });
    running = p;
    return p;
  };
  return (v) => {
    latest = v;
    if (queued) return queued;
    if (!running) return start();
    const ignore = () => undefined;
    queued = running.then(ignore, ignore).then(() => {
      queued = undefined;
      return start();
    });
    return queued;
  };
}
