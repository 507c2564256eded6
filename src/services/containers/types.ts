// Data of the container service: the record kept in the store (kind 'container'), the create
// request (docker/iSulad field names, so `inspect` can print Config/HostConfig as they are), and the
// narrow interfaces the service needs from the modules below it.
import type { IdRemap } from './userns.ts';
import type { ImageRecord, ImageResolver } from '../../image/types.ts';
import type { ContainerLayers } from '../../storage/types.ts';
import type { OciSpec, Runtime } from '../../runtime/runtime.ts';
import type { StateStore } from '../../store/types.ts';
import type { CgroupFeatures } from '../../cgroups/features.ts';
import type { ContainerSpecInput } from '../../spec/index.ts';
import type { ContainerConfig, HostConfig, PortBindingSpec, VolumeMountPoint } from '../../types/container-config.ts';
export type {
  BlkioRate, ContainerConfig, DeviceRequest, HealthConfig, HostConfig, MountRequest, PortBindingSpec, RestartPolicy, UlimitRequest,
  VolumeMountPoint,
} from '../../types/container-config.ts';

/** Go's zero time, what iSulad shows for StartedAt/FinishedAt of a never-started container. */
export const ZERO_TIME = '0001-01-01T00:00:00Z';

export interface HealthLogEntry {
  Start: string;
  End: string;
  ExitCode: number;
  Output: string;
}

export interface HealthState {
  Status: 'starting' | 'healthy' | 'unhealthy';
  FailingStreak: number;
  /** the last 5 probes */
  Log: HealthLogEntry[];
}


/** What inspect shows under NetworkSettings (docker/iSulad names); set at start, cleared at exit. */
export interface NetworkSettings {
  Bridge: string;
  SandboxKey: string;
  IPAddress: string;
  IPPrefixLen: number;
  Gateway: string;
  /** dual-stack networks: the container's global IPv6 address, prefix and gateway */
  GlobalIPv6Address?: string;
  GlobalIPv6PrefixLen?: number;
  IPv6Gateway?: string;
  MacAddress: string;
  /** "80/tcp" → the host bindings in effect (null: exposed, not published) */
  Ports: Record<string, PortBindingSpec[] | null>;
  Networks: Record<string, {
    NetworkID: string;
    EndpointID: string;
    Gateway: string;
    IPAddress: string;
    IPPrefixLen: number;
    IPv6Gateway?: string;
    GlobalIPv6Address?: string;
    GlobalIPv6PrefixLen?: number;
    MacAddress: string;
    IFName: string;
  }>;
}

/** The network layer as the container service uses it (src/services/networks). */
export interface ContainerNetworking {
  /** the CNI networks a NetworkMode names, in order ([]: none, host, container:, path, default off) */
  networkNamesOf(mode: string): string[];
  /** invalid-argument for a bad name, not-found for an unknown network */
  checkNetworks(names: readonly string[]): Promise<void>;
  netnsPath(id: string): string;
  /** attaches every network in order (eth0, eth1, ...); all or nothing */
  setUp(id: string, networks: readonly string[], o: { portMappings: Array<{ hostPort: number; containerPort: number; protocol: 'tcp' | 'udp' | 'sctp'; hostIP: string }>; ip?: string; mac?: string }): Promise<{
    attachments: Array<{ network: string; ifName: string; ip: string; prefixLen: number; gateway: string; ip6: string; prefixLen6: number; gateway6: string; mac: string }>;
    natives: Array<{ Id: string; Bridge: string } | undefined>;
  }>;
  /** idempotent */
  tearDown(id: string): Promise<void>;
  collectOrphans(isOwned: (id: string) => boolean): Promise<void>;
  /** CNI CHECK of the container's attachments; never throws */
  check?(id: string): Promise<Array<{ network: string; ok: boolean; checked: boolean; skipped: Array<{ plugin: string; reason: string }>; error?: string }>>;
}

export interface ContainerState {
  Running: boolean;
  Paused: boolean;
  Restarting: boolean;
  OOMKilled: boolean;
  Pid: number;
  /** /proc/<pid>/stat field 22 of the init, to tell a live process from a recycled pid */
  PStartTime: string;
  ExitCode: number;
  Error: string;
  StartedAt: string;
  FinishedAt: string;
  /** set by stop/kill; a restart policy never undoes a user's stop (iSulad HasBeenManuallyStopped) */
  ManuallyStopped: boolean;
  /** healthcheck state of the current run; written only when Status or FailingStreak changes */
  Health?: HealthState;
}

