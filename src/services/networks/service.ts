// Native networks (isula network create/ls/inspect/rm/prune) and the container side of the
// network layer: resolving a container's network mode to a CNI list, setting a container's netns
// up at start and tearing it down at exit or removal. Records live in the state store (kind
// 'network'); the CNI lists are generated from them (src/network/native.ts).
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { alreadyExists, conflict, failedPrecondition, invalidArgument, isNotFound, notFound } from '../../util/errors.ts';
import { KeyedMutex } from '../../util/keyed-mutex.ts';
import { log } from '../../util/log.ts';
import type { StateStore } from '../../store/types.ts';
import { loadConfDir } from '../../network/conflist.ts';
import { NetworkLayer } from '../../network/layer.ts';
import type { AttachResult, AttachmentCheck } from '../../network/layer.ts';
import { NATIVE_CNI_VERSION, claimBridge, confListOfNetwork, deleteBridge, ensureBridge } from '../../network/native.ts';
import type { NetworkRecord } from '../../network/native.ts';
import { checkGateway, contains, defaultGateway, parseIPv4, formatCidr, hostSubnets, overlaps, parseSubnet, pickFreeSubnet } from '../../network/subnet.ts';
import type { Cidr } from '../../network/subnet.ts';
import { checkGateway6, defaultGateway6, formatCidr6, hostSubnets6, ipv6Enabled, overlaps6, parseSubnet6 } from '../../network/subnet6.ts';
import type { ConfList, PortMapping } from '../../network/types.ts';

export type { NetworkRecord };

/** iSulad's default network for containers without --net. */
export const DEFAULT_NETWORK = 'isulad';
const BRIDGE_PREFIX = 'isula-br';
const NAME_RE = /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,199}$/;
const RESERVED = new Set(['none', 'host', 'bridge', 'default', 'container']);
/** iSulad's bound on the networks of one container (MAX_NETWORK_CONFIG_FILE_COUNT) */
const MAX_NETWORKS = 1024;

export interface NetworkServiceOptions {
  store: StateStore;
  /** daemon root: host-local leases and the CNI cache live under <graph>/network */
  graph: string;
  /** state dir: netns files under <state>/netns */
  state: string;
  cniConfDir: string;
  binDirs: readonly string[];
  /** false: containers without --net get no network (daemon.json "bridge": "none") */
  defaultNetwork: boolean;
  /** who uses a network (container names; the wiring reads them from the container records) */
  users?: (network: string) => string[];
}

export interface CreateNetworkRequest {
  name: string;
  driver?: string;
  subnet?: string;
  gateway?: string;
  internal?: boolean;
  labels?: Record<string, string>;
}

export interface ContainerAttachOptions {
  portMappings: PortMapping[];
  ip?: string;
  mac?: string;
}

export class NetworkService {
  readonly layer: NetworkLayer;
  private readonly o: NetworkServiceOptions;
  private readonly mutex = new KeyedMutex();

  constructor(o: NetworkServiceOptions) {
    this.o = o;
    this.layer = new NetworkLayer({ binDirs: o.binDirs, cacheDir: join(o.graph, 'network', 'cni-cache'), netnsDir: join(o.state, 'netns') });
  }

  private users(network: string): string[] {
    return this.o.users?.(network) ?? [];
  }

  private get ipamDir(): string {
    return join(this.o.graph, 'network', 'ipam');
  }

  list(): NetworkRecord[] {
    return this.o.store.list<NetworkRecord>('network');
  }

  find(ref: string): NetworkRecord {
    const all = this.list();
    const hit = all.find((n) => n.Name === ref) ?? all.find((n) => n.Id === ref) ?? (ref.length >= 3 ? all.find((n) => n.Id.startsWith(ref)) : undefined);
    if (!hit) throw notFound(`No such network: ${ref}`);
    return hit;
  }

  /**
   * isula network inspect: the CNI list it stands for (iSulad shows only that list, keys in this
   * order), then the engine's own fields. iSulad's messages for a bad or unknown name.
   */
  inspect(ref: string): Record<string, unknown> {
    if (!NAME_RE.test(ref)) throw invalidArgument(`Invalid network name ${ref}`);
    const rec = this.list().find((n) => n.Name === ref) ?? (ref.length >= 3 ? this.list().find((n) => n.Id.startsWith(ref)) : undefined);
    if (!rec) throw notFound(`No such network ${ref}`);
    const list = this.confList(rec);
    return {
      cniVersion: list.cniVersion, name: list.name, plugins: list.plugins,
      Id: rec.Id, Driver: rec.Driver, Bridge: rec.Bridge, Subnet: rec.Subnet, Gateway: rec.Gateway,
      ...(rec.IPv6Subnet ? { IPv6Subnet: rec.IPv6Subnet, IPv6Gateway: rec.IPv6Gateway } : {}), Internal: rec.Internal,
      Labels: rec.Labels, Created: rec.Created, Containers: this.users(rec.Name),
    };
  }

