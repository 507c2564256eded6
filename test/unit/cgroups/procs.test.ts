import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseProcs } from '../../../src/cgroups/procs.ts';

test('parseProcs: one pid a line, blanks and junk ignored', () => {
  assert.deepEqual(parseProcs('12\n345\n\n 7 \nx\n0\n'), [12, 345, 7]);
});
