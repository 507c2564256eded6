// `isula inspect` JSON for a container (iSulad's container/inspect.json field names) and the
// mount list shared with ps. Pure: the record and the layer paths in, plain data out.
import { inspectStatus } from './status.ts';
import type { ContainerRecord } from './types.ts';
import { parseVolumeSpec } from '../../util/volume-spec.ts';
import { localRfc3339 } from './time.ts';

export interface MountPoint {
  Type: string;
  Name: string;
  Source: string;
  Destination: string;
  Driver: string;
  Mode: string;
  RW: boolean;
  Propagation: string;
}

export interface LayerPaths {
  lowerDir: string;
  upperDir: string;
  workDir: string;
  mergedDir: string;
  /** an --external-rootfs container: mergedDir is that directory */
  external?: true;
}

/** -v src:dst[:opts], --mount and --tmpfs as inspect's Mounts list. */
export function mountPointsOf(rec: ContainerRecord): MountPoint[] {
  const out: MountPoint[] = [];
  // volumes and --volumes-from binds, as resolved at create
  for (const m of rec.MountPoints ?? []) {
    const vol = m.Type === 'volume';
    out.push({
      Type: m.Type,
      Name: m.Name,
      Source: m.Source,
      Destination: m.Destination,
      Driver: vol ? 'local' : '',
      Mode: m.RW ? '' : 'ro',
      RW: m.RW,
      Propagation: vol ? '' : (m.Propagation ?? 'rprivate'),
    });
  }
  for (const b of rec.HostConfig.Binds) {
    const v = parseVolumeSpec(b);
    if (v.kind !== 'bind') continue; // a volume: listed above
    out.push({ Type: 'bind', Name: '', Source: v.source, Destination: v.destination, Driver: '', Mode: v.mode, RW: !v.readonly, Propagation: v.propagation ?? 'rprivate' });
  }
  for (const m of rec.HostConfig.Mounts) {
    if (m.Type === 'volume') continue; // listed above
    out.push({
      Type: m.Type,
      Name: '',
      Source: m.Source,
      Destination: m.Target,
      Driver: '',
      Mode: m.ReadOnly ? 'ro' : '',
      RW: !m.ReadOnly,
      Propagation: m.Type === 'bind' ? (m.BindPropagation ?? 'rprivate') : '',
    });
  }
  for (const [dst, opts] of Object.entries(rec.HostConfig.Tmpfs)) {
    out.push({ Type: 'tmpfs', Name: '', Source: 'tmpfs', Destination: dst, Driver: '', Mode: opts, RW: !opts.split(',').includes('ro'), Propagation: '' });
  }
  return out;
}

function exposedOnly(rec: ContainerRecord): Record<string, null> {
  return Object.fromEntries(Object.keys(rec.Config.ExposedPorts ?? {}).map((k) => [k, null]));
}

/** iSulad's HostConfig keys that a record may lack (made before the flag existed, or not given). */
const INSPECT_HOST_DEFAULTS = {
  CgroupParent: '', GroupAdd: [] as string[], MemoryReservation: 0, MemorySwappiness: -1, KernelMemory: 0, OomKillDisable: false,
  CpusetMems: '', CPURealtimePeriod: 0, CPURealtimeRuntime: 0, BlkioWeight: 0, BlkioWeightDevice: [] as unknown[],
  BlkioDeviceReadBps: [] as unknown[], BlkioDeviceWriteBps: [] as unknown[], BlkioDeviceReadIops: [] as unknown[], BlkioDeviceWriteIops: [] as unknown[],
  Hugetlbs: [] as unknown[], FilesLimit: 0, DeviceCgroupRules: [] as string[], CgroupnsMode: '', UsernsMode: '',
  StorageOpt: {} as Record<string, string>, EnvTargetFile: '', NoPivotRoot: false, HostChannel: null, HookSpec: '', SystemContainer: false, NsChangeOpt: '', UserRemap: '',
};

