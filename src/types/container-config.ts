// The container's configuration as it is stored, inspected and sent by the CLI: Config and
// HostConfig with docker/iSulad field names, and the mounts resolved at create. Types only: every
// layer may take them (the CLI builds them from flags, the services fill and keep them, the spec
// builder maps them to the OCI spec) and none of them owns them.

export interface ContainerConfig {
  Hostname: string;
  User: string;
  Env: string[];
  Tty: boolean;
  OpenStdin: boolean;
  /**
   * docker's StdinOnce: set by `isula run -i` with its stdin attached (not -d, not create). The
   * start that client makes closes the container's stdin when the client's stdin ends.
   */
  StdinOnce?: boolean;
  Cmd: string[];
  Entrypoint: string[];
  Labels: Record<string, string>;
  Annotations: Record<string, string>;
  Volumes: Record<string, Record<string, never>>;
  Image: string;
  ImageRef: string;
  WorkingDir: string;
  StopSignal: string;
  /** HEALTHCHECK (image's merged with --health-*); durations in nanoseconds as docker stores them */
  Healthcheck?: HealthConfig;
  /** "80/tcp" keys: image EXPOSE plus --expose */
  ExposedPorts?: Record<string, Record<string, never>>;
  /** --mac-address */
  MacAddress?: string;
}

/** Test: ['CMD', ...argv] | ['CMD-SHELL', cmd] | ['NONE']; 0 or absent durations mean the defaults. */
export interface HealthConfig {
  Test?: string[];
  Interval?: number;
  Timeout?: number;
  StartPeriod?: number;
  Retries?: number;
  /** iSulad --health-exit-on-unhealthy: an unhealthy container is stopped */
  ExitOnUnhealthy?: boolean;
}

export interface MountRequest {
  Type: 'bind' | 'tmpfs' | 'volume';
  Source: string;
  Target: string;
  ReadOnly: boolean;
  BindPropagation?: string;
  TmpfsSize?: number;
  TmpfsMode?: number;
  /** type=volume: do not copy the image's content into a new volume */
  VolumeNoCopy?: boolean;
}

export interface DeviceRequest {
  PathOnHost: string;
  PathInContainer: string;
  CgroupPermissions: string;
}

export interface UlimitRequest {
  Name: string;
  Soft: number;
  Hard: number;
}

export interface RestartPolicy {
  /** '' and 'no' mean no restart */
  Name: '' | 'no' | 'always' | 'on-failure' | 'unless-stopped' | 'on-reboot';
  MaximumRetryCount: number;
}

