// Issue 13 item 3, the network and pull side of the kill storm: the daemon is SIGKILLed at random
// instants while containers join and leave a CNI bridge network with a published port (netns
// pinned, veth, IPAM lease, portmap/firewall rules) and while images are pulled from a local
// docker-registry (layers downloading and extracting in parallel), KILLS times
// (ISULA_KILL_STORM_NET, default 30; at most ~3 min). After each kill the daemon boots on the same
// root. At the end every container is operable, the images pull completely, and once all is
// removed nothing is left: no pinned netns, no veth on the bridge, no lease, no cached CNI result,
// no iptables rule or chain for our subnet or containers, no half-extracted or orphan layer.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeBigImage } from '../fixtures/images/make.ts';
import { startDaemon, type Daemon, type RunResult } from '../helpers/daemon.ts';
import { bridgePorts, deleteLink, ipForward, iptablesSave, removeSharedChainsCreatedSince, restoreIpForward } from '../helpers/net.ts';
import { skopeoCopy, startRegistry, type Registry } from '../helpers/registry.ts';
import { assertCleanAfterRemovingAll, inspectField, mountsUnder, ok, skipReason, until } from './container-fixture.ts';
import { prng } from '../helpers/prng.ts';

const KILLS = Number(process.env.ISULA_KILL_STORM_NET ?? 30);
const LOOP_BOUND_MS = 180_000;
const NAMES = ['n0', 'n1', 'n2'];
const skip =
  skipReason ||
  (!existsSync('/usr/lib/cni/bridge') ? 'needs containernetworking-plugins' : false) ||
  (!existsSync('/usr/bin/docker-registry') ? 'needs docker-registry' : false) ||
  (!existsSync('/usr/bin/skopeo') ? 'needs skopeo' : false);

const ls = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir).sort() : []);

/**
 * iptables lines (rules, chain declarations) that `before` did not have and that belong to our
 * subnet: they mention it, or they are in, jump to or declare a per-container CNI chain that such
 * a line names. (Parallel suites' networks use other subnets.)
 */
function newIptablesLinesOf(subnetPrefix: string, before: string, now: string): string[] {
  const norm = (s: string) => new Set(s.split('\n').filter((l) => l.startsWith('-A') || l.startsWith(':')).map((l) => l.replace(/ \[\d+:\d+\]$/, '')));
  const had = norm(before);
  const fresh = [...norm(now)].filter((l) => !had.has(l));
  const chainsIn = (l: string) => [/^-A (\S+)/.exec(l)?.[1], / -j (\S+)/.exec(l)?.[1], /^:(\S+)/.exec(l)?.[1]].filter((c): c is string => c !== undefined && /^CNI-(DN-)?[0-9a-f]{16,}$/.test(c));
  const ours = new Set(fresh.filter((l) => l.includes(subnetPrefix)).flatMap(chainsIn));
  return fresh.filter((l) => l.includes(subnetPrefix) || chainsIn(l).some((c) => ours.has(c)));
}

