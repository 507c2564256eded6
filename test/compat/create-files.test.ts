// iSulad CI, container_cases: create.sh's --label and --label-file part, against our CLI on one real
// daemon, on each runtime of RUNTIME_LIST (lcr, runc). (create_mtab_test.sh: system-container.test.ts)
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Daemon } from '../helpers/daemon.ts';
import { RUNTIMES } from '../integration/container-fixture.ts';
import { inspectField, ok, skipReason, state, suiteDaemon } from './compat-fixture.ts';

const runc = RUNTIMES.find((r) => r.name === 'runc');
const skipOf = (rt: string) => (rt === 'runc' ? runc?.skip ?? 'no runc' : false);

describe('iSulad CI container_cases: create', { skip: skipReason }, () => {
  let d: Daemon;
  let dir = '';
  suiteDaemon((started) => (d = started), { runtime: 'lcr' });
  before(() => {
    dir = mkdtempSync('/tmp/compat-create-');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const rt of ['lcr', 'runc'] as const) {
    test(`create.sh on ${rt}: --label and --label-file (a line with leading blanks) in .Config.Labels`, { skip: skipOf(rt) }, async () => {
      const name = `label_${rt}`;
      await ok(d, ['run', '-itd', '--name', name, '--label', 'iSulad=lcrd', '--runtime', rt, 'busybox']);
      assert.match(await inspectField(d, name, '{{.Config.Labels}}'), /iSulad.*lcrd/);
      await ok(d, ['rm', '-f', name]);
      const file = join(dir, `label_file_${rt}`);
      writeFileSync(file, 'iSulad=lcrd\n   abc=kkk\n');
      await ok(d, ['run', '-itd', '--name', name, '--label-file', file, '--runtime', rt, 'busybox']);
      assert.equal(await state(d, name), 'running');
      const labels = JSON.parse(await inspectField(d, name, '{{json .Config.Labels}}')) as Record<string, string>;
      assert.equal(labels['iSulad'], 'lcrd');
      assert.equal(labels['abc'], 'kkk');
      await ok(d, ['rm', '-f', name]);
    });
  }
});