export interface HostConfig {
  Binds: string[];
  Mounts: MountRequest[];
  Tmpfs: Record<string, string>;
  ReadonlyRootfs: boolean;
  Privileged: boolean;
  CapAdd: string[];
  CapDrop: string[];
  SecurityOpt: string[];
  Devices: DeviceRequest[];
  Sysctls: Record<string, string>;
  Ulimits: UlimitRequest[];
  Memory: number;
  MemorySwap: number;
  NanoCpus: number;
  CpuShares: number;
  CpuQuota: number;
  CpuPeriod: number;
  CpusetCpus: string;
  PidsLimit: number;
  OomScoreAdj: number;
  ShmSize: number;
  NetworkMode: string;
  PidMode: string;
  IpcMode: string;
  UTSMode: string;
  LogConfig: { Type: string; Config: Record<string, string> };
  RestartPolicy: RestartPolicy;
  AutoRemove: boolean;
  Runtime: string;
  /** --volumes-from CONTAINER[:ro|rw] (absent in records made before volumes existed) */
  VolumesFrom?: string[];
  /** the container's cgroup parent instead of the daemon's (CRI: the pod's cgroup) */
  CgroupParent?: string;
  /** supplementary groups (gids or names in the image's /etc/group) */
  GroupAdd?: string[];
  /** replace the default masked / read-only paths (CRI security context) */
  MaskedPaths?: string[];
  ReadonlyPaths?: string[];
  /** -p: "80/tcp" → [{ HostIp, HostPort }] (HostPort '' = picked at start) */
  PortBindings?: Record<string, PortBindingSpec[]>;
  /** -P: every exposed port to a free host port */
  PublishAllPorts?: boolean;
  Dns?: string[];
  DnsSearch?: string[];
  DnsOptions?: string[];
  /** --add-host host:ip */
  ExtraHosts?: string[];
  /** --ip */
  IPv4Address?: string;
  // resource flags with iSulad's HostConfig key names (host-config.json of lcr/iSulad)
  /** --memory-reservation: soft limit (v1 memory.soft_limit_in_bytes, v2 memory.low) */
  MemoryReservation?: number;
  /** --memory-swappiness 0..100; -1 (or absent) = the kernel's */
  MemorySwappiness?: number;
  /** --kernel-memory: recorded; no effect where the kernel has no kmem limit (warned at create) */
  KernelMemory?: number;
  /** --oom-kill-disable (v1 memory.oom_control) */
  OomKillDisable?: boolean;
  /** --cpuset-mems */
  CpusetMems?: string;
  /** --cpu-rt-period / --cpu-rt-runtime, microseconds (v1 cpu.rt_*_us) */
  CPURealtimePeriod?: number;
  CPURealtimeRuntime?: number;
  /** --blkio-weight 10..1000 (0 = unset) */
  BlkioWeight?: number;
  /** --blkio-weight-device DEVICE:WEIGHT */
  BlkioWeightDevice?: Array<{ Path: string; Weight: number }>;
  /** --device-read-bps / --device-write-bps (bytes/s), --device-read-iops / --device-write-iops */
  BlkioDeviceReadBps?: BlkioRate[];
  BlkioDeviceWriteBps?: BlkioRate[];
  BlkioDeviceReadIops?: BlkioRate[];
  BlkioDeviceWriteIops?: BlkioRate[];
  /** --hugetlb-limit [size:]limit (PageSize "2MB"; '' = the default huge page size) */
  Hugetlbs?: Array<{ PageSize: string; Limit: number }>;
  /** --files-limit (openEuler's files cgroup) */
  FilesLimit?: number;
  /** --host-channel: a tmpfs on the host shared with the container */
  HostChannel?: { PathOnHost: string; PathInContainer: string; Permissions: string; Size: number };
  /** --hook-spec: a JSON file of OCI hooks (prestart, poststart, poststop), read at create */
  HookSpec?: string;
  /** --storage-opt key=value (overlay: size) */
  StorageOpt?: Record<string, string>;
  /** --env-target-file: the container's environment written to this file of its rootfs at create */
  EnvTargetFile?: string;
  /** --external-rootfs: the container's rootfs is this host directory, used in place (not managed, never removed) */
  ExternalRootfs?: string;
  /** --no-pivot (OCI runtimes only) */
  NoPivotRoot?: boolean;
  /** --system-container: tmpfs /run, /run/lock, /tmp, CAP_SYS_BOOT, mount/unshare/reboot through seccomp */
  SystemContainer?: boolean;
  /** --ns-change-opt net,ipc (system containers): those namespaces' sysctls writable from inside */
  NsChangeOpt?: string;
  /** --user-remap HOSTUID:HOSTGID:SIZE (system container on an external rootfs; runc): the container's ids 0..SIZE-1 are these host ids */
  UserRemap?: string;
  /** --cgroupns host|private ('' = the runtime's default) */
  CgroupnsMode?: string;
  /** --userns host: the container opts out of the daemon's --userns-remap ('' = remapped when the daemon is) */
  UsernsMode?: string;
  /** --device-cgroup-rule "c 1:3 rwm" */
  DeviceCgroupRules?: string[];
}

export interface BlkioRate {
  Path: string;
  Rate: number;
}

export interface PortBindingSpec {
  HostIp: string;
  HostPort: string;
}

/** A mount resolved at create: a local volume, or a bind inherited through --volumes-from. */
export interface VolumeMountPoint {
  Type: 'volume' | 'bind';
  /** volume name ('' for a bind) */
  Name: string;
  /** host path */
  Source: string;
  Destination: string;
  RW: boolean;
  /** engine-named volume (image VOLUME, `-v /path`): rm -v and --rm remove it */
  Anonymous: boolean;
  Propagation?: string;
}
