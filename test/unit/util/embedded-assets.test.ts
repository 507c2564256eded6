import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { devAssetDir, readEmbeddedAsset } from '../../../src/util/embedded-assets.ts';

// Not a SEA here, so assets come from the dev directory; ISULA_ASSET_DIR points it at a temp dir.
function withAssetDir(fn: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'isula-assets-'));
  const saved = process.env['ISULA_ASSET_DIR'];
  process.env['ISULA_ASSET_DIR'] = dir;
  try {
    fn(dir);
  } finally {
    if (saved === undefined) delete process.env['ISULA_ASSET_DIR'];
    else process.env['ISULA_ASSET_DIR'] = saved;
    rmSync(dir, { recursive: true, force: true });
  }
}

test('reads an asset from ISULA_ASSET_DIR in a dev run', () => {
  withAssetDir((dir) => {
    writeFileSync(join(dir, 'busybox.tar'), Buffer.from([1, 2, 3, 0, 255]));
    assert.equal(devAssetDir(), dir);
    assert.deepEqual(readEmbeddedAsset('busybox.tar'), Buffer.from([1, 2, 3, 0, 255]));
  });
});

test('a missing asset is undefined, not an error', () => {
  withAssetDir(() => assert.equal(readEmbeddedAsset('busybox.tar'), undefined));
});

test('without ISULA_ASSET_DIR the dev dir is assets/ beside the running script', () => {
  const saved = process.env['ISULA_ASSET_DIR'];
  delete process.env['ISULA_ASSET_DIR'];
  try {
    assert.equal(devAssetDir(), join(process.argv[1] ? join(process.argv[1], '..') : process.cwd(), 'assets'));
  } finally {
    if (saved !== undefined) process.env['ISULA_ASSET_DIR'] = saved;
  }
});

test('names that are paths are refused', () => {
  for (const bad of ['', '.', '..', '../etc/passwd', 'a/b']) {
    assert.throws(() => readEmbeddedAsset(bad), (e: unknown) => (e as { kind?: string }).kind === 'invalid-argument');
  }
});