  /** isula network ls -f: name=, id=, driver=, plugin=, label=k[=v]; keys ANDed, values of one key ORed. */
  listFiltered(filters: readonly string[]): NetworkRecord[] {
    const by = new Map<string, string[]>();
    for (const f of filters) {
      const i = f.indexOf('=');
      const k = i < 0 ? f : f.slice(0, i);
      if (!['name', 'id', 'driver', 'plugin', 'label'].includes(k) || i < 0) throw invalidArgument(`Invalid filter '${f}'`);
      // iSulad checks a name filter as a network name
      if (k === 'name' && !NAME_RE.test(f.slice(i + 1))) throw invalidArgument(`Invalid filter '${f}'`);
      by.set(k, [...(by.get(k) ?? []), f.slice(i + 1)]);
    }
    const test = (n: NetworkRecord, k: string, v: string): boolean => {
      switch (k) {
        case 'name': return n.Name.includes(v);
        case 'id': return n.Id.startsWith(v);
        case 'driver': return n.Driver === v;
        case 'plugin': return this.confList(n).plugins.some((p) => p.type === v);
        default: {
          const j = v.indexOf('=');
          return j < 0 ? Object.hasOwn(n.Labels, v) : n.Labels[v.slice(0, j)] === v.slice(j + 1);
        }
      }
    };
    return this.list().filter((n) => [...by.entries()].every(([k, vs]) => vs.some((v) => test(n, k, v))));
  }

  confList(rec: NetworkRecord): ConfList {
    return confListOfNetwork(rec, this.ipamDir);
  }

