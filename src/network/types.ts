// Plain data of the network layer: CNI configuration lists, normalized results, port mappings and
// what an attachment reports. Type-only, shared by the CNI runner, the netns helpers and the
// services (containers, CRI pods, native networks).

/** One plugin's configuration inside a list (the CNI spec's "plugins" entries), kept as JSON. */
export interface PluginConf {
  type: string;
  /** capability names the plugin accepts in runtimeConfig (portMappings, ipRanges, bandwidth, ips, mac) */
  capabilities?: Record<string, boolean>;
  [key: string]: unknown;
}

/** A network configuration list (.conflist, or a single .conf wrapped into one). */
export interface ConfList {
  cniVersion: string;
  name: string;
  disableCheck?: boolean;
  plugins: PluginConf[];
  /** the file it came from ('' for built-in or generated lists) */
  source?: string;
}

export interface PortMapping {
  hostPort: number;
  containerPort: number;
  protocol: 'tcp' | 'udp' | 'sctp';
  /** '' = all host addresses */
  hostIP: string;
}

/** Dynamic per-attachment inputs; each reaches only plugins that declare the capability. */
export interface RuntimeConfig {
  portMappings?: PortMapping[];
  /** CNI ipRanges: [[{ subnet, rangeStart?, rangeEnd?, gateway? }]] */
  ipRanges?: Array<Array<Record<string, string>>>;
  bandwidth?: { ingressRate?: number; ingressBurst?: number; egressRate?: number; egressBurst?: number };
  /** static IPs, CIDR form (host-local "ips" capability) */
  ips?: string[];
  /** MAC address of the container interface (tuning "mac" capability) */
  mac?: string;
  [key: string]: unknown;
}

/** The runtime side of one invocation (CNI_* environment). */
export interface RuntimeTarget {
  containerId: string;
  /** netns path; DEL accepts a path that no longer exists */
  netns: string;
  ifName: string;
  /** CNI_ARGS key/value pairs */
  args?: Record<string, string>;
  runtimeConfig?: RuntimeConfig;
}

export interface CniInterface {
  name: string;
  mac?: string;
  sandbox?: string;
}

export interface CniIp {
  /** CIDR, e.g. 10.88.0.2/16 */
  address: string;
  gateway?: string;
  /** index into interfaces */
  interface?: number;
}

/** A result in spec 1.0.0 shape, whatever version the plugins spoke (0.3.0–1.0.0). */
export interface CniResult {
  cniVersion: string;
  interfaces: CniInterface[];
  ips: CniIp[];
  routes: Array<{ dst: string; gw?: string }>;
  dns: { nameservers?: string[]; domain?: string; search?: string[]; options?: string[] };
}

/** What one network attachment gave the container. */
export interface Attachment {
  network: string;
  ifName: string;
  /** container-side addresses in CIDR form */
  ips: string[];
  /** first IPv4 without prefix ('' when none), its prefix length and gateway */
  ip: string;
  prefixLen: number;
  gateway: string;
  /** first global IPv6 without prefix ('' when none), its prefix length and gateway */
  ip6: string;
  prefixLen6: number;
  gateway6: string;
  mac: string;
  result: CniResult;
}
