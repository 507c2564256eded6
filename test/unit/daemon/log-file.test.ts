import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openLogFile } from '../../../src/daemon/log-file.ts';

test('rotates at max-size and keeps max-file files', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'logfile-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const lf = openLogFile({ dir, mode: 0o600, maxSize: 100, maxFiles: 3 });
  for (let i = 0; i < 20; i++) lf.sink(`line ${String(i).padStart(2, '0')} ${'x'.repeat(30)}\n`);
  lf.close();
  assert.deepEqual((await readdir(dir)).sort(), ['isulad.log', 'isulad.log.1', 'isulad.log.2']);
  for (const f of ['isulad.log', 'isulad.log.1', 'isulad.log.2']) assert.ok((await stat(join(dir, f))).size <= 100);
  assert.match(await readFile(join(dir, 'isulad.log'), 'utf8'), /line 19/);
  assert.match(await readFile(join(dir, 'isulad.log.1'), 'utf8'), /line 1[5-7]/);
  assert.equal((await stat(join(dir, 'isulad.log'))).mode & 0o777, 0o600);
  lf.sink('after close is ignored\n');
});

test('max-file 1 keeps only the live file', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'logfile-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const lf = openLogFile({ dir, mode: 0o600, maxSize: 50, maxFiles: 1 });
  for (let i = 0; i < 10; i++) lf.sink(`${i} ${'y'.repeat(20)}\n`);
  lf.close();
  assert.deepEqual(await readdir(dir), ['isulad.log']);
});
