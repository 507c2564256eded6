import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';

const MODULE = pathToFileURL(join(import.meta.dirname, '../../../src/daemon/v8-tiers.ts')).href;

// A hot loop in a child Node with the executable's own flags; --trace-opt names each tier a
// function was compiled for. The flag is set at run time, so this checks that V8 honours it then.
function tiersReached(cap: boolean): string {
  const script = `
    ${cap ? `const { capOptimisation } = await import(${JSON.stringify(MODULE)}); capOptimisation();` : ''}
    function hot(n) { let s = 0; for (let i = 0; i < n; i++) s = (s + i * i) % 1000003; return s; }
    let t = 0;
    for (let k = 0; k < 3000; k++) t += hot(2000);
    console.log('sum', t);
  `;
  const r = spawnSync(process.execPath, ['--max-semi-space-size=1', '--single-threaded', '--trace-opt', '--input-type=module', '-e', script], {
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /sum \d+/);
  return r.stdout.split('\n').filter((l) => l.includes('completed') && l.includes('hot')).join('\n');
}

test('without the cap the hot function reaches TurboFan (the check below means something)', () => {
  assert.match(tiersReached(false), /TURBOFAN/);
});

test('capOptimisation set at run time keeps functions at Maglev', () => {
  const out = tiersReached(true);
  assert.match(out, /target MAGLEV/);
  assert.doesNotMatch(out, /TURBOFAN/);
});
