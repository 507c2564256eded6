// A container's network at create, start and exit: which CNI network its NetworkMode names, the
// /etc files it gets, host ports picked and checked, the netns set up before the runtime starts
// and torn down when it ends. The network layer itself is src/network (through deps.network).
import { conflict, invalidArgument, notFound } from '../../util/errors.ts';
import { KeyedMutex } from '../../util/keyed-mutex.ts';
import { bindingsClash, parseExposeSpec, parseHostPort, parsePortKey, probeHostPort } from '../../network/ports.ts';
import type { PortBinding } from '../../network/ports.ts';
import type { ContainerCore } from './core.ts';
import type { ContainerConfig, ContainerRecord, HostConfig, NetworkSettings, PortBindingSpec } from './types.ts';

/** Port checks and picks of concurrent starts never interleave (two starts cannot take one port). */
const portLock = new KeyedMutex();

/** The CNI networks of a NetworkMode, in order ([] when none/host/container:/path or no network layer). */
export function networkNamesOf(core: ContainerCore, h: HostConfig): string[] {
  return core.deps.network?.networkNamesOf(h.NetworkMode) ?? [];
}

/** Does the container get CNI networks (a netns of its own, set up at start)? */
export function hasCniNetwork(core: ContainerCore, h: HostConfig): boolean {
  return networkNamesOf(core, h).length > 0;
}

const SPECIAL_MODE = (mode: string) => mode === '' || mode === 'none' || mode === 'host' || mode === 'bridge' || mode.startsWith('container:') || mode.startsWith('/');

/**
 * Create-time checks of the network flags against the mode; every named network must be a valid
 * name (`Invalid network name X`) and exist (`Network X not found`). Returns the networks.
 */
