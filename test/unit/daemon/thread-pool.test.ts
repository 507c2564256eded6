import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';

const MODULE = pathToFileURL(join(import.meta.dirname, '../../../src/daemon/thread-pool.ts')).href;

// A child Node sizes its pool the daemon's way, then reports its libuv worker threads (by name,
// from /proc) and what a process it spawns sees of UV_THREADPOOL_SIZE.
function run(env: Record<string, string>, size: boolean): { workers: number; childSees: string } {
  const script = `
    const { readdirSync, readFileSync } = await import('node:fs');
    const { execFileSync } = await import('node:child_process');
    ${size ? `const { sizeThreadPool } = await import(${JSON.stringify(MODULE)}); sizeThreadPool();` : ''}
    await (await import('node:fs/promises')).access('/'); // work queued: the pool runs by now
    await new Promise((r) => setTimeout(r, 50));
    const workers = readdirSync('/proc/self/task').filter((t) => readFileSync('/proc/self/task/' + t + '/comm', 'utf8').trim() === 'libuv-worker').length;
    const childSees = execFileSync('sh', ['-c', 'echo "\${UV_THREADPOOL_SIZE:-unset}"'], { encoding: 'utf8' }).trim();
    console.log(JSON.stringify({ workers, childSees }));
  `;
  const e: NodeJS.ProcessEnv = { ...process.env, ...env };
  if (env['UV_THREADPOOL_SIZE'] === undefined) delete e['UV_THREADPOOL_SIZE'];
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', env: e });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').at(-1) as string) as { workers: number; childSees: string };
}

test('a plain Node starts 4 pool threads (the check below means something)', () => {
  assert.equal(run({}, false).workers, 4);
});

test('sizeThreadPool starts 8 pool threads, and spawned tools do not inherit the variable', () => {
  assert.deepEqual(run({}, true), { workers: 8, childSees: 'unset' });
});

test("an operator's UV_THREADPOOL_SIZE wins", () => {
  assert.deepEqual(run({ UV_THREADPOOL_SIZE: '3' }, true), { workers: 3, childSees: '3' });
});
