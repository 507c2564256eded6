import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readlinkSync, rmSync, symlinkSync, writeFileSync, lstatSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureMtabLink } from '../../../../src/services/containers/mtab.ts';

function withRoot(fn: (root: string) => Promise<void>): () => Promise<void> {
  return async () => {
    const root = mkdtempSync(join(tmpdir(), 'mtab-'));
    try {
      await fn(root);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  };
}

test('ensureMtabLink: an image without /etc/mtab gets a link to /proc/mounts', withRoot(async (root) => {
  mkdirSync(join(root, 'etc'));
  await ensureMtabLink(root);
  assert.equal(readlinkSync(join(root, 'etc/mtab')), '/proc/mounts');
  await ensureMtabLink(root); // again (every start): unchanged, no error
  assert.equal(readlinkSync(join(root, 'etc/mtab')), '/proc/mounts');
}));

test('ensureMtabLink: no /etc at all: made, then the link', withRoot(async (root) => {
  await ensureMtabLink(root);
  assert.ok(lstatSync(join(root, 'etc')).isDirectory());
  assert.equal(readlinkSync(join(root, 'etc/mtab')), '/proc/mounts');
}));

test('ensureMtabLink: the image\'s own /etc/mtab (a file, or a dangling link) is kept', withRoot(async (root) => {
  mkdirSync(join(root, 'etc'));
  writeFileSync(join(root, 'etc/mtab'), 'own\n');
  await ensureMtabLink(root);
  assert.ok(lstatSync(join(root, 'etc/mtab')).isFile());
  rmSync(join(root, 'etc/mtab'));
  symlinkSync('/nowhere', join(root, 'etc/mtab'));
  await ensureMtabLink(root);
  assert.equal(readlinkSync(join(root, 'etc/mtab')), '/nowhere');
}));

test('ensureMtabLink: an /etc link is followed inside the rootfs, never to the host', withRoot(async (root) => {
  mkdirSync(join(root, 'real-etc'));
  // absolute target: inside the rootfs it means <root>/real-etc, not the host's /real-etc
  symlinkSync('/real-etc', join(root, 'etc'));
  await ensureMtabLink(root);
  assert.equal(readlinkSync(join(root, 'real-etc/mtab')), '/proc/mounts');
  assert.equal(existsSync('/real-etc'), false);
}));
