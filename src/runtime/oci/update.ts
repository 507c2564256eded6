// isula update on an OCI runtime: the new linux.resources for config.json (the next start); the
// running container's cgroup files are written by the same code as lcr's (../cgroup-writes.ts). Pure.
import type { ResourceUpdate, Resources } from '../runtime.ts';

/** linux.resources after an update (config.json, for the next start). */
export function resourcesAfterUpdate(res: Resources, r: ResourceUpdate): Resources {
  const out: Resources = { ...res, ...(res.memory ? { memory: { ...res.memory } } : {}), ...(res.cpu ? { cpu: { ...res.cpu } } : {}) };
  const unlimited = (n: number) => n <= 0;
  if (r.memory !== undefined || r.memorySwap !== undefined) {
    const m = { ...(out.memory ?? {}) };
    if (r.memory !== undefined) {
      if (unlimited(r.memory)) delete m.limit;
      else m.limit = r.memory;
    }
    if (r.memorySwap !== undefined) {
      if (unlimited(r.memorySwap)) delete m.swap;
      else m.swap = r.memorySwap;
    }
    out.memory = m;
  }
  if (r.cpuShares !== undefined || r.cpuPeriod !== undefined || r.cpuQuota !== undefined || r.cpusetCpus !== undefined) {
    const c = { ...(out.cpu ?? {}) };
    if (r.cpuShares !== undefined) c.shares = r.cpuShares;
    if (r.cpuPeriod !== undefined) c.period = r.cpuPeriod;
    if (r.cpuQuota !== undefined) {
      if (unlimited(r.cpuQuota)) delete c.quota;
      else c.quota = r.cpuQuota;
    }
    if (r.cpusetCpus !== undefined) c.cpus = r.cpusetCpus;
    out.cpu = c;
  }
  if (r.memoryReservation !== undefined || r.kernelMemory !== undefined) {
    const m = { ...(out.memory ?? {}) };
    if (r.memoryReservation !== undefined) {
      if (unlimited(r.memoryReservation)) delete m.reservation;
      else m.reservation = r.memoryReservation;
    }
    if (r.kernelMemory !== undefined) {
      if (unlimited(r.kernelMemory)) delete m.kernel;
      else m.kernel = r.kernelMemory;
    }
    out.memory = m;
  }
  if (r.cpusetMems !== undefined || r.cpuRtPeriod !== undefined || r.cpuRtRuntime !== undefined) {
    const c = { ...(out.cpu ?? {}) };
    if (r.cpusetMems !== undefined) c.mems = r.cpusetMems;
    if (r.cpuRtPeriod !== undefined) c.realtimePeriod = r.cpuRtPeriod;
    if (r.cpuRtRuntime !== undefined) c.realtimeRuntime = r.cpuRtRuntime;
    out.cpu = c;
  }
  if (r.blkioWeight !== undefined) out.blockIO = { ...(out.blockIO ?? {}), weight: r.blkioWeight };
  if (r.pidsLimit !== undefined) {
    if (unlimited(r.pidsLimit)) delete out.pids;
    else out.pids = { limit: r.pidsLimit };
  }
  return out;
}
