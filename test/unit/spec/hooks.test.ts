// --hook-spec files: each hook path checked with iSulad's messages (hook_spec_test.sh).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readHookSpec } from '../../../src/spec/hooks.ts';

test('readHookSpec: hooks kept, a missing path and a non-executable one refused with iSulad\'s words', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hookspec-'));
  try {
    const spec = (v: unknown) => {
      const f = join(dir, 'spec.json');
      writeFileSync(f, JSON.stringify(v));
      return f;
    };
    const hooks = await readHookSpec(spec({ prestart: [{ path: '/bin/sh', args: ['sh', '-c', 'true'], env: ['A=b'], timeout: 5 }], poststop: [] }));
    assert.deepEqual(hooks, { prestart: [{ path: '/bin/sh', args: ['sh', '-c', 'true'], env: ['A=b'], timeout: 5 }], poststop: [] });
    await assert.rejects(readHookSpec(spec({ prestart: [{ path: join(dir, 'none') }] })), /Cann't find path: /);
    const plain = join(dir, 'plain');
    writeFileSync(plain, 'not a program', { mode: 0o644 });
    // a file that exists but cannot be run: EACCES's words, which make isula run exit 126
    await assert.rejects(readHookSpec(spec({ prestart: [{ path: plain }] })), /Permission denied/);
    await assert.rejects(readHookSpec(spec({ poststart: [{ path: 'relative' }] })), /relative is not an absolute path/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