export function inspectJson(rec: ContainerRecord, paths: LayerPaths | undefined): Record<string, unknown> {
  const s = rec.State;
  const hc = rec.HostConfig;
  return {
    Id: rec.Id,
    Created: localRfc3339(rec.Created),
    Path: rec.Path,
    Args: rec.Args,
    State: {
      Status: inspectStatus(s),
      Running: s.Running,
      Paused: s.Paused,
      Restarting: s.Restarting,
      OOMKilled: s.OOMKilled,
      Dead: false,
      Pid: s.Pid,
      ExitCode: s.ExitCode,
      Error: s.Error,
      StartedAt: localRfc3339(s.StartedAt),
      FinishedAt: localRfc3339(s.FinishedAt),
      ...(s.Health ? { Health: s.Health } : {}),
    },
    Resources: {
      CPUPeriod: hc.CpuPeriod,
      CPUQuota: hc.CpuQuota,
      CPUShares: hc.CpuShares,
      Memory: hc.Memory,
      MemorySwap: hc.MemorySwap,
    },
    // an --external-rootfs container has no image of the store: iSulad shows ""
    Image: rec.ImageId ? `sha256:${rec.ImageId}` : '',
    ResolvConfPath: rec.ResolvConfPath ?? '',
    HostnamePath: rec.HostnamePath ?? '',
    HostsPath: rec.HostsPath ?? '',
    LogPath: rec.LogPath,
    Name: rec.Name,
    RestartCount: rec.RestartCount,
    MountLabel: '',
    ProcessLabel: '',
    SeccompProfile: hc.SecurityOpt.find((o) => o.startsWith('seccomp='))?.slice('seccomp='.length) ?? '',
    NoNewPrivileges: hc.SecurityOpt.some((o) => o === 'no-new-privileges' || o === 'no-new-privileges=true' || o === 'no-new-privileges:true'),
    // iSulad's HostConfig spells the CFS keys CPUShares/CPUPeriod/CPUQuota (its CI reads them there)
    HostConfig: { ...INSPECT_HOST_DEFAULTS, ...hc, CPUShares: hc.CpuShares, CPUPeriod: hc.CpuPeriod, CPUQuota: hc.CpuQuota },
    // iSulad shows a GraphDriver for containers of the image store only (not for an external rootfs)
    ...(paths?.external ? {} : {
      GraphDriver: {
        Data: paths
          ? { LowerDir: paths.lowerDir, MergedDir: paths.mergedDir, UpperDir: paths.upperDir, WorkDir: paths.workDir }
          : null,
        Name: 'overlay2',
      },
    }),
    Mounts: mountPointsOf(rec),
    Config: rec.Config,
    NetworkSettings: {
      Bridge: rec.NetworkSettings?.Bridge ?? '',
      SandboxID: '',
      LinkLocalIPv6Address: '',
      LinkLocalIPv6PrefixLen: 0,
      Ports: rec.NetworkSettings?.Ports ?? exposedOnly(rec),
      CNIPorts: [],
      SandboxKey: rec.NetworkSettings?.SandboxKey ?? '',
      EndpointID: '',
      Gateway: rec.NetworkSettings?.Gateway ?? '',
      GlobalIPv6Address: rec.NetworkSettings?.GlobalIPv6Address ?? '',
      GlobalIPv6PrefixLen: rec.NetworkSettings?.GlobalIPv6PrefixLen ?? 0,
      IPAddress: rec.NetworkSettings?.IPAddress ?? '',
      IPPrefixLen: rec.NetworkSettings?.IPPrefixLen ?? 0,
      IPv6Gateway: rec.NetworkSettings?.IPv6Gateway ?? '',
      MacAddress: rec.NetworkSettings?.MacAddress ?? '',
      // iSulad: true while the container's network is set up (start to exit)
      Activation: Object.keys(rec.NetworkSettings?.Networks ?? {}).length > 0,
      Networks: Object.fromEntries(Object.entries(rec.NetworkSettings?.Networks ?? {}).map(([k, n]) => [k, {
        // iSulad's keys, in its order
        Links: [], Alias: [], NetworkID: n.NetworkID, EndpointID: n.EndpointID, Gateway: n.Gateway, IPAddress: n.IPAddress,
        IPPrefixLen: n.IPPrefixLen, IPv6Gateway: n.IPv6Gateway ?? '', GlobalIPv6Address: n.GlobalIPv6Address ?? '',
        GlobalIPv6PrefixLen: n.GlobalIPv6PrefixLen ?? 0, MacAddress: n.MacAddress, IFName: n.IFName, DriverOpts: {},
      }])),
    },
  };
}
