// iSulad CI: network_cases/help.sh (no daemon needed) and container_cases/annotaion.sh (sic, iSulad's
// name), against our CLI; annotaion.sh on one real daemon, on each runtime of RUNTIME_LIST (lcr, runc).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { runIsula, type Daemon } from '../helpers/daemon.ts';
import { RUNTIMES } from '../integration/container-fixture.ts';
import { ok, skipReason, suiteDaemon } from './compat-fixture.ts';

const runc = RUNTIMES.find((r) => r.name === 'runc');

describe('iSulad CI network_cases: help', () => {
  test('network_cases/help.sh: isula network and its subcommands\' --help exit 0; an unknown one is named', async () => {
    for (const args of [['network'], ['network', '--help'], ...['create', 'inspect', 'ls', 'rm'].map((c) => ['network', c, '--help'])]) {
      const r = await runIsula(args);
      assert.equal(r.code, 0, `${args.join(' ')}: exit ${r.code}, stderr ${r.stderr}`);
      assert.notEqual(r.stdout.trim(), '', `${args.join(' ')} printed nothing`);
    }
    const xx = await runIsula(['network', 'xx']);
    assert.notEqual(xx.code, 0);
    assert.match(xx.stdout + xx.stderr, /command "xx" not found/);
  });
});

describe('iSulad CI container_cases: annotation', { skip: skipReason }, () => {
  let d: Daemon;
  suiteDaemon((started) => (d = started), { runtime: 'lcr', restartIfKilled: true });
  const long = '1'.repeat(8192);

  for (const rt of ['lcr', 'runc'] as const) {
    test(`annotaion.sh on ${rt}: an 8 KiB --label and --annotation value; inspect, exec, a daemon restart, rm`, { skip: rt === 'runc' ? runc?.skip ?? 'no runc' : false }, async () => {
      for (const [flag, field] of [['--label', '{{json .Config.Labels}}'], ['--annotation', '{{json .Config.Annotations}}']] as const) {
        await ok(d, ['run', '-tid', '--name', 'annotation', '--runtime', rt, flag, `test_long_label=${long}`, 'busybox', 'sh']);
        assert.equal(JSON.parse((await ok(d, ['inspect', '-f', field, 'annotation'])).stdout)['test_long_label'], long, flag);
        assert.equal((await ok(d, ['exec', '-ti', 'annotation', 'echo', '1'])).stdout.trim(), '1');
        await d.restart();
        assert.equal(JSON.parse((await ok(d, ['inspect', '-f', field, 'annotation'])).stdout)['test_long_label'], long, `${flag} after a restart`);
        await ok(d, ['rm', '-f', 'annotation']);
      }
    });
  }
});
