// Healthcheck pieces without a runtime: probe argv, output cap, state transitions, the merge of an
// image HEALTHCHECK with --health-* flags, and the flags themselves.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { capOutput, nextHealth, probeArgs } from '../../../../src/services/containers/health.ts';
import { mergeConfig } from '../../../../src/services/containers/create.ts';
import { parseFlags } from '../../../../src/cli/flags.ts';
import { createFromFlags, RUN_FLAGS } from '../../../../src/cli/lib/create-flags.ts';
import type { ImageRecord } from '../../../../src/image/types.ts';
import type { HealthLogEntry, HealthState } from '../../../../src/services/containers/types.ts';

test('probe argv: CMD, CMD-SHELL, NONE and nothing', () => {
  assert.deepEqual(probeArgs({ Test: ['CMD', 'curl', '-f', 'x'] }), ['curl', '-f', 'x']);
  assert.deepEqual(probeArgs({ Test: ['CMD-SHELL', 'exit 1'] }), ['/bin/sh', '-c', 'exit 1']);
  assert.equal(probeArgs({ Test: ['NONE'] }), undefined);
  assert.equal(probeArgs({ Test: [] }), undefined);
  assert.equal(probeArgs(undefined), undefined);
});

test('output is capped at 4096 bytes ending in "..."', () => {
  assert.equal(capOutput(Buffer.from('short')), 'short');
  const exact = Buffer.alloc(4096, 'a');
  assert.equal(capOutput(exact), exact.toString());
  const cut = capOutput(Buffer.alloc(10_000, 'b'));
  assert.equal(Buffer.byteLength(cut), 4096);
  assert.ok(cut.endsWith('...'));
});

const entry = (code: number): HealthLogEntry => ({ Start: 's', End: 'e', ExitCode: code, Output: '' });
const starting: HealthState = { Status: 'starting', FailingStreak: 0, Log: [] };

test('transitions: success is healthy, retries failures are unhealthy, start period does not count, 5 log entries', () => {
  assert.equal(nextHealth(starting, entry(0), 3, false).Status, 'healthy');
  let s = starting;
  for (let i = 0; i < 2; i++) s = nextHealth(s, entry(1), 3, false);
  assert.deepEqual([s.Status, s.FailingStreak], ['starting', 2]);
  s = nextHealth(s, entry(1), 3, false);
  assert.deepEqual([s.Status, s.FailingStreak], ['unhealthy', 3]);
  for (let i = 0; i < 5; i++) s = nextHealth(s, entry(1), 3, false);
  assert.equal(s.Log.length, 5);
  s = nextHealth(s, entry(0), 3, false);
  assert.deepEqual([s.Status, s.FailingStreak], ['healthy', 0]);
  const inStart = nextHealth(starting, entry(1), 1, true);
  assert.deepEqual([inStart.Status, inStart.FailingStreak, inStart.Log.length], ['starting', 0, 1]);
  const healthyThenFail = nextHealth({ Status: 'healthy', FailingStreak: 0, Log: [] }, entry(1), 1, false);
  assert.equal(healthyThenFail.Status, 'unhealthy');
});

const image = (hc?: unknown): ImageRecord =>
  ({ id: 'f'.repeat(64), config: { config: { Cmd: ['sh'], ...(hc ? { Healthcheck: hc } : {}) } } }) as unknown as ImageRecord;

test('image HEALTHCHECK is kept, --health-* override it field by field, NONE disables it', () => {
  const img = image({ Test: ['CMD', 'check'], Interval: 5e9, Retries: 4 });
  assert.deepEqual(mergeConfig({}, img, 'x').Healthcheck, { Test: ['CMD', 'check'], Interval: 5e9, Retries: 4 });
  assert.deepEqual(mergeConfig({ Healthcheck: { Interval: 1e9 } }, img, 'x').Healthcheck, { Test: ['CMD', 'check'], Interval: 1e9, Retries: 4 });
  assert.equal(probeArgs(mergeConfig({ Healthcheck: { Test: ['NONE'] } }, img, 'x').Healthcheck), undefined);
  assert.equal(mergeConfig({}, image(), 'x').Healthcheck, undefined);
});

function parse(argv: string[]) {
  const f = parseFlags(RUN_FLAGS, argv, { stopAtFirstArg: true });
  return createFromFlags(f, f.args, () => '');
}

test('--health-* flags map to Config.Healthcheck in nanoseconds', () => {
  const c = parse(['--health-cmd', 'exit 0', '--health-interval', '2s', '--health-timeout', '500ms', '--health-start-period', '1m', '--health-retries', '5', '--health-exit-on-unhealthy', 'busybox']);
  assert.deepEqual(c.config.Healthcheck, { Test: ['CMD-SHELL', 'exit 0'], Interval: 2e9, Timeout: 5e8, StartPeriod: 6e10, Retries: 5, ExitOnUnhealthy: true });
  assert.deepEqual(parse(['--no-healthcheck', 'busybox']).config.Healthcheck, { Test: ['NONE'] });
  assert.equal(parse(['busybox']).config.Healthcheck, undefined);
  assert.throws(() => parse(['--no-healthcheck', '--health-cmd', 'true', 'busybox']), /conflicts/);
  assert.throws(() => parse(['--health-interval', 'soon', 'busybox']), /invalid/);
});