describe('daemon kill storm: network attach and image pull', { skip }, () => {
  let d: Daemon;
  let reg: Registry;
  let work: string;
  let saved = '';
  let forward = '';
  let bridge = '';
  let subnetPrefix = '';
  let baseline = '';
  let overlayBefore: string[] = [];
  let linksBefore: string[] = [];
  const seed = Number(process.env.ISULA_KILL_STORM_SEED ?? Date.now() % 1_000_000);
  const rnd = prng(seed);
  const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)] as T;
  const images: string[] = [];

  before(async () => {
    if (skip) return;
    saved = iptablesSave();
    forward = ipForward();
    work = mkdtempSync(join(tmpdir(), 'isula-kstorm-'));
    reg = await startRegistry();
    // two images of 3 and 4 incompressible layers: pulls long enough to be cut in the middle
    for (const [name, seedOf, layers] of [['ks/a', 11, 4], ['ks/b', 12, 3]] as const) {
      const archive = join(work, `${name.replace('/', '-')}.tar`);
      writeBigImage(archive, { seed: seedOf, totalBytes: layers * (3 << 20), layerCount: layers });
      await skopeoCopy(`docker-archive:${archive}`, `docker://${reg.host}/${name}:latest`);
      rmSync(archive);
      images.push(`${reg.host}/${name}:latest`);
    }
    // bridge '' = the default `isulad` bridge network, made on the first free /24
    d = await startDaemon({ config: { 'log-level': 'INFO', bridge: '', 'insecure-registries': [reg.host] } });
    // the network, its bridge and CNI's shared chains exist once a first container ran
    await ok(d, ['run', '--rm', '-p', '127.0.0.1::80', 'busybox', 'true']);
    const net = JSON.parse((await ok(d, ['network', 'inspect', 'isulad'])).stdout)[0];
    bridge = net.Bridge;
    subnetPrefix = String(net.Subnet).replace(/0\/24$/, '');
    assert.match(subnetPrefix, /^\d+\.\d+\.\d+\.$/);
    baseline = iptablesSave();
    overlayBefore = ls(join(d.root, 'storage', 'overlay'));
    linksBefore = ls(join(d.root, 'storage', 'overlay', 'l'));
  });

  after(async () => {
    if (skip) return;
    if (d) {
      await assertCleanAfterRemovingAll(d).catch(() => undefined);
      await d.stop();
    }
    if (bridge) deleteLink(bridge);
    removeSharedChainsCreatedSince(saved);
    if (forward === '0') restoreIpForward(forward);
    await reg?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  test(`${KILLS} SIGKILLs during network attach/detach and pulls: operable, and nothing leaked`, { timeout: 15 * 60_000 }, async () => {
    const ops: Array<() => string[]> = [
      () => ['run', '-d', '--name', pick(NAMES), '-p', '127.0.0.1::80', 'busybox', 'sleep', '1000'],
      () => ['start', pick(NAMES)],
      () => ['stop', '-t', '1', pick(NAMES)],
      () => ['rm', '-f', pick(NAMES)],
      () => ['run', '--rm', 'busybox', 'true'],
      () => ['pull', pick(images)],
      () => ['pull', pick(images)],
      () => ['rmi', pick(images)],
    ];
    const counts: Record<string, number> = {};
    let ran = 0;
    let kills = 0;
    const end = Date.now() + LOOP_BOUND_MS;
    for (; kills < KILLS && Date.now() < end; kills++) {
      const inFlight: Array<Promise<RunResult>> = [];
      const n = 1 + Math.floor(rnd() * 2);
      for (let j = 0; j < n; j++) {
        const args = pick(ops)();
        counts[args[0] as string] = (counts[args[0] as string] ?? 0) + 1;
        inFlight.push(d.isula(args, { timeoutMs: 60_000 }));
      }
      ran += n;
      await new Promise((r) => setTimeout(r, Math.floor(rnd() * 1200)));
      await d.kill9();
      await Promise.all(inFlight);
      await d.restart();
    }
    const summary = `seed ${seed}: ${kills} kills, ${ran} operations ${JSON.stringify(counts)}`;
    console.log(`# kill storm (network, pull) ${summary}`);

    // every container is operable, and gets its network again
    const ids = (await ok(d, ['ps', '-a', '-q', '--no-trunc'])).stdout.split('\n').filter(Boolean);
    for (const id of ids) {
      if ((await inspectField(d, id, '{{.HostConfig.AutoRemove}}')) === 'true') {
        const r = await d.isula(['start', '-a', id], { timeoutMs: 60_000 });
        assert.ok(r.code === 0 || /No such container/.test(r.stderr), `${id}: ${r.stderr} (${summary})`);
        await until(`${id} removed`, async () => (await d.isula(['inspect', id])).code !== 0);
        continue;
      }
      if ((await inspectField(d, id, '{{.State.Status}}')) !== 'running') await ok(d, ['start', id]);
      assert.match(await inspectField(d, id, '{{.NetworkSettings.IPAddress}}'), new RegExp(`^${subnetPrefix.replace(/\./g, '\\.')}\\d+$`), `${id} (${summary})`);
      await ok(d, ['exec', id, 'true']);
      await ok(d, ['rm', '-f', id]);
    }
    // the images pull completely now (a cut pull resumes or starts over), then go
    for (const img of images) {
      await ok(d, ['pull', img]);
      assert.equal(await inspectField(d, img, '{{.Id}}') !== '', true);
    }
    assert.deepEqual(ls(join(d.root, 'isulad_tmpdir', 'blobs')).filter((f) => f.endsWith('.partial')), [], `partial blobs left after complete pulls (${summary})`);
    for (const img of images) await ok(d, ['rmi', img]);
    await assertCleanAfterRemovingAll(d);

    // network: nothing of any container left
    assert.deepEqual(ls(join(d.state, 'netns')), [], `pinned netns left (${summary})`);
    assert.deepEqual(mountsUnder(join(d.state, 'netns')), [], `netns mounts left (${summary})`);
    assert.deepEqual(bridgePorts(bridge), [], `veths left on ${bridge} (${summary})`);
    assert.deepEqual(ls(join(d.root, 'network', 'ipam', 'isulad')).filter((f) => /^\d+\.\d+\.\d+\.\d+$/.test(f)), [], `IP leases left (${summary})`);
    assert.deepEqual(ls(join(d.root, 'network', 'cni-cache', 'results')), [], `cached CNI results left (${summary})`);
    const leaked = newIptablesLinesOf(subnetPrefix, baseline, iptablesSave());
    assert.deepEqual(leaked, [], `iptables rules/chains left (${summary})`);
    // pull: no half-extracted layer, no orphan layer dir or link
    assert.deepEqual(ls(join(d.root, 'storage', 'overlay', 'tmp')), [], `extractions left in storage tmp (${summary})`);
    assert.deepEqual(ls(join(d.root, 'storage', 'overlay')), overlayBefore, `layer dirs left (${summary})`);
    assert.deepEqual(ls(join(d.root, 'storage', 'overlay', 'l')), linksBefore, `layer links left (${summary})`);
  });
});
