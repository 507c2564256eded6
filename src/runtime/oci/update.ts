// isula update on an OCI runtime: `<runtime> update` flags for a running container, and the new
// linux.resources for config.json (the next start). Pure.
import type { ResourceUpdate, Resources } from '../runtime.ts';

/** runc/crun `update` flags; -1 (or 0 for pids/quota) = unlimited, as the service passes them. */
export function runtimeUpdateArgs(r: ResourceUpdate): string[] {
  const a: string[] = [];
  if (r.memory !== undefined) a.push('--memory', String(r.memory <= 0 ? -1 : r.memory));
  if (r.memorySwap !== undefined) a.push('--memory-swap', String(r.memorySwap <= 0 ? -1 : r.memorySwap));
  if (r.cpuShares !== undefined) a.push('--cpu-share', String(r.cpuShares));
  if (r.cpuPeriod !== undefined) a.push('--cpu-period', String(r.cpuPeriod));
  if (r.cpuQuota !== undefined) a.push('--cpu-quota', String(r.cpuQuota <= 0 ? -1 : r.cpuQuota));
  if (r.cpusetCpus !== undefined) a.push('--cpuset-cpus', r.cpusetCpus);
  if (r.pidsLimit !== undefined) a.push('--pids-limit', String(r.pidsLimit <= 0 ? -1 : r.pidsLimit));
  return a;
}

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
  if (r.pidsLimit !== undefined) {
    if (unlimited(r.pidsLimit)) delete out.pids;
    else out.pids = { limit: r.pidsLimit };
  }
  return out;
}
