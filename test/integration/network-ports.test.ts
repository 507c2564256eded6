// Published port ranges through the real daemon, LXC and Debian's portmap plugin: every port of
// `-p H-H+2:80-82` reaches its own container port (tcp from 127.0.0.1 and the host IP, udp too),
// a host range for one container port takes one free port of the range (docker's rule), and
// nothing (netns, iptables rule, bridge, CNI chain) is left behind.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { createServer, type Server } from 'node:net';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startDaemon, type Daemon } from '../helpers/daemon.ts';
import { canRun, skipReason, ok, inspectField, until, assertCleanAfterRemovingAll } from './container-fixture.ts';
import { probeHostPort } from '../../src/network/ports.ts';
import { deleteLink, hostIPv4, ipForward, iptablesSave, linkExists, removeSharedChainsCreatedSince, restoreIpForward, rulesMentioning } from '../helpers/net.ts';

const skip = skipReason || (existsSync('/usr/lib/cni/portmap') ? false : 'needs containernetworking-plugins');

/** `n` consecutive host ports free for tcp and udp right now. */
async function freeRange(n: number): Promise<number> {
  for (let tries = 0; tries < 200; tries++) {
    const base = 20000 + Math.floor(Math.random() * 30000);
    let free = true;
    for (let p = base; p < base + n && free; p++) {
      for (const protocol of ['tcp', 'udp'] as const) {
        if (!free) break;
        await probeHostPort({ hostIP: '', hostPort: p, protocol }).catch(() => { free = false; });
      }
    }
    if (free) return base;
  }
  throw new Error('no free port range');
}

async function fetchText(url: string): Promise<string> {
  const r = await fetch(url, { signal: AbortSignal.timeout(20_000) });
  return await r.text();
}

/** One udp datagram to host:port, the first answer (or '' after a while). */
function udpAsk(host: string, port: number, msg: string): Promise<string> {
  return new Promise((resolve) => {
    const s = createSocket('udp4');
    const done = (v: string) => {
      clearTimeout(t);
      s.close();
      resolve(v);
    };
    const t = setTimeout(() => done(''), 2000);
    s.on('message', (m) => done(m.toString()));
    s.send(msg, port, host);
  });
}

// three httpd on 80, 81, 82, each answering with its own port
const WEB3 = [
  'sh', '-c',
  'for p in 80 81 82; do mkdir -p /www$p && echo "port-$p" > /www$p/index.html && httpd -p $p -h /www$p; done; exec sleep 1000',
];

/**
 * A udp responder on `ports` inside the netns at `path` (busybox has no udp server): this test's
 * own node under nsenter, answering "udp-<port>". Returns it to kill by pid.
 */
async function udpResponder(path: string, ports: number[]): Promise<ChildProcess> {
  const code = `const d=require('dgram');let n=0;for(const p of ${JSON.stringify(ports)}){const s=d.createSocket('udp4');` +
    `s.on('message',(m,r)=>s.send('udp-'+p+'\\n',r.port,r.address));s.bind(p,'0.0.0.0',()=>{if(++n===${ports.length})console.log('ready')})}`;
  const c = spawn('nsenter', [`--net=${path}`, process.execPath, '-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    c.once('exit', (code) => reject(new Error(`udp responder exited with ${code}`)));
    c.stdout?.once('data', () => resolve());
  });
  return c;
}

