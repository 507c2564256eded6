// iSulad CI, network_cases: port.sh, against our CLI on one real daemon: -p, --expose ranges with -P,
// -p ranges, IP-bound ranges mapped to other container ports, and all of them together, read back
// with `isula port` (iSulad's "80/tcp -> IP:PORT" lines, also for one port) and inspect. Host ports
// are picked free here instead of the script's fixed 8080 and 80-82 (the host is shared).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import type { Daemon } from '../helpers/daemon.ts';
import { rulesMentioning } from '../helpers/net.ts';
import { networkCaseDaemon, ok, skipReason } from './compat-fixture.ts';

const skip = skipReason || (existsSync('/usr/lib/cni/bridge') ? false : 'needs containernetworking-plugins');

function free(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, host, () => s.close(() => resolve(true)));
  });
}

/** n consecutive free TCP ports on 0.0.0.0 and 127.0.0.1. */
async function freeRange(n: number): Promise<number> {
  for (let base = 20000 + (process.pid % 20000); base < 65000; base += n + 7) {
    let all = true;
    for (let p = base; p < base + n && all; p++) all = (await free(p, '0.0.0.0')) && (await free(p, '127.0.0.1'));
    if (all) return base;
  }
  throw new Error('no free port range');
}

async function ports(d: Daemon, id: string, filter?: string): Promise<string[]> {
  return (await ok(d, ['port', id, ...(filter ? [filter] : [])])).stdout.split('\n').filter(Boolean);
}

describe('iSulad CI network_cases: port', { skip }, () => {
  let d: Daemon;
  const nets = networkCaseDaemon((started) => (d = started));

  test('port.sh: -p, --expose ranges with -P, -p ranges, IP-bound ranges, all together; isula port with and without a port', async () => {
    const net = 'cniport0';
    await nets.makeNetwork(d, net);

    const p = await freeRange(1);
    const one = (await ok(d, ['run', '-itd', '--net', net, '-p', `${p}:80`, 'busybox'])).stdout.trim();
    assert.deepEqual(await ports(d, one), [`80/tcp -> 0.0.0.0:${p}`]);
    assert.match((await ok(d, ['inspect', '-f', '{{json .NetworkSettings.Ports}}', one])).stdout, new RegExp(`"HostPort":"${p}"`));
    await ok(d, ['stop', '-t', '0', one]);
    await ok(d, ['rm', one]);

    const exposed = (await ok(d, ['run', '-tid', '--net', net, '--expose', '80-83', '-P', 'busybox', '/bin/sh'])).stdout.trim();
    const e = await ports(d, exposed);
    assert.equal(e.length, 4);
    for (const c of [80, 81, 82, 83]) assert.ok(e.some((l) => l.startsWith(`${c}/tcp -> 0.0.0.0:`)), e.join('\n'));
    assert.deepEqual((await ports(d, exposed, '80')).map((l) => l.replace(/:\d+$/, '')), ['80/tcp -> 0.0.0.0']);
    await ok(d, ['rm', '-f', exposed]);

    const range = (await ok(d, ['run', '-tid', '--net', net, '-p', '80-83', 'busybox', '/bin/sh'])).stdout.trim();
    assert.equal((await ports(d, range)).length, 4);
    assert.deepEqual((await ports(d, range, '83')).map((l) => l.replace(/:\d+$/, '')), ['83/tcp -> 0.0.0.0']);
    await ok(d, ['rm', '-f', range]);

    const b = await freeRange(3);
    const bound = (await ok(d, ['run', '-tid', '--net', net, '-p', `127.0.0.1:${b}-${b + 2}:90-92`, 'busybox', '/bin/sh'])).stdout.trim();
    assert.deepEqual(await ports(d, bound), [`90/tcp -> 127.0.0.1:${b}`, `91/tcp -> 127.0.0.1:${b + 1}`, `92/tcp -> 127.0.0.1:${b + 2}`]);
    assert.deepEqual(await ports(d, bound, '90'), [`90/tcp -> 127.0.0.1:${b}`]);
    const settings = JSON.parse((await ok(d, ['inspect', '-f', '{{json .NetworkSettings.Ports}}', bound])).stdout) as Record<string, Array<{ HostIp: string; HostPort: string }>>;
    assert.deepEqual(settings['92/tcp'], [{ HostIp: '127.0.0.1', HostPort: String(b + 2) }]);
    // the kernel side: a DNAT rule for each published port while the container runs
    assert.ok(rulesMentioning([`--dport ${b + 2}`]).length > 0, 'a DNAT rule for the last port of the range');
    await ok(d, ['rm', '-f', bound]);
    assert.deepEqual(rulesMentioning([`--dport ${b + 2}`]), [], 'no rule left after rm');

    const q = await freeRange(1);
    const all = (await ok(d, ['run', '-tid', '--net', net, '--expose', '80-81', '-P', '-p', `${q}:90`, '-p', '91-92', 'busybox', '/bin/sh'])).stdout.trim();
    const a = await ports(d, all);
    assert.equal(a.length, 5, a.join('\n'));
    assert.ok(a.includes(`90/tcp -> 0.0.0.0:${q}`), a.join('\n'));
    for (const c of [91, 92, 80, 81]) assert.ok(a.some((l) => l.startsWith(`${c}/tcp -> 0.0.0.0:`)), a.join('\n'));
    assert.deepEqual(await ports(d, all, '90'), [`90/tcp -> 0.0.0.0:${q}`]);
    await ok(d, ['stop', '-t', '0', all]);
    await ok(d, ['rm', all]);

    const none = await d.isula(['port', 'xxxx']);
    assert.notEqual(none.code, 0);
    await ok(d, ['network', 'rm', net]);
  });
});
