// Networking costs (issue 9), medians of BENCH_RUNS (default 20) after 3 warm-ups:
//  1. the network layer alone: one container's setup + teardown (pinned netns, loopback, native
//     bridge list bridge+host-local, portmap with one mapping, firewall, tuning; then DEL and
//     netns removal), in-process, the real Debian plugins;
//  2. `isula run --rm busybox true` on the default bridge network vs `--net none`;
//  3. podman (CNI backend, scratch storage, busybox loaded from our fixture) `run --rm` with its
//     default bridge network vs `--network none`, when podman is installed.
// Everything made here (bridges, netns, iptables chains podman or we created, scratch dirs) is
// removed at the end. The machine may be shared: compare rows of one run.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { NetworkLayer } from '../src/network/layer.ts';
import { claimBridge, confListOfNetwork, deleteBridge, type NetworkRecord } from '../src/network/native.ts';
import { DEFAULT_CNI_BIN_DIRS } from '../src/network/plugin.ts';
import { probeHostPort } from '../src/network/ports.ts';
import { defaultGateway, formatCidr, hostSubnets, pickFreeSubnet } from '../src/network/subnet.ts';
import { startDaemon } from '../test/helpers/daemon.ts';
import { deleteLink, ipForward, iptablesSave, linkExists, removeSharedChainsCreatedSince, restoreIpForward, uniqueTag } from '../test/helpers/net.ts';

const ROOT = resolve(import.meta.dirname, '..');
const HOST = process.arch === 'arm64' ? 'linux-arm64' : 'linux-x64';
const ARCH = process.arch === 'arm64' ? 'arm64' : 'amd64';
const BIN = process.env['ISULA_BIN'] ?? join(ROOT, 'dist', HOST, 'isulad');
const RUNS = Math.max(5, Number(process.env['BENCH_RUNS'] ?? 20));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const f1 = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : 'n/a');

async function timed(fn: () => Promise<void>, n = RUNS, warmup = 3): Promise<number> {
  for (let i = 0; i < warmup; i++) await fn();
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    await fn();
    out.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return median(out);
}

