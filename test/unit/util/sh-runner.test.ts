// The long-lived shell that runs mount/umount for the daemon (util/sh-runner.ts): exit status and
// stderr come back to the right caller, arguments and the working directory arrive unchanged,
// requests made together all complete, and a shell that dies fails its requests without taking
// the next ones down.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ShRunner } from '../../../src/util/sh-runner.ts';

test('ShRunner: status, stderr, arguments and cwd; many requests at once; a killed shell', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sh-runner-'));
  const r = new ShRunner({ size: 2 });
  try {
    await r.run('true', []);
    await assert.rejects(r.run('sh', ['-c', 'echo first >&2; echo "it broke" >&2; exit 3']), /: sh exited with 3: first; it broke$/);
    await assert.rejects(r.run('no-such-tool-here', []), /no-such-tool-here exited with 127/);
    // arguments with quotes, spaces, a newline, $ and a backslash reach the tool as they are
    const odd = ["a 'b' c", 'd\ne', '$HOME', 'f\\g', '-n'];
    await r.run('touch', ['--', ...odd], { cwd: dir });
    assert.deepEqual(readdirSync(dir).sort(), [...odd].sort());
    // requests made together: each answered, in its own cwd
    await Promise.all(Array.from({ length: 12 }, (_, i) => r.run('mkdir', [`d${i}`], { cwd: dir })));
    for (let i = 0; i < 12; i++) assert.ok(existsSync(join(dir, `d${i}`)), `d${i}`);
    assert.ok(r.pids().length >= 1 && r.pids().length <= 2, `${r.pids().length} shells`);
    await assert.rejects(r.run('true', [], { cwd: 'relative' }), /not absolute/);
    // a shell killed while it holds a request: that request fails, later ones run
    const slow = r.run('sleep', ['1']);
    for (const pid of r.pids()) process.kill(pid, 'SIGKILL');
    await assert.rejects(slow, /the tool shell/);
    // (a request racing the death of its shell fails like a failed spawn: wait till it is noticed)
    while (r.pids().length > 0) await new Promise((res) => setTimeout(res, 10));
    await r.run('mkdir', ['after'], { cwd: dir });
    assert.ok(existsSync(join(dir, 'after')));
  } finally {
    r.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