  /** Creates a bridge network; all or nothing (the bridge is deleted again if the commit fails). */
  async create(req: CreateNetworkRequest): Promise<NetworkRecord> {
    const driver = req.driver || 'bridge';
    if (driver !== 'bridge') throw invalidArgument(`Cannot support driver: ${driver}`);
    if (req.name !== '' && !NAME_RE.test(req.name)) throw invalidArgument(`Invalid network name "${req.name}": only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`);
    if (RESERVED.has(req.name)) throw invalidArgument(`network name "${req.name}" is reserved`);
    // --subnet and --gateway may each name one IPv4 and one IPv6 value (comma-separated on the wire)
    const split = (v: string | undefined) => (v ?? '').split(',').map((x) => x.trim()).filter((x) => x !== '');
    const subnets = split(req.subnet);
    const gateways = split(req.gateway);
    const v4 = subnets.filter((x) => !x.includes(':'));
    const v6 = subnets.filter((x) => x.includes(':'));
    const gw4 = gateways.filter((x) => !x.includes(':'));
    const gw6 = gateways.filter((x) => x.includes(':'));
    if (v4.length > 1 || v6.length > 1) throw invalidArgument('at most one IPv4 and one IPv6 subnet per network');
    if (gw4.length > 1 || gw6.length > 1) throw invalidArgument('at most one IPv4 and one IPv6 gateway per network');
    if ((gw4.length > 0 && v4.length === 0) || (gw6.length > 0 && v6.length === 0)) throw invalidArgument('Cannot specify gateway without subnet');
    if (v6.length > 0 && !(await ipv6Enabled())) throw failedPrecondition('IPv6 is disabled on this host (net.ipv6.conf.all.disable_ipv6)');
    return await this.mutex.run('create', async () => {
      if (this.list().some((n) => n.Name === req.name)) throw alreadyExists(`Network "${req.name}" has been used`);
      const used = this.list().map((n) => parseSubnet(n.Subnet));
      const host = await hostSubnets();
      let subnet: Cidr | undefined;
      if (v4[0] !== undefined) {
        subnet = parseSubnet(v4[0]);
        const clash = this.list().find((n) => overlaps(parseSubnet(n.Subnet), subnet as Cidr));
        if (clash) throw conflict(`Subnet "${v4[0]}" conflict with CNI config or host network: overlaps with network "${clash.Name}" (${clash.Subnet})`);
        const h = host.find((c) => overlaps(c, subnet as Cidr));
        if (h) throw conflict(`Subnet "${v4[0]}" conflict with CNI config or host network: overlaps with a host network (${formatCidr(h)})`);
      } else {
        subnet = pickFreeSubnet([...used, ...host]);
        if (!subnet) throw failedPrecondition('no free subnet left for a new network');
      }
      const gateway = gw4[0] !== undefined ? checkGateway(subnet, gw4[0]) : defaultGateway(subnet);
      let ipv6: { IPv6Subnet: string; IPv6Gateway: string } | undefined;
      if (v6[0] !== undefined) {
        const s6 = parseSubnet6(v6[0]);
        const clash = this.list().find((n) => n.IPv6Subnet !== undefined && overlaps6(parseSubnet6(n.IPv6Subnet), s6));
        if (clash) throw conflict(`Subnet "${v6[0]}" conflict with CNI config or host network: overlaps with network "${clash.Name}" (${clash.IPv6Subnet})`);
        const h = (await hostSubnets6()).find((c) => overlaps6(c, s6));
        if (h) throw conflict(`Subnet "${v6[0]}" conflict with CNI config or host network: overlaps with a host network (${formatCidr6(h)})`);
        ipv6 = { IPv6Subnet: formatCidr6(s6), IPv6Gateway: gw6[0] !== undefined ? checkGateway6(s6, gw6[0]) : defaultGateway6(s6) };
      }
      // no name: the network is named after its bridge (iSulad's isula-brN), so no name is taken twice
      const taken = new Set(this.list().flatMap((n) => (req.name === '' ? [n.Bridge, n.Name] : [n.Bridge])));
      const bridge = await claimBridge(BRIDGE_PREFIX, taken, `${gateway}/${subnet.prefix}`,
        ipv6 ? `${ipv6.IPv6Gateway}/${ipv6.IPv6Subnet.split('/')[1]}` : undefined);
      const rec: NetworkRecord = {
        Name: req.name || bridge, Id: randomBytes(32).toString('hex'), Driver: 'bridge', Bridge: bridge, Subnet: formatCidr(subnet), Gateway: gateway, ...ipv6,
        Internal: req.internal ?? false, Labels: { ...(req.labels ?? {}) }, Created: new Date().toISOString(), CniVersion: NATIVE_CNI_VERSION,
      };
      try {
        await this.o.store.put('network', rec.Id, rec);
      } catch (err) {
        await deleteBridge(bridge).catch(() => undefined);
        throw err;
      }
      return rec;
    });
  }

  /** Removes a network no container uses; its bridge goes too. */
  async remove(ref: string): Promise<NetworkRecord> {
    let rec: NetworkRecord;
    try {
      rec = this.find(ref);
    } catch (err) {
      // iSulad's wording for rm (inspect and --net say "No such network")
      if (isNotFound(err)) throw notFound(`Cannot find network ${ref}`);
      throw err;
    }
    return await this.mutex.run('create', async () => {
      const users = this.users(rec.Name);
      if (users.length > 0) throw conflict(`network ${rec.Name} has active containers: ${users.join(', ')}`);
      await deleteBridge(rec.Bridge);
      await this.o.store.delete('network', rec.Id);
      return rec;
    });
  }

  /** Removes every network no container uses (the default network stays); returns their names. */
  async prune(): Promise<string[]> {
    const out: string[] = [];
    for (const n of this.list()) {
      if (n.Name === DEFAULT_NETWORK || this.users(n.Name).length > 0) continue;
      await this.remove(n.Id);
      out.push(n.Name);
    }
    return out;
  }

  /**
   * The networks a container's NetworkMode names, in order: 'bridge'/'' → the default network (made
   * on first use), a native network's name → it, a list in cni-conf-dir → it; several joined with
   * commas (`--net a,b,c`, iSulad's multi-network mode: empty items dropped, repeats once). []:
   * no CNI network (none, host, container:<id>, a netns path, or the default network disabled).
   */
  networkNamesOf(mode: string): string[] {
    if (mode === 'none' || mode === 'host' || mode.startsWith('container:') || mode.startsWith('/')) return [];
    const out: string[] = [];
    for (const item of mode.split(',')) {
      const name = item === 'bridge' || item === 'default' ? (this.o.defaultNetwork ? DEFAULT_NETWORK : '') : item;
      if (name !== '' && !out.includes(name)) out.push(name);
    }
    if (mode === '' && this.o.defaultNetwork) out.push(DEFAULT_NETWORK);
    return out;
  }

