// Data of the pod service. Inputs are the subset of the CRI messages the service reads, in the
// wire's field names (snake_case), so api/cri passes decoded requests through unchanged; the
// service never imports the api's generated types (layers go down).

export interface KeyValue { key: string; value: string }
export interface Int64 { value: string | number }

export interface PodMetadata { name: string; uid: string; namespace: string; attempt: number }
export interface ContainerMetadataIn { name: string; attempt: number }

/** NamespaceMode: POD = 0, CONTAINER = 1, NODE = 2, TARGET = 3 */
export interface NamespaceOptionIn { network: number; pid: number; ipc: number; target_id: string }

/** SecurityProfile.ProfileType: RuntimeDefault = 0, Unconfined = 1, Localhost = 2 */
export interface SecurityProfileIn { profile_type: number; localhost_ref: string }

export interface PortMappingIn { protocol: number; container_port: number; host_port: number; host_ip: string }

export interface PodConfigIn {
  metadata: PodMetadata | null;
  hostname: string;
  log_directory: string;
  dns_config: { servers: string[]; searches: string[]; options: string[] } | null;
  port_mappings: PortMappingIn[];
  labels: Record<string, string>;
  annotations: Record<string, string>;
  linux: {
    cgroup_parent: string;
    sysctls: Record<string, string>;
    security_context: {
      namespace_options: NamespaceOptionIn | null;
      run_as_user: Int64 | null;
      run_as_group: Int64 | null;
      readonly_rootfs: boolean;
      supplemental_groups: Array<string | number>;
      privileged: boolean;
      seccomp: SecurityProfileIn | null;
      seccomp_profile_path: string;
    } | null;
  } | null;
}

export interface MountIn {
  container_path: string;
  host_path: string;
  readonly: boolean;
  selinux_relabel: boolean;
  /** PROPAGATION_PRIVATE = 0, HOST_TO_CONTAINER = 1, BIDIRECTIONAL = 2 */
  propagation: number;
}

export interface ResourcesIn {
  cpu_period: string | number;
  cpu_quota: string | number;
  cpu_shares: string | number;
  memory_limit_in_bytes: string | number;
  oom_score_adj: string | number;
  cpuset_cpus: string;
  cpuset_mems: string;
  memory_swap_limit_in_bytes: string | number;
}

export interface ContainerSecurityIn {
  capabilities: { add_capabilities: string[]; drop_capabilities: string[] } | null;
  privileged: boolean;
  namespace_options: NamespaceOptionIn | null;
  run_as_user: Int64 | null;
  run_as_group: Int64 | null;
  run_as_username: string;
  readonly_rootfs: boolean;
  supplemental_groups: Array<string | number>;
  no_new_privs: boolean;
  masked_paths: string[];
  readonly_paths: string[];
  seccomp: SecurityProfileIn | null;
  seccomp_profile_path: string;
}

export interface ContainerConfigIn {
  metadata: ContainerMetadataIn | null;
  image: { image: string } | null;
  command: string[];
  args: string[];
  working_dir: string;
  envs: KeyValue[];
  mounts: MountIn[];
  devices: Array<{ container_path: string; host_path: string; permissions: string }>;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  log_path: string;
  stdin: boolean;
  stdin_once: boolean;
  tty: boolean;
  linux: { resources: ResourcesIn | null; security_context: ContainerSecurityIn | null } | null;
}

/** A pod sandbox as the store keeps it (kind 'sandbox', id = the pause container's id). */
export interface SandboxRecord {
  id: string;
  /** k8s_POD_<name>_<namespace>_<uid>_<attempt>, also the pause container's name */
  name: string;
  metadata: PodMetadata;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** ns since the epoch, as a decimal string */
  createdAt: string;
  state: 'ready' | 'notready';
  hostname: string;
  logDirectory: string;
  cgroupParent: string;
  /** namespace modes (NamespaceMode numbers) */
  netMode: number;
  pidMode: number;
  ipcMode: number;
  /** directory of resolv.conf and hostname, bound into every container of the pod */
  dir: string;
  /** network namespace the pod's containers join ('' = the pause container's own / the host's) */
  netnsPath: string;
  ip: string;
  additionalIps: string[];
  portMappings: PortMappingIn[];
  /** the CRI runtime handler as the kubelet named it ('' = default) */
  runtimeHandler: string;
  /** the engine runtime it maps to (daemon.json cri-runtimes; '' = the default runtime); absent in older records */
  runtime?: string;
  privileged: boolean;
  sysctls: Record<string, string>;
}

/** What the engine container of a CRI container carries in its LABEL_CRI label (JSON). */
export interface CriContainerMeta {
  kind: 'sandbox' | 'container';
  sandboxId: string;
  name: string;
  attempt: number;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** absolute path of the CRI log ('' = none) */
  logPath: string;
  /** image as the kubelet named it */
  image: string;
  mounts: MountIn[];
}

/** The label that marks engine containers made through the CRI (JSON of CriContainerMeta). */
export const LABEL_CRI = 'io.isulad.cri';
