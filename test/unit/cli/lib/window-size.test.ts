// The client side of -t resizing: what reaches the daemon for each window change.
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { test } from 'node:test';
import { followWindow, type WindowSize } from '../../../../src/cli/lib/window-size.ts';

/** A terminal whose size the test changes, emitting 'resize' as Node's tty.WriteStream does. */
class FakeTty extends EventEmitter {
  rows = 20;
  columns = 70;
  resize(rows: number, cols: number): void {
    this.rows = rows;
    this.columns = cols;
    this.emit('resize');
  }
}

const settle = () => new Promise((r) => setImmediate(r));

test('a change before ready() is sent at ready(); none when the daemon has the size already', async () => {
  const tty = new FakeTty();
  const sent: WindowSize[] = [];
  const f = followWindow(tty, async (s) => void sent.push(s), { sent: { rows: 20, cols: 70 } });
  tty.resize(40, 120); // exec: before the exec id is known, the Resize could not be sent
  await settle();
  assert.deepEqual(sent, []);
  f.ready();
  await settle();
  assert.deepEqual(sent, [{ rows: 40, cols: 120 }]);
  tty.resize(40, 120);
  tty.emit('resize');
  await settle();
  assert.equal(sent.length, 1, 'the same size is not sent twice');
  f.stop();
  tty.resize(10, 10);
  await settle();
  assert.equal(sent.length, 1, 'nothing after stop()');

  const same: WindowSize[] = [];
  const g = followWindow(new FakeTty(), async (s) => void same.push(s), { sent: { rows: 20, cols: 70 } });
  g.ready();
  await settle();
  assert.deepEqual(same, [], 'unchanged since the request: nothing to send');
  const now: WindowSize[] = [];
  const h = followWindow(new FakeTty(), async (s) => void now.push(s));
  h.ready();
  await settle();
  assert.deepEqual(now, [{ rows: 20, cols: 70 }], 'attach: nothing sent up front, the size goes at once');
});

test('one Resize at a time, the latest size last; a failure is reported and the size sent again on the next change', async () => {
  const tty = new FakeTty();
  const log: string[] = [];
  const pending: Array<() => void> = [];
  let failNext = false;
  const errors: string[] = [];
  const f = followWindow(tty, (s) => {
    log.push(`${s.rows}x${s.cols}`);
    if (failNext) {
      failNext = false;
      return Promise.reject(new Error('exec has ended'));
    }
    return new Promise<void>((r) => pending.push(r));
  }, { onError: (err, s) => errors.push(`${s.rows}x${s.cols}: ${(err as Error).message}`) });
  f.ready(); // sends 20x70
  tty.resize(30, 90);
  tty.resize(40, 120);
  await settle();
  assert.deepEqual(log, ['20x70'], 'the others wait for the one in flight');
  pending.shift()?.();
  await settle();
  await settle();
  assert.deepEqual(log, ['20x70', '40x120'], '30x90 was superseded');
  pending.shift()?.();
  await settle();
  failNext = true;
  tty.resize(50, 150);
  await settle();
  await settle();
  assert.deepEqual(errors, ['50x150: exec has ended']);
  tty.emit('resize'); // same size, but the daemon never got it
  await settle();
  assert.deepEqual(log, ['20x70', '40x120', '50x150', '50x150']);
  pending.shift()?.();
  f.stop();
});
