// The mount-point check of the containers' overlay dirs (container-layers.ts isMountPoint) agrees
// with /proc/self/mountinfo for what the host has: a mount of another device, a plain directory,
// a missing path.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isMountPoint, mountPoints } from '../../../src/storage/overlay/container-layers.ts';

test('isMountPoint: /proc is one, a fresh directory is not, a missing path is not', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mount-point-'));
  try {
    const known = await mountPoints();
    assert.equal(known.has('/proc'), true);
    assert.equal(await isMountPoint('/proc'), true);
    assert.equal(known.has(dir), false);
    assert.equal(await isMountPoint(dir), false);
    assert.equal(await isMountPoint(join(dir, 'missing')), false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
