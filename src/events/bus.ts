// The event bus (iSulad's events module): services publish domain events after their store
// commit; `isula events`, logging and metrics subscribe. A ring keeps the last 64 events
// (iSulad's EVENTSLIMIT) for --since replay. Publishing with nobody subscribed costs one slot
// write in a preallocated ring: no per-subscriber work, no queues, no timers.

export type EventType = 'container' | 'image';

export interface EngineEvent {
  type: EventType;
  /** iSulad's action names: create, start, die, stop, pull, remove, ... */
  action: string;
  /** container id, or image name for image events */
  id: string;
  /** name=, image=, exitCode=, pid= and the container's labels */
  attributes: Record<string, string>;
  /** nanoseconds since the epoch; strictly increasing within one bus */
  time: bigint;
}

export type EventInput = Omit<EngineEvent, 'time'> & { time?: bigint };

export interface SubscribeOptions {
  /** replay ring events at or after this time (ns) before live ones */
  since?: bigint;
  /** end the stream once an event after this time would be delivered, or when it passes */
  until?: bigint;
  filter?: (e: EngineEvent) => boolean;
  signal?: AbortSignal;
  /** live events queued for a slow reader before it is cut off (default 1024) */
  maxQueue?: number;
}

export interface EventBus {
  publish(e: EventInput): EngineEvent;
  /** the ring's events, oldest first */
  recent(): EngineEvent[];
  subscribe(opts?: SubscribeOptions): AsyncIterableIterator<EngineEvent>;
  readonly subscriberCount: number;
  /** ends every subscription; later publishes are still recorded in the ring */
  close(): void;
}

export const EVENTS_LIMIT = 64;

export class SlowSubscriberError extends Error {
  constructor() {
    super('event subscriber too slow: events dropped');
    this.name = 'SlowSubscriberError';
  }
}

interface Sub {
  push(e: EngineEvent): void;
  end(err?: Error): void;
}

export function createEventBus(now: () => bigint = () => BigInt(Date.now()) * 1_000_000n): EventBus {
  const ring: Array<EngineEvent | undefined> = new Array(EVENTS_LIMIT);
  let head = 0; // next slot
  let count = 0;
  let last = 0n;
  const subs = new Set<Sub>();

  const recent = (): EngineEvent[] => {
    const out: EngineEvent[] = [];
    for (let i = 0; i < count; i++) out.push(ring[(head - count + i + EVENTS_LIMIT) % EVENTS_LIMIT] as EngineEvent);
    return out;
  };

  return {
    publish(input) {
      let t = input.time ?? now();
      if (t <= last) t = last + 1n;
      last = t;
      const e: EngineEvent = { type: input.type, action: input.action, id: input.id, attributes: input.attributes, time: t };
      ring[head] = e;
      head = (head + 1) % EVENTS_LIMIT;
      if (count < EVENTS_LIMIT) count++;
      if (subs.size > 0) for (const s of subs) s.push(e);
      return e;
    },
    recent,
    get subscriberCount() {
      return subs.size;
    },
    subscribe(opts = {}) {
      return subscription(opts, recent, subs, now);
    },
    close() {
      for (const s of [...subs]) s.end();
    },
  };
}

function subscription(
  opts: SubscribeOptions,
  recent: () => EngineEvent[],
  subs: Set<Sub>,
  now: () => bigint,
): AsyncIterableIterator<EngineEvent> {
  const { since, until, filter, signal } = opts;
  const maxQueue = opts.maxQueue ?? 1024;
  const queue: EngineEvent[] = [];
  let done = false;
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  let timer: NodeJS.Timeout | undefined;

  const wanted = (e: EngineEvent) => (since === undefined || e.time >= since) && (filter === undefined || filter(e));
  const finish = (err?: Error) => {
    if (done) return;
    done = true;
    failure = err;
    subs.delete(sub);
    if (timer) clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
    wake?.();
  };
  const sub: Sub = {
    push(e) {
      if (done) return;
      if (until !== undefined && e.time > until) return finish();
      if (!wanted(e)) return;
      if (queue.length >= maxQueue) return finish(new SlowSubscriberError());
      queue.push(e);
      wake?.();
    },
    end: (err) => finish(err),
  };
  const onAbort = () => finish();

  // Replay (only when --since was given) then go live: both happen synchronously, so nothing
  // published in between is lost or seen twice.
  if (since !== undefined) {
    for (const e of recent()) {
      if (until !== undefined && e.time > until) break;
      if (wanted(e)) queue.push(e);
    }
  }
  if (signal?.aborted) {
    done = true;
  } else if (until !== undefined && until <= now()) {
    done = true; // only history was asked for
  } else {
    subs.add(sub);
    signal?.addEventListener('abort', onAbort, { once: true });
    if (until !== undefined) {
      const ms = Number((until - now()) / 1_000_000n) + 1;
      timer = setTimeout(() => finish(), Math.min(ms, 2 ** 31 - 1));
      timer.unref();
    }
  }

  const it: AsyncIterableIterator<EngineEvent> = {
    async next() {
      for (;;) {
        const e = queue.shift();
        if (e) return { value: e, done: false };
        if (done) {
          if (failure) {
            const f = failure;
            failure = undefined;
            throw f;
          }
          return { value: undefined, done: true };
        }
        await new Promise<void>((r) => (wake = r));
        wake = undefined;
      }
    },
    async return() {
      finish();
      queue.length = 0;
      return { value: undefined, done: true };
    },
    [Symbol.asyncIterator]() {
      return it;
    },
  };
  return it;
}
