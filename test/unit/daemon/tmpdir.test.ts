import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tmpBase } from '../../../src/daemon/tmpdir.ts';

test('tmpBase: ISULAD_TMPDIR unless unset, empty or /tmp (iSulad), normalised', () => {
  assert.equal(tmpBase(undefined, '/var/lib/isulad'), '/var/lib/isulad');
  assert.equal(tmpBase('', '/g'), '/g');
  assert.equal(tmpBase('/tmp', '/g'), '/g');
  assert.equal(tmpBase('/var/isula/tmp/', '/g'), '/var/isula/tmp/');
  assert.equal(tmpBase('/var//isula/./tmpdir', '/g'), '/var/isula/tmpdir');
});
