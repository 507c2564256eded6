import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createEventBus, EVENTS_LIMIT, SlowSubscriberError, type EngineEvent } from '../../../src/events/bus.ts';

function clock(start = 1_000n) {
  let t = start;
  return { now: () => t, set: (v: bigint) => (t = v) };
}
const ev = (action: string, id = 'c1') => ({ type: 'container' as const, action, id, attributes: {} });

async function take(it: AsyncIterableIterator<EngineEvent>, n: number): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const r = await it.next();
    if (r.done) break;
    out.push(r.value.action);
  }
  return out;
}

test('the ring keeps the last 64 events, oldest first, with strictly increasing times', () => {
  const c = clock();
  const bus = createEventBus(c.now);
  for (let i = 0; i < 100; i++) bus.publish(ev(`a${i}`));
  const recent = bus.recent();
  assert.equal(recent.length, EVENTS_LIMIT);
  assert.equal(recent[0]?.action, 'a36');
  assert.equal(recent.at(-1)?.action, 'a99');
  for (let i = 1; i < recent.length; i++) assert.ok((recent[i] as EngineEvent).time > (recent[i - 1] as EngineEvent).time);
});

test('live subscribers get events published after they subscribed', async () => {
  const bus = createEventBus(clock().now);
  bus.publish(ev('old'));
  const it = bus.subscribe();
  bus.publish(ev('create'));
  bus.publish(ev('start'));
  assert.deepEqual(await take(it, 2), ['create', 'start']);
  await it.return?.();
  assert.equal(bus.subscriberCount, 0);
});

test('--since replays the ring from that time, then goes live', async () => {
  const c = clock();
  const bus = createEventBus(c.now);
  c.set(10n); bus.publish(ev('a'));
  c.set(20n); bus.publish(ev('b'));
  c.set(30n); bus.publish(ev('c'));
  const it = bus.subscribe({ since: 20n });
  bus.publish(ev('d'));
  assert.deepEqual(await take(it, 3), ['b', 'c', 'd']);
  await it.return?.();
});

test('--until in the past replays history and ends', async () => {
  const c = clock();
  const bus = createEventBus(c.now);
  c.set(10n); bus.publish(ev('a'));
  c.set(20n); bus.publish(ev('b'));
  c.set(30n);
  const it = bus.subscribe({ since: 0n, until: 15n });
  assert.deepEqual(await take(it, 5), ['a']);
  assert.equal(bus.subscriberCount, 0);
});

test('a live event after --until ends the stream', async () => {
  const c = clock(100n);
  const bus = createEventBus(c.now);
  const it = bus.subscribe({ until: 200n });
  c.set(150n); bus.publish(ev('in'));
  c.set(250n); bus.publish(ev('out'));
  assert.deepEqual(await take(it, 5), ['in']);
  assert.equal(bus.subscriberCount, 0);
});

test('--until in the future ends by itself when the time comes', async () => {
  const bus = createEventBus();
  const until = BigInt(Date.now() + 50) * 1_000_000n;
  const it = bus.subscribe({ until });
  const r = await it.next();
  assert.equal(r.done, true);
});

test('filters and abort', async () => {
  const bus = createEventBus(clock().now);
  const ac = new AbortController();
  const it = bus.subscribe({ filter: (e) => e.id === 'web', signal: ac.signal });
  bus.publish(ev('create', 'db'));
  bus.publish(ev('create', 'web'));
  assert.deepEqual(await take(it, 1), ['create']);
  const pending = it.next();
  ac.abort();
  assert.equal((await pending).done, true);
  assert.equal(bus.subscriberCount, 0);
});

test('a subscriber that does not read is cut off, others are unaffected', async () => {
  const bus = createEventBus(clock().now);
  const slow = bus.subscribe({ maxQueue: 3 });
  const fast = bus.subscribe();
  for (let i = 0; i < 5; i++) bus.publish(ev(`e${i}`));
  assert.deepEqual(await take(fast, 5), ['e0', 'e1', 'e2', 'e3', 'e4']);
  assert.deepEqual(await take(slow, 3), ['e0', 'e1', 'e2']);
  await assert.rejects(slow.next(), SlowSubscriberError);
  assert.equal(bus.subscriberCount, 1);
});

test('close ends every subscription', async () => {
  const bus = createEventBus(clock().now);
  const it = bus.subscribe();
  const p = it.next();
  bus.close();
  assert.equal((await p).done, true);
});
