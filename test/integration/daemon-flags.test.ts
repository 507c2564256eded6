// isulad flags of iSulad's build options (issue 17): --sup-groups takes effect on the daemon
// process (its Groups in /proc/<pid>/status); --authorization-plugin and --enable-plugins, which
// this daemon does not have, stop the start with a message naming the feature (not an
// unknown-flag error), before anything is created; a bad --userns-remap value too (the remap
// itself: test/compat/userns-remap.test.ts).
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runIsulad, startDaemon, type Daemon } from '../helpers/daemon.ts';

const root = process.getuid?.() === 0;

describe('isulad flags of iSulad build options', { skip: root ? false : 'needs root' }, () => {
  const dirs: string[] = [];
  let d: Daemon | undefined;
  after(async () => {
    await d?.stop();
    for (const x of dirs) await rm(x, { recursive: true, force: true });
  });

  test('--sup-groups: the daemon process runs with those supplementary groups', async () => {
    d = await startDaemon({ flags: ['--sup-groups', '4321', '--sup-groups', '4322'] });
    const groups = /^Groups:\s*(.*)$/m.exec(readFileSync(`/proc/${d.pid}/status`, 'utf8'))?.[1]?.trim().split(/\s+/) ?? [];
    assert.deepEqual(groups.sort(), ['4321', '4322']);
    await d.stop();
    d = undefined;
  });

  for (const [flag, words] of [
    ['--authorization-plugin', /authorization plugins are not supported/],
    ['--enable-plugins', /plugins are not supported/],
    ['--userns-remap', /userns-remap.*invalid "x": want HOSTUID:HOSTGID:SIZE/],
  ] as const) {
    test(`${flag} x: refused at start, naming the feature`, async () => {
      const dir = await mkdtemp(join(tmpdir(), 'isulad-flags-'));
      dirs.push(dir);
      const r = await runIsulad([flag, 'x', '-g', join(dir, 'root'), '-S', join(dir, 'state'), '-p', join(dir, 'p.pid'),
        '-H', `unix://${dir}/s.sock`, '--log-driver', 'stdout'], { timeoutMs: 60_000 });
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, new RegExp(flag.slice(2))); // the key, as a flag (--x) or daemon.json's "x"
      assert.match(r.stderr, words);
      assert.doesNotMatch(r.stderr, /unknown|Unkown/i);
      assert.equal(existsSync(join(dir, 'root')), false, 'refused before anything was created');
    });
  }
});
