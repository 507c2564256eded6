// isula network inspect and ls against iSulad's own CI cases (network_inspect.sh and network_list.sh,
// facts only): a network with --subnet/--gateway and an --internal one, bad and unknown names,
// no name, several names, iSulad's `-f {{.plugins.ipam.ranges}}` path, a bad format; the output
// keeps iSulad's key order. Real daemon, real bridges (removed and asserted).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startDaemon, type Daemon } from '../helpers/daemon.ts';
import { canRun, skipReason, ok } from './container-fixture.ts';
import { deleteLink, linkExists } from '../helpers/net.ts';

describe('isula network inspect (iSulad CI case)', { skip: skipReason }, () => {
  let d: Daemon;
  const bridges: string[] = [];

  before(async () => {
    if (!canRun) return;
    d = await startDaemon();
  });

  after(async () => {
    await d?.stop();
    for (const b of bridges) deleteLink(b);
  });

  test('create, inspect (one, several, -f paths), bad input, rm; iSulad key order', async () => {
    await ok(d, ['network', 'create', '--subnet', '192.172.59.0/24', '--gateway', '192.172.59.3', 'cni1']);
    await ok(d, ['network', 'create', '--driver', 'bridge', '--internal', 'cni2']);
    const both = JSON.parse((await ok(d, ['network', 'inspect', 'cni1', 'cni2'])).stdout);
    bridges.push(both[0].Bridge, both[1].Bridge);
    assert.deepEqual(both.map((n: { name: string }) => n.name), ['cni1', 'cni2']);
    const one = (await ok(d, ['network', 'inspect', 'cni1'])).stdout;
    // iSulad's list first: cniVersion, name, plugins; bridge plugin keys in iSulad's order
    assert.ok(one.startsWith([
      '[', '    {', '        "cniVersion": "1.0.0",', '        "name": "cni1",', '        "plugins": [', '            {',
      '                "type": "bridge",', `                "bridge": "${both[0].Bridge}",`, '                "isGateway": true,',
      '                "ipMasq": true,', '                "hairpinMode": true,', '                "ipam": {',
      '                    "type": "host-local",', '                    "routes": [',
    ].join('\n')), one);
    assert.deepEqual(both[0].plugins.map((p: { type: string }) => p.type).slice(0, 3), ['bridge', 'portmap', 'firewall']);
    assert.equal(both[1].plugins[0].ipMasq, false);
    // iSulad's -f: a path through the plugins array, strings unquoted
    const ranges = (await ok(d, ['network', 'inspect', '-f={{.plugins.ipam.ranges}}', 'cni1'])).stdout;
    assert.equal(ranges, [
      '[', '    [', '        {', '            "subnet": 192.172.59.0/24,', '            "gateway": 192.172.59.3', '        }', '    ]', ']', '',
    ].join('\n'));
    assert.equal((await ok(d, ['network', 'inspect', '-f', '{{json .name}}', 'cni1', 'cni2'])).stdout, '"cni1"\n"cni2"\n');
    assert.equal((await ok(d, ['network', 'inspect', '-f', '{{.name}} {{.Subnet}}', 'cni1'])).stdout, 'cni1 192.172.59.0/24\n');
    for (const [args, code, msg] of [
      [['.xx'], 1, /Invalid network name \.xx/],
      [['cni3'], 1, /No such network cni3\nInspect error, cannot find such network: cni3/],
      [[], 125, /requires at least 1 network name/],
      [['-f={{...}}', 'cni1'], 125, /unsupported action/],
      [['-f={{.nokey}}', 'cni1'], 1, /map has no entry for key "nokey"/],
    ] as const) {
      const r = await d.isula(['network', 'inspect', ...args]);
      assert.equal(r.code, code, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, msg);
    }
    // the found ones are printed before the first failure ends the command
    const partial = await d.isula(['network', 'inspect', 'cni1', 'cni3', 'cni2']);
    assert.equal(partial.code, 1);
    assert.deepEqual(JSON.parse(partial.stdout).map((n: { name: string }) => n.name), ['cni1']);
    // iSulad's network_list.sh case
    for (const [args, msg] of [
      [['cni1'], /"isula network ls" requires 0 arguments/],
      [['-f', 'name=.xx'], /Invalid filter/],
      [['-f', 'aa=bb'], /Invalid filter/],
    ] as const) {
      const r = await d.isula(['network', 'ls', ...args]);
      assert.notEqual(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, msg);
    }
    assert.deepEqual((await ok(d, ['network', 'ls', '-q'])).stdout.split('\n').filter(Boolean).sort(), ['cni1', 'cni2']);
    assert.match((await ok(d, ['network', 'ls', '--filter', 'name=cni1'])).stdout, /^cni1\s/m);
    assert.doesNotMatch((await ok(d, ['network', 'ls', '--filter', 'name=cni1'])).stdout, /^cni2\s/m);
    await d.restart();
    assert.deepEqual((await ok(d, ['network', 'ls', '-q', '--filter', 'plugin=bridge'])).stdout.split('\n').filter(Boolean).sort(), ['cni1', 'cni2']);
    await ok(d, ['network', 'rm', 'cni1']);
    await ok(d, ['network', 'rm', 'cni2']);
    for (const b of bridges) assert.equal(linkExists(b), false, b);
  });
});
