// Pull/push progress: plain lines (one per layer status change) off a terminal, bars redrawn in
// place on one.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { progressDisplay } from '../../../../src/cli/lib/registry-progress.ts';
import type { CommandContext } from '../../../../src/cli/command.ts';

function ctxCapturing(): { ctx: CommandContext; text: () => string } {
  let err = '';
  const ctx = { err: (t: string) => (err += t), out: () => {} } as unknown as CommandContext;
  return { ctx, text: () => err };
}

const L1 = `sha256:${'1'.repeat(64)}`;
const L2 = `sha256:${'2'.repeat(64)}`;

test('plain: one line per status change, byte counts do not repeat lines', () => {
  const { ctx, text } = ctxCapturing();
  const p = progressDisplay(ctx, false);
  p.update({ status: 'exists', layer: L1, current: 0, total: 0 });
  p.update({ status: 'downloading', layer: L2, current: 0, total: 100 });
  p.update({ status: 'downloading', layer: L2, current: 50, total: 100 });
  p.update({ status: 'extracting', layer: L2, current: 0, total: 0 });
  p.update({ status: 'done', layer: L2, current: 0, total: 0 });
  p.done();
  assert.equal(text(), '111111111111: Already exists\n222222222222: Downloading\n222222222222: Extracting\n222222222222: Pull complete\n');
});

test('terminal: one bar per layer, redrawn with cursor-up', () => {
  const { ctx, text } = ctxCapturing();
  const p = progressDisplay(ctx, true);
  p.update({ status: 'waiting', layer: L1, current: 0, total: 0 });
  p.update({ status: 'waiting', layer: L2, current: 0, total: 0 });
  p.update({ status: 'done', layer: L1, current: 0, total: 0 });
  p.done();
  const out = text();
  assert.match(out, /\x1b\[2A/, 'moves up over the two layer lines to redraw');
  assert.match(out, /111111111111: Pull complete\n\r\x1b\[K222222222222: Waiting\n$/);
});
