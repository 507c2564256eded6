// iSulad CI, network_cases: network_remove.sh, against our CLI on one real daemon: an unknown name
// and no name are refused with iSulad's messages; two networks go in one rm, with their bridges.
// (network_inspect.sh and network_list.sh: test/integration/network-inspect.test.ts.)
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Daemon } from '../helpers/daemon.ts';
import { deleteLink, linkExists } from '../helpers/net.ts';
import { ok, skipReason, suiteDaemon } from './compat-fixture.ts';

describe('iSulad CI network_cases: network rm', { skip: skipReason }, () => {
  let d: Daemon;
  const bridges: string[] = [];
  suiteDaemon((started) => (d = started), { runtime: 'lcr', afterStop: () => bridges.forEach((b) => linkExists(b) && deleteLink(b)) });

  test('network_remove.sh: "Cannot find network", "requires at least 1 network name", two removed at once', async () => {
    for (const n of ['cnirm1', 'cnirm2']) await ok(d, ['network', 'create', n]);
    for (const n of ['cnirm1', 'cnirm2']) bridges.push((await ok(d, ['network', 'inspect', '-f', '{{.Bridge}}', n])).stdout.trim());
    const unknown = await d.isula(['network', 'rm', 'cnirm3']);
    assert.notEqual(unknown.code, 0);
    assert.match(unknown.stderr, /Cannot find network cnirm3/);
    const none = await d.isula(['network', 'rm']);
    assert.notEqual(none.code, 0);
    assert.match(none.stderr, /"isula network rm" requires at least 1 network name/);
    assert.equal((await ok(d, ['network', 'rm', 'cnirm1', 'cnirm2'])).stdout, 'cnirm1\ncnirm2\n');
    assert.equal((await ok(d, ['network', 'ls', '-q'])).stdout, '');
    for (const b of bridges.filter(Boolean)) assert.equal(linkExists(b), false, b);
  });
});