describe('published port ranges', { skip }, () => {
  let d: Daemon;
  let saved = '';
  let forward = '';
  let bridge = '';
  const ids: string[] = [];
  let blocker: Server | undefined;
  let responder: ChildProcess | undefined;

  before(async () => {
    if (!canRun) return;
    saved = iptablesSave();
    forward = ipForward();
    d = await startDaemon({ config: { bridge: '' } });
  });

  after(async () => {
    blocker?.close();
    if (responder?.exitCode === null) responder.kill('SIGKILL');
    if (d) {
      await assertCleanAfterRemovingAll(d).catch(() => undefined);
      await d.stop();
    }
    if (bridge) deleteLink(bridge);
    removeSharedChainsCreatedSince(saved);
    if (forward === '0') restoreIpForward(forward);
  });

  test('-p H-H+2:80-82 publishes all three ports, each to its own container port; udp ranges too', async () => {
    const h = await freeRange(3);
    const u = await freeRange(2);
    const id = (await ok(d, ['run', '-d', '--name', 'r3', '-p', `${h}-${h + 2}:80-82`, '-p', `${u}-${u + 1}:90-91/udp`, 'busybox', ...WEB3])).stdout.trim();
    ids.push(id);
    bridge = await inspectField(d, 'r3', '{{.NetworkSettings.Bridge}}');
    const ports = JSON.parse((await ok(d, ['inspect', '-f', '{{json .NetworkSettings.Ports}}', 'r3'])).stdout);
    for (let i = 0; i < 3; i++) assert.deepEqual(ports[`${80 + i}/tcp`], [{ HostIp: '0.0.0.0', HostPort: String(h + i) }]);
    for (let i = 0; i < 2; i++) assert.deepEqual(ports[`${90 + i}/udp`], [{ HostIp: '0.0.0.0', HostPort: String(u + i) }]);
    const hip = hostIPv4();
    for (let i = 0; i < 3; i++) {
      await until(`port ${h + i}`, async () => (await fetchText(`http://127.0.0.1:${h + i}/`).catch(() => '')) === `port-${80 + i}\n`);
      if (hip) assert.equal(await fetchText(`http://${hip}:${h + i}/`), `port-${80 + i}\n`);
    }
    // udp through the host IP (portmap's DNAT in OUTPUT for locally sent packets)
    responder = await udpResponder(await inspectField(d, 'r3', '{{.NetworkSettings.SandboxKey}}'), [90, 91]);
    if (hip) {
      for (let i = 0; i < 2; i++) {
        await until(`udp ${u + i}`, async () => (await udpAsk(hip, u + i, 'hi')) === `udp-${90 + i}\n`);
      }
    }
    const lines = (await ok(d, ['port', 'r3'])).stdout.trim().split('\n').sort();
    assert.deepEqual(lines, [
      `80/tcp -> 0.0.0.0:${h}`, `81/tcp -> 0.0.0.0:${h + 1}`, `82/tcp -> 0.0.0.0:${h + 2}`,
      `90/udp -> 0.0.0.0:${u}`, `91/udp -> 0.0.0.0:${u + 1}`,
    ].sort());
    responder.kill('SIGKILL');
    await ok(d, ['rm', '-f', 'r3']);
    assert.deepEqual(rulesMentioning([id]), []);
    for (let i = 0; i < 3; i++) assert.equal(await fetchText(`http://127.0.0.1:${h + i}/`).catch(() => 'refused'), 'refused');
  });

  test('a host range for one container port takes one free port of the range, skipping a taken one', async () => {
    const h = await freeRange(3);
    blocker = createServer();
    await new Promise<void>((r) => blocker?.listen(h, '0.0.0.0', r));
    const id = (await ok(d, ['run', '-d', '--name', 'one', '-p', `127.0.0.1:${h}-${h + 2}:80`, 'busybox', ...WEB3])).stdout.trim();
    ids.push(id);
    const ports = JSON.parse((await ok(d, ['inspect', '-f', '{{json .NetworkSettings.Ports}}', 'one'])).stdout);
    assert.deepEqual(ports['80/tcp'], [{ HostIp: '127.0.0.1', HostPort: String(h + 1) }]);
    await until('port h+1', async () => (await fetchText(`http://127.0.0.1:${h + 1}/`).catch(() => '')) === 'port-80\n');
    // a second container with the same range gets the last free one; a third finds none
    const id2 = (await ok(d, ['run', '-d', '--name', 'two', '-p', `127.0.0.1:${h}-${h + 2}:80`, 'busybox', ...WEB3])).stdout.trim();
    ids.push(id2);
    const ports2 = JSON.parse((await ok(d, ['inspect', '-f', '{{json .NetworkSettings.Ports}}', 'two'])).stdout);
    assert.deepEqual(ports2['80/tcp'], [{ HostIp: '127.0.0.1', HostPort: String(h + 2) }]);
    const full = await d.isula(['run', '-d', '--name', 'three', '-p', `127.0.0.1:${h}-${h + 2}:80`, 'busybox', 'sleep', '100']);
    assert.equal(full.code, 125, full.stderr);
    assert.match(full.stderr, /port is already allocated/);
    const id3 = await inspectField(d, 'three', '{{.Id}}');
    assert.equal(existsSync(join(d.state, 'netns', id3)), false);
    // the range is kept in HostConfig: after a stop the same container may land on another port
    const hc = JSON.parse((await ok(d, ['inspect', '-f', '{{json .HostConfig.PortBindings}}', 'one'])).stdout);
    assert.deepEqual(hc['80/tcp'], [{ HostIp: '127.0.0.1', HostPort: `${h}-${h + 2}` }]);
    await ok(d, ['rm', '-f', 'one', 'two', 'three']);
    assert.deepEqual(rulesMentioning([id, id2, id3]), []);
  });

  test('after the daemon: bridge removed, no iptables chain or rule of ours left', async () => {
    await assertCleanAfterRemovingAll(d);
    await d.stop();
    if (bridge) deleteLink(bridge);
    assert.equal(bridge === '' || !linkExists(bridge), true);
    assert.deepEqual(removeSharedChainsCreatedSince(saved), []);
    assert.deepEqual(rulesMentioning([...ids, ...(bridge ? [bridge] : [])]), []);
  });
});