export async function checkNetworkFlags(core: ContainerCore, h: HostConfig, c: ContainerConfig): Promise<string[]> {
  const mode = h.NetworkMode;
  const names = networkNamesOf(core, h);
  const publishes = Object.keys(h.PortBindings ?? {}).length > 0 || h.PublishAllPorts === true;
  portBindingsOf({ HostConfig: h, Config: c }); // bad keys or host ports: invalid-argument now, not at start
  if (names.length === 0) {
    if (mode === 'host' || mode.startsWith('container:')) {
      if (publishes) throw invalidArgument(`Conflicting options: port publishing and the ${mode === 'host' ? 'host' : 'container'} network mode`);
      if ((h.Dns?.length ?? 0) > 0 && mode.startsWith('container:')) throw invalidArgument('Conflicting options: dns and the network mode');
    }
    if (h.IPv4Address) throw invalidArgument(`--ip needs a container network (network mode "${mode || 'none'}")`);
    if (c.MacAddress) throw invalidArgument(`--mac-address needs a container network (network mode "${mode || 'none'}")`);
    if (!SPECIAL_MODE(mode)) {
      // `--net ,`: iSulad's "network is null for bridge network mode"
      if (mode.split(',').every((x) => x === '')) throw invalidArgument(`Invalid network mode ${mode}: no network named`);
      if (core.deps.network) await core.deps.network.checkNetworks(mode.split(',').filter((x) => x !== ''));
      throw notFound(`Network ${mode} not found`);
    }
    return [];
  }
  if (!core.deps.network) return [];
  await core.deps.network.checkNetworks(names);
  if (c.MacAddress && !/^([0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2}$/.test(c.MacAddress)) throw invalidArgument(`invalid MAC address: ${c.MacAddress}`);
  return names;
}

/** -p and -P as bindings (HostPort '' → 0: picked at start). */
export function portBindingsOf(rec: Pick<ContainerRecord, 'HostConfig' | 'Config'>): PortBinding[] {
  const out: PortBinding[] = [];
  const seen = new Set<string>();
  for (const [key, list] of Object.entries(rec.HostConfig.PortBindings ?? {})) {
    const { port, protocol } = parsePortKey(key);
    seen.add(`${port}/${protocol}`);
    for (const b of list) out.push({ containerPort: port, protocol, hostIP: b.HostIp, ...parseHostPort(b.HostPort) });
  }
  if (rec.HostConfig.PublishAllPorts) {
    for (const key of Object.keys(rec.Config.ExposedPorts ?? {})) {
      const { port, protocol } = parsePortKey(key);
      if (!seen.has(`${port}/${protocol}`)) out.push({ containerPort: port, protocol, hostIP: '', hostPort: 0 });
    }
  }
  return out;
}

/** image EXPOSE + --expose (+ the container side of -p, as docker does) → ExposedPorts. */
export function mergeExposedPorts(image: Record<string, unknown> | undefined, user: Record<string, unknown> | undefined, bindings: Record<string, unknown> | undefined): Record<string, Record<string, never>> | undefined {
  const out: Record<string, Record<string, never>> = {};
  for (const k of [...Object.keys(image ?? {}), ...Object.keys(user ?? {}), ...Object.keys(bindings ?? {})]) {
    for (const key of parseExposeSpec(k)) out[key] = {};
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

function inUse(core: ContainerCore, self: string): Array<{ hostIP: string; hostPort: number; protocol: string; owner: string }> {
  const out = [];
  for (const c of core.all()) {
    if (c.Id === self || !c.State.Running || !c.NetworkSettings) continue;
    for (const [key, list] of Object.entries(c.NetworkSettings.Ports)) {
      const { protocol } = parsePortKey(key);
      for (const b of list ?? []) out.push({ hostIP: b.HostIp === '0.0.0.0' ? '' : b.HostIp, hostPort: Number(b.HostPort), protocol, owner: c.Name });
    }
  }
  return out;
}

/**
 * The host port a binding gets at start: its own port (refused when another running container
 * publishes it or a host process holds it), a free port of its range (`8000-8010:80`, first free
 * wins), or any free port (HostPort ''). An empty owner in `taken` is this container itself.
 */
async function pickHostPort(b: PortBinding, taken: ReadonlyArray<{ hostIP: string; hostPort: number; protocol: string; owner: string }>): Promise<PortBinding> {
  const host = b.hostIP || '0.0.0.0';
  const clash = (port: number) => taken.find((t) => bindingsClash(t, { ...b, hostPort: port }));
  const refuse = (port: string, why: string) => conflict(`Bind for ${host}:${port} failed: port is already allocated (${why})`);
  if (b.hostPort === 0) return { ...b, hostPort: await probeHostPort(b) };
  const end = b.hostPortEnd ?? b.hostPort;
  if (end === b.hostPort) {
    const other = clash(b.hostPort);
    if (other) throw refuse(String(b.hostPort), other.owner ? `container ${other.owner}` : 'published twice');
    return { containerPort: b.containerPort, protocol: b.protocol, hostIP: b.hostIP, hostPort: await probeHostPort(b) };
  }
  for (let port = b.hostPort; port <= end; port++) {
    if (clash(port)) continue;
    try {
      return { containerPort: b.containerPort, protocol: b.protocol, hostIP: b.hostIP, hostPort: await probeHostPort({ ...b, hostPort: port }) };
    } catch {
      /* taken by a host process: try the next one */
    }
  }
  throw refuse(`${b.hostPort}-${end}`, 'no free port in the range');
}

/**
 * Sets up the container's netns on its network (call before the runtime starts, lock held).
 * undefined: the container has no CNI network. Picks free host ports for HostPort '' and refuses
 * ports another container or a host process holds.
 */
export async function setUpNetwork(core: ContainerCore, rec: ContainerRecord): Promise<NetworkSettings | undefined> {
  const net = core.deps.network;
  const names = networkNamesOf(core, rec.HostConfig);
  if (!net || names.length === 0) return undefined;
  return await portLock.run('ports', async () => {
    const bindings = portBindingsOf(rec);
    const taken = inUse(core, rec.Id);
    const resolved: PortBinding[] = [];
    for (const b of bindings) resolved.push(await pickHostPort(b, [...taken, ...resolved.map((r) => ({ ...r, owner: '' }))]));
    const r = await net.setUp(rec.Id, names, {
      portMappings: resolved.map((b) => ({ hostPort: b.hostPort, containerPort: b.containerPort, protocol: b.protocol, hostIP: b.hostIP })),
      ...(rec.HostConfig.IPv4Address ? { ip: rec.HostConfig.IPv4Address } : {}),
      ...(rec.Config.MacAddress ? { mac: rec.Config.MacAddress } : {}),
    });
    const ports: Record<string, PortBindingSpec[] | null> = {};
    for (const key of Object.keys(rec.Config.ExposedPorts ?? {})) ports[key] = null;
    for (const b of resolved) {
      const key = `${b.containerPort}/${b.protocol}`;
      (ports[key] ??= []).push({ HostIp: b.hostIP || '0.0.0.0', HostPort: String(b.hostPort) });
    }
    const networks: NetworkSettings['Networks'] = {};
    for (const [i, a] of r.attachments.entries()) {
      networks[a.network] = {
        NetworkID: r.natives[i]?.Id ?? '', EndpointID: '', Gateway: a.gateway, IPAddress: a.ip, IPPrefixLen: a.prefixLen,
        ...(a.ip6 ? { IPv6Gateway: a.gateway6, GlobalIPv6Address: a.ip6, GlobalIPv6PrefixLen: a.prefixLen6 } : {}),
        MacAddress: a.mac, IFName: a.ifName,
      };
    }
    // the top-level address fields are the first network's (docker's single-network keys)
    const first = r.attachments[0];
    return {
      Bridge: r.natives[0]?.Bridge ?? '',
      SandboxKey: net.netnsPath(rec.Id),
      IPAddress: first?.ip ?? '',
      IPPrefixLen: first?.prefixLen ?? 0,
      Gateway: first?.gateway ?? '',
      ...(first?.ip6 ? { GlobalIPv6Address: first.ip6, GlobalIPv6PrefixLen: first.prefixLen6, IPv6Gateway: first.gateway6 } : {}),
      MacAddress: first?.mac ?? '',
      Ports: ports,
      Networks: networks,
    };
  });
}

/** Detaches and removes the container's netns; idempotent, a no-op without a network layer. */
export async function tearDownNetwork(core: ContainerCore, id: string): Promise<void> {
  await core.deps.network?.tearDown(id);
}

/** ps PORTS as docker prints it: "0.0.0.0:8080->80/tcp, 53/udp" (published first, then exposed-only). */
export function portsSummary(rec: Pick<ContainerRecord, 'NetworkSettings' | 'Config' | 'State'>): string {
  const published: string[] = [];
  const exposed: string[] = [];
  const ports = rec.State.Running && rec.NetworkSettings ? rec.NetworkSettings.Ports : {};
  for (const key of new Set([...Object.keys(ports), ...Object.keys(rec.Config.ExposedPorts ?? {})])) {
    const list = ports[key];
    if (list && list.length > 0) for (const b of list) published.push(`${b.HostIp}:${b.HostPort}->${key}`);
    else exposed.push(key);
  }
  return [...published, ...exposed].join(', ');
}