function runOk(argv: string[]): void {
  const r = spawnSync(argv[0] as string, argv.slice(1), { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${argv.join(' ')}: exit ${r.status ?? r.signal}: ${(r.stderr ?? '').trim().slice(-300)}`);
}

async function layerBench(tag: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), `netbench-${tag}-`));
  const subnet = pickFreeSubnet(await hostSubnets());
  if (!subnet) throw new Error('no free subnet');
  const gw = defaultGateway(subnet);
  const bridge = await claimBridge(`inb${tag}-`, new Set(), `${gw}/${subnet.prefix}`);
  const rec: NetworkRecord = {
    Name: `nb${tag}`, Id: tag.repeat(16), Driver: 'bridge', Bridge: bridge, Subnet: formatCidr(subnet), Gateway: gw,
    Internal: false, Labels: {}, Created: new Date().toISOString(), CniVersion: '1.0.0',
  };
  const list = confListOfNetwork(rec, join(dir, 'ipam'));
  const bare = { ...list, plugins: list.plugins.slice(0, 1) };
  const layer = new NetworkLayer({ binDirs: DEFAULT_CNI_BIN_DIRS, cacheDir: join(dir, 'cache'), netnsDir: join(dir, 'netns') });
  let i = 0;
  try {
    const full = await timed(async () => {
      const id = `nb${tag}x${i++}`;
      const port = await probeHostPort({ hostIP: '', hostPort: 0, protocol: 'tcp' });
      const ns = await layer.createNetns(id);
      await layer.attach(ns, id, [{ list }], { portMappings: [{ hostPort: port, containerPort: 80, protocol: 'tcp', hostIP: '' }] });
      await layer.detach(ns, id);
      await layer.removeNetns(ns);
    });
    const minimal = await timed(async () => {
      const id = `nb${tag}y${i++}`;
      const ns = await layer.createNetns(id);
      await layer.attach(ns, id, [{ list: bare }]);
      await layer.detach(ns, id);
      await layer.removeNetns(ns);
    });
    console.log(`network layer, setup+teardown per container (netns, lo, bridge, portmap+1 port, firewall, tuning)  ${f1(full)} ms`);
    console.log(`network layer, setup+teardown per container (netns, lo, bridge only)                             ${f1(minimal)} ms`);
  } finally {
    await deleteBridge(bridge);
    rmSync(dir, { recursive: true, force: true });
  }
}

async function oursBench(): Promise<{ net: number; none: number }> {
  const d = await startDaemon({ config: { bridge: '' }, env: { ISULA_BIN: BIN } });
  let bridge = '';
  try {
    const cli = (args: string[]) => async () => {
      const r = await d.isula(args);
      if (r.code !== 0) throw new Error(`isula ${args.join(' ')}: ${r.stderr}`);
    };
    // the CLI spawn is the same in both rows; the difference is the network's cost
    const none = await timed(cli(['run', '--rm', '--net', 'none', 'busybox', 'true']));
    const net = await timed(cli(['run', '--rm', 'busybox', 'true']));
    const info = JSON.parse((await d.isulaOk(['network', 'inspect', 'isulad'])) || '[]') as Array<{ Bridge?: string }>;
    bridge = info[0]?.Bridge ?? '';
    return { net, none };
  } finally {
    await d.stop();
    if (bridge) deleteLink(bridge);
  }
}

async function podmanBench(): Promise<{ net: number; none: number } | string> {
  if (spawnSync('podman', ['--version']).status !== 0) return 'absent (podman not installed)';
  const tar = join(ROOT, 'rootfs-fixtures', 'out', `busybox-${ARCH}.docker.tar`);
  if (!existsSync(tar)) return `unusable (no ${tar}; make build)`;
  const work = mkdtempSync(join(tmpdir(), 'netbench-podman-'));
  const g = ['podman', '--root', join(work, 'root'), '--runroot', join(work, 'run'), '--network-config-dir', join(work, 'cni'), '--cgroup-manager', 'cgroupfs', '--events-backend', 'none', '--runtime', 'runc'];
  const hadBridge = linkExists('cni-podman0');
  try {
    runOk([...g, 'load', '-q', '-i', tar]);
    // this host has no CAP_SYS_RESOURCE: podman's default rlimits exceed the hard limits (crun refuses
    // hybrid cgroups here, hence runc, as in the lab)
    const lim = ['--ulimit', 'nofile=20000:20000', '--ulimit', 'nproc=32768:32768'];
    const run = (extra: string[]) => async () => runOk([...g, 'run', '--rm', ...lim, ...extra, 'busybox', 'true']);
    const none = await timed(run(['--network', 'none']));
    const net = await timed(run([]));
    return { net, none };
  } catch (err) {
    return `failed: ${(err as Error).message.slice(-300)}`;
  } finally {
    spawnSync('podman', [...g.slice(1), 'system', 'reset', '-f'], { stdio: 'ignore' });
    spawnSync('umount', ['-R', join(work, 'root')], { stdio: 'ignore' });
    rmSync(work, { recursive: true, force: true });
    if (!hadBridge) deleteLink('cni-podman0');
  }
}

async function main(): Promise<number> {
  if (process.getuid?.() !== 0 || !existsSync('/usr/lib/cni/bridge') || !existsSync('/usr/bin/lxc-start')) {
    console.log('network bench: skipped (needs root, LXC and containernetworking-plugins)');
    return 0;
  }
  if (!existsSync(BIN)) {
    console.log(`network bench: skipped (no ${BIN}; make build)`);
    return 0;
  }
  process.env['ISULA_BIN'] = BIN;
  const saved = iptablesSave();
  const forward = ipForward();
  const tag = uniqueTag();
  console.log(`## networking (median of ${RUNS}, 3 warm-ups; ${new Date().toISOString()})`);
  try {
    await layerBench(tag);
    const ours = await oursBench();
    console.log(`isula run --rm busybox true, --net none                  ${f1(ours.none)} ms`);
    console.log(`isula run --rm busybox true, default bridge network      ${f1(ours.net)} ms  (network adds ${f1(ours.net - ours.none)} ms)`);
    const pm = await podmanBench();
    if (typeof pm === 'string') console.log(`podman run --rm: ${pm}`);
    else {
      console.log(`podman run --rm busybox true, --network none (CNI backend)  ${f1(pm.none)} ms`);
      console.log(`podman run --rm busybox true, default bridge network        ${f1(pm.net)} ms  (network adds ${f1(pm.net - pm.none)} ms)`);
      console.log(`ratio run --rm with network, ours/podman                     ${(ours.net / pm.net).toFixed(2)}`);
      console.log(`ratio network cost per container, ours/podman                ${((ours.net - ours.none) / (pm.net - pm.none)).toFixed(2)}`);
    }
  } finally {
    removeSharedChainsCreatedSince(saved);
    if (forward === '0') restoreIpForward(forward);
  }
  return 0;
}

process.exitCode = await main();
