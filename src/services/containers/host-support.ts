// A create's finer resource limits checked against what this host's cgroups can apply
// (iSulad's verify.c against its sysinfo), with iSulad's messages, so a limit the kernel cannot
// honour is refused at create instead of failing the start in lxc-start or runc. A kernel memory
// limit on a kernel that ignores it is accepted and dropped with iSulad's warning, as the issue
// (and docker on cgroup v2) do.
import { invalidArgument } from '../../util/errors.ts';
import type { HostConfig, HostSupport } from './types.ts';

/** Throws for a limit the host cannot apply; returns the warnings for limits it drops. */
export function checkHostSupport(h: Partial<HostConfig>, s: HostSupport): string[] {
  const f = s.features;
  const warnings: string[] = [];
  if ((h.MemoryReservation ?? 0) > 0 && !f.memoryReservation) throw invalidArgument('Your kernel does not support memory soft limit capabilities. Limitation discarded');
  if (h.MemorySwappiness !== undefined && h.MemorySwappiness !== -1 && !f.memorySwappiness) {
    throw invalidArgument('Your kernel does not support memory swappiness capabilities, memory swappiness discarded.');
  }
  if ((h.KernelMemory ?? 0) > 0 && !f.kernelMemory) {
    warnings.push('Your kernel does not support kernel memory limit capabilities. Limitation discarded.');
  }
  if (h.OomKillDisable && !f.oomKillDisable) throw invalidArgument('Your kernel does not support OomKillDisable, OomKillDisable discarded');
  if ((h.CPURealtimePeriod ?? 0) !== 0 && !f.cpuRealtime) throw invalidArgument('Invalid --cpu-rt-period: Your kernel does not support cgroup rt period');
  if ((h.CPURealtimeRuntime ?? 0) !== 0 && !f.cpuRealtime) throw invalidArgument('Invalid --cpu-rt-runtime: Your kernel does not support cgroup rt runtime');
  // a new cgroup has no rt budget: only what the daemon writes into the parents can be handed on
  if ((h.CPURealtimeRuntime ?? 0) > 0 && !h.CgroupParent && h.CPURealtimeRuntime! > s.cpuRtRuntime) {
    throw invalidArgument(`Invalid --cpu-rt-runtime: ${h.CPURealtimeRuntime} is above the daemon's cpu-rt-runtime (${s.cpuRtRuntime}); start isulad with --cpu-rt-runtime`);
  }
  if (h.CpusetMems && !f.cpuset) throw invalidArgument('Your kernel does not support cpuset. Cpuset discarded.');
  if ((h.BlkioWeight ?? 0) > 0 && !f.blkioWeight) throw invalidArgument('Your kernel does not support Block I/O weight. Weight discarded.');
  if ((h.BlkioWeightDevice?.length ?? 0) > 0 && !f.blkioWeightDevice) throw invalidArgument('Your kernel does not support Block I/O weight_device.');
  if ((h.BlkioDeviceReadBps?.length ?? 0) > 0 && !f.blkioThrottle) throw invalidArgument('Your kernel does not support Block read limit in bytes per second');
  if ((h.BlkioDeviceWriteBps?.length ?? 0) > 0 && !f.blkioThrottle) throw invalidArgument('Your kernel does not support Block write limit in bytes per second');
  if ((h.BlkioDeviceReadIops?.length ?? 0) > 0 && !f.blkioThrottle) throw invalidArgument('Your kernel does not support Block read limit in IO per second');
  if ((h.BlkioDeviceWriteIops?.length ?? 0) > 0 && !f.blkioThrottle) throw invalidArgument('Your kernel does not support Block write limit in IO per second');
  for (const l of h.Hugetlbs ?? []) {
    if (f.hugePageSizes.length === 0) throw invalidArgument('Your kernel does not support hugetlb limit. --hugetlb-limit discarded.');
    const size = l.PageSize || f.defaultHugePageSize;
    if (!f.hugePageSizes.includes(size)) throw invalidArgument(`Invalid hugepage size:${size}, shoud be one of [${f.hugePageSizes.join(' ')}]`);
  }
  if ((h.FilesLimit ?? 0) !== 0 && !f.filesLimit) throw invalidArgument('Your kernel does not support files limit capabilities, files limit discarded.');
  return warnings;
}
