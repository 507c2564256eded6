// lcr's poststart hooks (run by the driver): a hook is over when it exits, whatever it left behind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runHook } from '../../../../src/runtime/lcr/hooks.ts';

test('runHook: resolves on the hook\'s exit although a child it left holds its stderr; state on stdin, own env', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lcr-hook-'));
  let child = 0;
  try {
    const script = join(dir, 'hook.sh');
    // the background child inherits stderr and outlives the hook by far
    writeFileSync(script, `#!/bin/sh\ncat > ${dir}/state\necho "$AAA" > ${dir}/env\nsleep 300 &\necho $! > ${dir}/child\necho bad >&2\nexit 3\n`, { mode: 0o755 });
    const r = await runHook({ path: script, args: ['hook.sh'], env: ['AAA=bbb', 'PATH=/usr/bin:/bin'] }, '{"id":"c1"}');
    child = Number(readFileSync(join(dir, 'child'), 'utf8'));
    assert.equal(r.code, 3);
    assert.equal(readFileSync(join(dir, 'state'), 'utf8'), '{"id":"c1"}');
    assert.equal(readFileSync(join(dir, 'env'), 'utf8'), 'bbb\n');
    // the child is still there: the hook's end did not wait for it
    assert.doesNotThrow(() => process.kill(child, 0));
  } finally {
    if (child > 0) process.kill(child, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});
