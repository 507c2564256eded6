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

test('without ISULA_ASSET_DIR: assets/ beside the script, else beside the executable', () => {
  const saved = process.env['ISULA_ASSET_DIR'];
  delete process.env['ISULA_ASSET_DIR'];
  try {
    // The test runner's argv[1] is a .ts file, like dist/isula.cjs in a dev run.
    assert.match(process.argv[1] ?? '', /\.ts$/);
    assert.equal(devAssetDir(), join(process.argv[1]!, '..', 'assets'));
    const savedArgv1 = process.argv[1];
    process.argv[1] = 'isula'; // a SEA started through PATH: argv[1] is the bare command name
    try {
      assert.equal(devAssetDir(), join(process.execPath, '..', 'assets'));
    } finally {
      process.argv[1] = savedArgv1!;
    }
  } finally {
    if (saved !== undefined) process.env['ISULA_ASSET_DIR'] = saved;
  }
});

test('names that are paths are refused', () => {
  for (const bad of ['', '.', '..', '../etc/passwd', 'a/b']) {
    assert.throws(() => readEmbeddedAsset(bad), (e: unknown) => (e as { kind?: string }).kind === 'invalid-argument');
  }
});
