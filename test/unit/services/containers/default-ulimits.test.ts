// The mark of the daemon's default ulimits a container's runtime state was built with.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtDefaultUlimits, defaultUlimitsKey, markDefaultUlimits } from '../../../../src/services/containers/default-ulimits.ts';

test('defaultUlimitsKey: by name, in order; none is empty', () => {
  assert.equal(defaultUlimitsKey({ nproc: { Name: 'nproc', Soft: 2048, Hard: 8192 }, nofile: { Name: 'nofile', Soft: 1024, Hard: 4096 } }), 'nofile=1024:4096,nproc=2048:8192');
  assert.equal(defaultUlimitsKey({}), '');
  assert.equal(defaultUlimitsKey(undefined), '');
});

test('the mark: written for defaults, removed for none, empty when absent', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'ulimit-mark-'));
  try {
    assert.equal(await builtDefaultUlimits(dir), '');
    await markDefaultUlimits(dir, 'nofile=1024:4096');
    assert.equal(await builtDefaultUlimits(dir), 'nofile=1024:4096');
    await markDefaultUlimits(dir, '');
    assert.equal(await builtDefaultUlimits(dir), '');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
