// The pod's network as the pod service sees it. The CNI-backed implementation comes from the
// network layer (src/network/); until it is wired, pods get `loopbackPodNetwork`: no netns of the
// engine's own, the pause container's private network namespace with only lo, and no pod IP.
import type { PodMetadata, PortMappingIn } from './types.ts';
import { cniStatus } from './service.ts';

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
  /** makes and attaches the pod's network; netnsPath '' = the pause container makes its own */
  setUp(p: PodNetworkSetUp): Promise<{ netnsPath: string; ip: string; additionalIps: string[] }>;
  /** detaches and removes it; idempotent */
  tearDown(p: PodNetworkTearDown): Promise<void>;
  status(): Promise<{ ready: boolean; reason: string; message: string }>;
}

export function loopbackPodNetwork(cniConfDir: string): PodNetwork {
  return {
    setUp: async () => ({ netnsPath: '', ip: '', additionalIps: [] }),
    tearDown: async () => undefined,
    status: () => cniStatus(cniConfDir),
  };
}