  /** Checks at create that named networks are valid names and exist (the default is made lazily). */
  async checkNetworks(names: readonly string[]): Promise<void> {
    if (names.length > MAX_NETWORKS) throw invalidArgument('config too many bridge');
    for (const name of names) if (!NAME_RE.test(name)) throw invalidArgument(`Invalid network name ${name}`);
    for (const name of names) if (name !== DEFAULT_NETWORK) await this.resolve(name);
  }

  private async ensureDefault(): Promise<NetworkRecord> {
    const have = this.list().find((n) => n.Name === DEFAULT_NETWORK);
    if (have) return have;
    try {
      return await this.create({ name: DEFAULT_NETWORK });
    } catch (err) {
      const again = this.list().find((n) => n.Name === DEFAULT_NETWORK);
      if (again) return again;
      throw err;
    }
  }

  /** The CNI list of a network name: native networks first, then lists in cni-conf-dir. */
  async resolve(name: string): Promise<{ list: ConfList; native?: NetworkRecord }> {
    const native = name === DEFAULT_NETWORK ? await this.ensureDefault() : this.list().find((n) => n.Name === name);
    if (native) return { list: this.confList(native), native };
    const fromDir = (await loadConfDir(this.o.cniConfDir)).find((l) => l.name === name);
    if (fromDir) return { list: fromDir };
    // iSulad's words (its start checks every network of the container)
    throw notFound(`Network ${name} not found`);
  }

  netnsPath(id: string): string {
    return this.layer.netnsPath(id);
  }

  /**
   * Makes the container's netns and attaches it to every network of `networks`, in order (eth0,
   * eth1, ...); ports, --ip and --mac-address go to the first. All or nothing: every network is
   * resolved before the netns exists, and when one fails the ones attached before it are torn
   * down (their addresses released) and the netns removed.
   */
  async setUp(id: string, networks: readonly string[], o: ContainerAttachOptions): Promise<AttachResult & { natives: Array<NetworkRecord | undefined> }> {
    const resolved: Array<{ list: ConfList; native?: NetworkRecord }> = [];
    for (const name of networks) resolved.push(await this.resolve(name));
    const first = resolved[0]?.native;
    if (o.ip && first) {
      const n = parseIPv4(o.ip);
      if (n === undefined || !contains(parseSubnet(first.Subnet), n)) throw invalidArgument(`IP address ${o.ip} is not in the subnet ${first.Subnet} of network ${first.Name}`);
    }
    for (const { native } of resolved) {
      if (!native) continue;
      const p4 = native.Subnet.split('/')[1];
      await ensureBridge(native.Bridge, `${native.Gateway}/${p4}`, native.IPv6Subnet ? `${native.IPv6Gateway}/${native.IPv6Subnet.split('/')[1]}` : undefined);
    }
    const path = await this.layer.createNetns(id);
    try {
      const r = await this.layer.attach(path, id, resolved.map(({ list }) => ({ list })), {
        portMappings: o.portMappings,
        ...(o.ip ? { ip: o.ip } : {}),
        ...(o.mac ? { mac: o.mac } : {}),
      });
      return { ...r, natives: resolved.map(({ native }) => native) };
    } catch (err) {
      await this.layer.removeNetns(path).catch(() => undefined);
      throw err;
    }
  }

  /** Detaches every attachment of `id` and removes its netns; idempotent. */
  async tearDown(id: string): Promise<void> {
    const path = this.layer.netnsPath(id);
    await this.layer.detach(path, id);
    await this.layer.removeNetns(path);
  }

  /** CNI CHECK of every attachment of `id` (never throws; one verdict per attachment). */
  check(id: string): Promise<AttachmentCheck[]> {
    return this.layer.check(this.layer.netnsPath(id), id);
  }

  /** Restore: tears down attachments and netns of ids `isOwned` does not claim (crash leftovers). */
  async collectOrphans(isOwned: (id: string) => boolean): Promise<void> {
    await this.layer.removeTornCacheWrites().catch((err: unknown) => log.warn('removing torn CNI cache writes failed', err));
    for (const id of await this.layer.attachedIds()) {
      if (isOwned(id)) continue;
      await this.tearDown(id).catch((err: unknown) => {
        if (!isNotFound(err)) log.with({ container: id }).warn('tearing down a leftover network attachment failed', err);
      });
    }
  }
}
