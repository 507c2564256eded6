import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { readExitFile, readPidFile, writeAtomic } from '../../../src/runtime/state-files.ts';

test('exit file: code, mtime as finishedAt, torn/empty file is -1', async () => {
  const d = mkdtempSync(join(tmpdir(), 'lcr-sf-'));
  try {
    const p = join(d, 'exit');
    const cases: Array<[string, number]> = [['3\n', 3], ['137\n', 137], ['-1\n', -1], ['', -1], ['garbage', -1], ['0\n', 0]];
    for (const [text, want] of cases) {
      writeFileSync(p, text);
      assert.equal((await readExitFile(p))?.exitCode, want, JSON.stringify(text));
    }
    utimesSync(p, new Date('2026-01-02T03:04:05.678Z'), new Date('2026-01-02T03:04:05.678Z'));
    const at = (await readExitFile(p))!.finishedAt;
    assert.match(at, /^2026-01-02T03:04:05\.\d{9}Z$/);
    assert.ok(Math.abs(Date.parse(at) - Date.parse('2026-01-02T03:04:05.678Z')) <= 1, at);
    assert.equal(await readExitFile(join(d, 'none')), undefined);
    await writeAtomic(join(d, 'pid'), '123 456\n');
    assert.deepEqual(await readPidFile(join(d, 'pid')), { pid: 123, startTime: '456' });
  } finally {
    rmSync(d, { recursive: true, force: true });
  }
});
