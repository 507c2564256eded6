// iSulad CI, container_cases: events.sh, against our CLI on one real daemon that trusts a local
// docker-registry holding busybox (events.sh pulls it). attach.sh is not here: see
// docs/isulad-ci-cases.md (a daemon that served its attach checks did not exit on SIGTERM).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Daemon } from '../helpers/daemon.ts';
import { skopeoCopy, startRegistry, type Registry } from '../helpers/registry.ts';
import { rootfsFixture } from '../fixtures/images/make.ts';
import { ok, skipReason, suiteDaemon } from './compat-fixture.ts';

/** events' --since/--until take local wall-clock time without a zone, as the script's `date` gives */
const stamp = (ms: number): string => {
  const t = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${t.getFullYear()}-${p(t.getMonth() + 1)}-${p(t.getDate())}T${p(t.getHours())}:${p(t.getMinutes())}:${p(t.getSeconds())}`;
};

describe('iSulad CI container_cases: events', { skip: skipReason }, () => {
  let d: Daemon;
  let reg: Registry | undefined;
  before(async () => {
    if (skipReason) return;
    reg = await startRegistry();
    await skopeoCopy(`oci-archive:${rootfsFixture('busybox-amd64.oci.tar')}`, `docker://${reg.host}/library/busybox:latest`);
  });
  after(async () => reg?.stop());
  suiteDaemon((started) => (d = started), {
    runtime: 'lcr',
    // read when the daemon starts, after the registry above is up
    config: {
      get 'insecure-registries'() {
        return reg ? [reg.host] : [];
      },
    },
  });

  test('events.sh: image pull, container create/start, exec_create/exec_start/exec_die of `ls`, within --since/--until', async () => {
    assert.ok(reg);
    // the script's start time, to the second: events of this second count
    const start = Math.floor(Date.now() / 1000) * 1000;
    await ok(d, ['pull', `${reg.host}/library/busybox:latest`]);
    const name = 'test';
    await ok(d, ['run', '-itd', '-n', name, `${reg.host}/library/busybox:latest`, '/bin/sh']);
    await ok(d, ['exec', '-it', name, 'ls']);
    // a second later, so the exec's events are before --until (the script sleeps 1)
    await new Promise((r) => setTimeout(r, 1000));
    const end = Math.ceil(Date.now() / 1000) * 1000;
    const all = (await ok(d, ['events', '--since', stamp(start), '--until', stamp(end)])).stdout;
    assert.match(all, new RegExp(`image pull ${reg.host.replace(/\./g, '\\.')}/library/busybox`));
    const mine = (await ok(d, ['events', '--since', stamp(start), '--until', stamp(end), '-n', name])).stdout.split('\n');
    const has = (what: RegExp) => assert.ok(mine.some((l) => what.test(l) && l.includes(name)), `${what} in\n${mine.join('\n')}`);
    has(/container create /);
    has(/container start /);
    has(/container exec_create.*\bls\b/);
    has(/container exec_start.*\bls\b/);
    has(/container exec_die /);
    // -n is a filter: no other container's events, no image events
    assert.ok(!mine.some((l) => l.includes('image pull')), mine.join('\n'));
    await ok(d, ['rm', '-f', name]);
  });
});
