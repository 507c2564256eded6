// The pod's network as the pod service sees it: `cniPodNetwork` over the network layer
// (src/network/), which the daemon wires; `loopbackPodNetwork` (no engine-owned netns: the pause
// container's private namespace with only lo, no pod IP) where no layer is given.
import type { PodMetadata, PortMappingIn } from './types.ts';
import { readdir } from 'node:fs/promises';
import { errnoCode, messageOf } from '../../util/errors.ts';
import { loadConfDir } from '../../network/conflist.ts';
import type { NetworkLayer } from '../../network/layer.ts';
import type { PortMapping } from '../../network/types.ts';

export interface PodNetworkSetUp {
  /** the sandbox's own key (its files' directory name), stable for the pod's life */
  key: string;
  metadata: PodMetadata;
  portMappings: PortMappingIn[];
  hostname: string;
}

export interface PodNetworkTearDown {
  key: string;
  metadata: PodMetadata;
  /** '' when the pod has no engine-owned netns */
  netnsPath: string;
  portMappings: PortMappingIn[];
}

export interface PodNetwork {
  /** where createNetns(key) pins the pod's netns ('' = none: the pause container makes its own) */
  netnsPath(key: string): string;
  /**
   * Makes the pod's netns, lo up, and returns its path ('' = the pause container makes its own).
   * RunPodSandbox starts the pause container in it while `attach` runs.
   */
  createNetns(key: string): Promise<string>;
  /** attaches the pod's network(s) inside `netnsPath` (from createNetns) */
  attach(p: PodNetworkSetUp & { netnsPath: string }): Promise<{ ip: string; additionalIps: string[] }>;
  /** detaches and removes it; idempotent */
  tearDown(p: PodNetworkTearDown): Promise<void>;
  status(): Promise<{ ready: boolean; reason: string; message: string }>;
}

export function loopbackPodNetwork(cniConfDir: string): PodNetwork {
  return {
    netnsPath: () => '',
    createNetns: async () => '',
    attach: async () => ({ ip: '', additionalIps: [] }),
    tearDown: async () => undefined,
    status: () => cniStatus(cniConfDir),
  };
}

const PROTOCOLS = ['tcp', 'udp', 'sctp'] as const;

/** CRI port mappings with a host port → the portmap capability's entries. */
export function cniPortMappings(pm: readonly PortMappingIn[]): PortMapping[] {
  return pm
    .filter((p) => p.host_port > 0)
    .map((p) => ({ hostPort: p.host_port, containerPort: p.container_port, protocol: PROTOCOLS[p.protocol] ?? 'tcp', hostIP: p.host_ip }));
}

/**
 * Pods on CNI: an engine-owned netns pinned under the state dir, loopback plus the first network
 * of the conf dir (libcni's default: the first file by name), with the pod's host ports through
 * the portmap capability and Kubernetes' CNI_ARGS. The pause container joins the netns.
 *
 * Loopback is brought up by the exec that makes the netns (`unshare --net=… ip link set lo up`)
 * rather than by exec'ing the CNI loopback plugin (a Go program: tens of ms of start-up on a
 * small board): the plugin does nothing else on ADD (its result, 127.0.0.1/8 and ::1, is what the
 * kernel gives lo once up, and nothing reads it), and its DEL (lo down) is moot when the netns
 * goes. Where `ip` is missing, the loopback plugin is used as before.
 */
export function cniPodNetwork(o: { layer: NetworkLayer; confDir: string }): PodNetwork {
  const { layer, confDir } = o;
  /** undefined until the first pod: whether `ip` ran inside a new netns */
  let loViaIp: boolean | undefined;
  return {
    netnsPath: (key) => layer.netnsPath(key),
    async createNetns(key) {
      if (loViaIp !== false) {
        try {
          const path = await layer.createNetns(key, { loopbackUp: true });
          loViaIp = true;
          return path;
        } catch (err) {
          if (loViaIp === true || !/failed to execute|ENOENT|No such file/i.test(messageOf(err))) throw err;
          loViaIp = false;
        }
      }
      return layer.createNetns(key);
    },
    async attach(p) {
      const lists = await loadConfDir(confDir);
      const first = lists[0];
      const r = await layer.attach(p.netnsPath, p.key, first ? [{ list: first }] : [], {
        loopback: loViaIp !== true,
        portMappings: cniPortMappings(p.portMappings),
        args: {
          IgnoreUnknown: '1',
          K8S_POD_NAMESPACE: p.metadata.namespace,
          K8S_POD_NAME: p.metadata.name,
          K8S_POD_INFRA_CONTAINER_ID: p.key,
          K8S_POD_UID: p.metadata.uid,
        },
      });
      const others = r.attachments.flatMap((a) => a.ips.map((cidr) => cidr.split('/')[0] as string)).filter((ip) => ip !== r.ip);
      return { ip: r.ip, additionalIps: others };
    },
    async tearDown(p) {
      const netns = p.netnsPath !== '' ? p.netnsPath : layer.netnsPath(p.key);
      await layer.detach(netns, p.key);
      await layer.removeNetns(netns);
    },
    status: () => cniStatus(confDir),
  };
}

/** NetworkReady from the CNI config dir alone (before the network layer is wired). */
export async function cniStatus(dir: string): Promise<{ ready: boolean; reason: string; message: string }> {
  let files: string[] = [];
  try {
    files = (await readdir(dir)).filter((f) => /\.(conf|conflist|json)$/.test(f));
  } catch (err) {
    if (errnoCode(err) !== 'ENOENT') throw err;
  }
  if (files.length > 0) return { ready: true, reason: '', message: '' };
  return { ready: false, reason: 'NetworkPluginNotReady', message: `Network plugin returns error: cni config uninitialized (no network config in ${dir})` };
}