export interface ContainerRecord {
  Id: string;
  Name: string;
  Created: string;
  /** the reference the user asked for, as shown by ps */
  Image: string;
  /** config digest hex of the image */
  ImageId: string;
  Runtime: string;
  Path: string;
  Args: string[];
  Config: ContainerConfig;
  HostConfig: HostConfig;
  LogPath: string;
  State: ContainerState;
  RestartCount: number;
  /** volumes (and --volumes-from binds) resolved at create; absent in older records */
  MountPoints?: VolumeMountPoint[];
  /** generated /etc/hostname, /etc/hosts, /etc/resolv.conf (absent in older records) */
  HostnamePath?: string;
  HostsPath?: string;
  ResolvConfPath?: string;
  NetworkSettings?: NetworkSettings;
}


/** What the container service needs from the volume service. */
export interface ContainerVolumes {
  /** finds or makes a volume (undefined name: a new anonymous one), held for `holder` until release */
  acquire(name: string | undefined, holder: string): Promise<{ volume: { Name: string; Anonymous: boolean }; path: string; created: boolean }>;
  release(holder: string): void;
  /** copies the image's content at `dir` of the mounted rootfs into the volume */
  copyUp(name: string, rootfs: string, dir: string): Promise<void>;
  removeIfUnused(name: string): Promise<boolean>;
}

/** What `isula create` sends: partial configs, defaults filled in by the service. */
export interface CreateRequest {
  name?: string;
  image: string;
  runtime?: string;
  pull?: 'always' | 'missing' | 'never';
  /** --platform ("os/arch[/variant]"): the image must be of it; a pull picks it from an index */
  platform?: string;
  config?: Partial<ContainerConfig>;
  hostConfig?: Partial<HostConfig>;
  /** --external-rootfs (the request's rootfs field, as iSulad's): merged into HostConfig.ExternalRootfs */
  rootfs?: string;
}

/** One domain event, iSulad's vocabulary (create, start, die, stop, kill, pause, unpause, rename, destroy…). */
export interface ContainerEvent {
  type: 'container';
  action: string;
  id: string;
  attributes: Record<string, string>;
}

export interface EventSink {
  publish(e: ContainerEvent): void;
}

/** Everything spec building needs: src/spec's input, with the image record (spec-input.ts hands it on). */
export interface SpecInput extends Omit<ContainerSpecInput, 'image'> {
  name: string;
  image: ImageRecord;
}

export type SpecBuilder = (input: SpecInput) => Promise<OciSpec>;

export interface ContainerServiceDeps {
  store: StateStore;
  images: ImageResolver;
  layers: ContainerLayers;
  /** runtimes by name, built and closed by the daemon wiring ('lcr' is the default) */
  runtimes: ReadonlyMap<string, Runtime>;
  defaultRuntime: string;
  events: EventSink;
  buildSpec: SpecBuilder;
  /** the daemon's default ulimits that buildSpec merges, as defaultUlimitsKey gives them ('' or absent: none) */
  defaultUlimits?: string;
  /** <root>/containers: one dir per container for what the service owns (the console log) */
  containersDir: string;
  /** the daemon's state dir (made traversable for a remapped container's root, userns.ts) */
  stateDir?: string;
  /** the daemon's --userns-remap: every container's ids mapped so, unless --userns=host */
  usernsRemap?: IdRemap;
  /** the daemon's container-log default when its driver is syslog (json-file sizes: logMaxSize/logMaxFile) */
  containerLog?: { driver: string; opts: Record<string, string> };
  /** images the daemon's layer check removed at this start: their stopped containers are removed at restore */
  droppedImages?: ReadonlySet<string>;
  /** optional pull for --pull always|missing; without it a missing image is "No such image" */
  pullImage?: (ref: string, signal?: AbortSignal, platform?: string) => Promise<ImageRecord>;
  /** json-file defaults (iSulad: 1MB, 7 files) */
  logMaxSize?: number;
  logMaxFile?: number;
  /** local volumes; without it -v NAME:/dst, -v /dst and image VOLUMEs are refused/ignored */
  volumes?: ContainerVolumes;
  /** CNI networks; without it only none, host and container: network modes exist */
  network?: ContainerNetworking;
  /** what the host's cgroups can limit; without it (unit tests) the finer limits are not checked */
  hostSupport?: HostSupport;
  /** runs before each runtime start (the daemon writes the cpu rt budget into the cgroup parents) */
  beforeStart?: (rec: ContainerRecord) => Promise<void>;
}

/** What this host's cgroups can apply (checked by host-support.ts at create and update). */
export interface HostSupport {
  features: CgroupFeatures;
  /** the daemon's cpu-rt-runtime (daemon.json / --cpu-rt-runtime), written into the parents at start */
  cpuRtRuntime: number;
}
