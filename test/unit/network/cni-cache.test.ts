// network/cni: the attachment cache across a daemon killed in the middle of an ADD chain. Stub
// plugins (shell scripts) stand in for the real ones: the first reports an address, the second
// never answers its ADD (the daemon is "killed" there) and records the stdin of its DEL.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CniRunner } from '../../../src/network/cni.ts';
import { parseConfList } from '../../../src/network/conflist.ts';

test('an ADD cut after the address is known leaves the address cached, and DEL hands it to every plugin', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'isula-cni-cache-'));
  try {
    const bin = join(dir, 'bin');
    const log = join(dir, 'log');
    mkdirSync(bin);
    const result = JSON.stringify({ cniVersion: '1.0.0', interfaces: [{ name: 'eth0' }], ips: [{ address: '10.9.8.7/24', interface: 0 }] });
    writeFileSync(join(bin, 'addr'), `#!/bin/sh\ncat >/dev/null\n[ "$CNI_COMMAND" = ADD ] && echo '${result}'\nexit 0\n`);
    writeFileSync(join(bin, 'keyed'), `#!/bin/sh\nin=$(cat)\nif [ "$CNI_COMMAND" = ADD ]; then echo started >${log}.add; exec sleep 30; fi\n[ "$CNI_COMMAND" = DEL ] && printf '%s' "$in" >${log}.del\nexit 0\n`);
    chmodSync(join(bin, 'addr'), 0o755);
    chmodSync(join(bin, 'keyed'), 0o755);
    const list = parseConfList(JSON.stringify({ cniVersion: '1.0.0', name: 'n', plugins: [{ type: 'addr' }, { type: 'keyed' }] }));
    const target = { containerId: 'c1', netns: join(dir, 'netns'), ifName: 'eth0' };
    const first = new CniRunner({ binDirs: [bin], cacheDir: join(dir, 'cache'), timeoutMs: 2_000 });
    const add = first.add(list, target).catch((e: unknown) => e);
    for (let i = 0; i < 200 && !existsSync(`${log}.add`); i++) await new Promise((r) => setTimeout(r, 25));
    assert.ok(existsSync(`${log}.add`), 'the second plugin runs');
    // the daemon "dies" here: what a restarted one finds is the cache file as it is now
    const cached = await new CniRunner({ binDirs: [bin], cacheDir: join(dir, 'cache') }).readCache('n', 'c1', 'eth0');
    assert.deepEqual(cached?.result?.ips.map((x) => x.address), ['10.9.8.7/24']);
    await add; // the stub times out; the first runner cleans up after its own failure
    // a restarted daemon's DEL of the cut attachment (cache as it was at the kill)
    writeFileSync(first.cachePath('n', 'c1', 'eth0'), JSON.stringify(cached));
    await new CniRunner({ binDirs: [bin], cacheDir: join(dir, 'cache') }).del('n', target, list);
    const del = JSON.parse(readFileSync(`${log}.del`, 'utf8')) as { prevResult?: { ips?: Array<{ address: string }> } };
    assert.deepEqual(del.prevResult?.ips?.map((x) => x.address), ['10.9.8.7/24'], 'the keyed plugin gets the address on DEL');
    assert.equal(existsSync(first.cachePath('n', 'c1', 'eth0')), false, 'the entry goes once DEL succeeded');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('torn cache writes of a killed daemon go at restore; this process\'s own in-flight ones and entries stay', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'isula-cni-torn-'));
  try {
    const r = new CniRunner({ binDirs: [], cacheDir: dir });
    const results = join(dir, 'results');
    mkdirSync(results);
    const old = join(results, 'n-a-eth0.tmp');
    writeFileSync(old, '{"kind":"cniC');
    const past = new Date(performance.timeOrigin - 60_000);
    utimesSync(old, past, past);
    writeFileSync(join(results, 'n-b-eth0.tmp'), '{');
    writeFileSync(join(results, 'n-c-eth0'), '{}');
    await r.removeTornWrites();
    assert.deepEqual(readdirSync(results).sort(), ['n-b-eth0.tmp', 'n-c-eth0']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
