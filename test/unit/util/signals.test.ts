import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSignal, signalName } from '../../../src/util/signals.ts';

const cases: Array<[string, number | undefined]> = [
  ['TERM', 15], ['SIGTERM', 15], ['sigkill', 9], ['9', 9], ['RTMIN', 34], ['RTMIN+3', 37], ['RTMAX-1', 63], ['0', undefined], ['65', undefined], ['SIGNOPE', undefined],
];
for (const [s, want] of cases) test(`parseSignal ${s}`, () => assert.equal(parseSignal(s), want));
test('signalName', () => {
  assert.equal(signalName(15), 'SIGTERM');
  assert.equal(signalName(40), '40');
});
