// isula update: new limits and restart policy for a container, running or not. The runtime
// changes the cgroup (live) and its config (next start) all or nothing; only then is the record
// committed, so a refused value changes nothing. Zero means "not given", as in docker's update.
import { checkUpdateRanges, updatePatchOf } from './validate.ts';
import { MIN_MEMORY } from '../../spec/index.ts';
import { invalidArgument, notImplemented } from '../../util/errors.ts';
import { log } from '../../util/log.ts';
import { isResourceUpdater } from '../../runtime/runtime.ts';
import type { ResourceUpdate } from '../../runtime/runtime.ts';
import type { ContainerCore } from './core.ts';
import { validateRestartPolicy } from './restart-policy.ts';
import { checkHostSupport } from './host-support.ts';
import type { ContainerRecord, HostConfig } from './types.ts';
import type { UpdatePatch } from './validate.ts';

export type { UpdatePatch } from './validate.ts';

const DEFAULT_CFS_PERIOD = 100000;

/** memory+swap in force: create's default is twice the memory; -1 = unlimited. */
export function effectiveSwap(hc: Pick<HostConfig, 'Memory' | 'MemorySwap'>): number {
  if (hc.MemorySwap !== 0) return hc.MemorySwap;
  return hc.Memory > 0 ? hc.Memory * 2 : -1;
}

const given = (n: number | undefined): n is number => n !== undefined && n !== 0;

/** Validates the patch against the current HostConfig; returns the next HostConfig and the cgroup changes. */
export function planUpdate(hc: HostConfig, patch: UpdatePatch, cpus?: number): { next: HostConfig; resources: ResourceUpdate } {
  // the CRI and isula both come through here: types first (the patch is the wire's), then ranges
  const p = updatePatchOf(patch);
  checkUpdateRanges(p, cpus);
  const next: HostConfig = { ...hc };
  const r: ResourceUpdate = {};
  if (given(p.Memory)) {
    next.Memory = p.Memory < 0 ? 0 : p.Memory;
    r.memory = p.Memory < 0 ? -1 : p.Memory;
  }
  if (given(p.MemorySwap)) {
    if (p.MemorySwap !== -1) {
      if (next.Memory <= 0) throw invalidArgument('You should always set the Memory limit when using Memoryswap limit');
      if (p.MemorySwap < next.Memory) throw invalidArgument('Minimum memoryswap limit should be larger than memory limit, see usage');
    }
    next.MemorySwap = p.MemorySwap;
    r.memorySwap = p.MemorySwap;
  } else if (given(p.Memory)) {
    const swap = effectiveSwap(hc);
    if (swap > 0 && next.Memory > swap) throw invalidArgument('Memory limit should be smaller than already set memoryswap limit, update the memoryswap at the same time');
    // keep the swap in force, written down so a rebuilt config gets the same value
    next.MemorySwap = swap;
  }
  if (given(p.CpuShares)) {
    next.CpuShares = p.CpuShares;
    r.cpuShares = p.CpuShares;
  }
  // both in one update: iSulad's create-time words (iSulad CI nano_cpus.sh)
  if (given(p.NanoCpus) && p.NanoCpus > 0 && given(p.CpuPeriod) && p.CpuPeriod > 0) throw invalidArgument('Conflicting options: Nano CPUs and CPU Period cannot both be set');
  if (given(p.NanoCpus) && p.NanoCpus > 0 && given(p.CpuQuota) && p.CpuQuota > 0) throw invalidArgument('Conflicting options: Nano CPUs and CPU Quota cannot both be set');
  if (given(p.NanoCpus)) {
    if (given(p.CpuQuota) || (hc.CpuQuota > 0 && hc.NanoCpus === 0)) throw invalidArgument('Conflicting options: Nano CPUs cannot be updated as CPU Quota has already been set');
    next.NanoCpus = p.NanoCpus;
    r.cpuPeriod = DEFAULT_CFS_PERIOD;
    r.cpuQuota = Math.round((p.NanoCpus / 1e9) * DEFAULT_CFS_PERIOD);
  }
  if (given(p.CpuQuota)) {
    if (hc.NanoCpus > 0) throw invalidArgument('Conflicting options: CPU Quota cannot be updated as NanoCPUs has already been set');
    next.CpuQuota = p.CpuQuota;
    r.cpuQuota = p.CpuQuota;
  }
  if (given(p.CpuPeriod)) {
    if (hc.NanoCpus > 0 || given(p.NanoCpus)) throw invalidArgument('Conflicting options: CPU Period cannot be updated as NanoCPUs has already been set');
    next.CpuPeriod = p.CpuPeriod;
    r.cpuPeriod = p.CpuPeriod;
  }
  if (p.CpusetCpus !== undefined && p.CpusetCpus !== '') {
    next.CpusetCpus = p.CpusetCpus;
    r.cpusetCpus = p.CpusetCpus;
  }
  if (given(p.PidsLimit)) {
    next.PidsLimit = p.PidsLimit < 0 ? 0 : p.PidsLimit;
    r.pidsLimit = p.PidsLimit < 0 ? -1 : p.PidsLimit;
  }
  planFinerUpdate(p, next, r);
  if (p.RestartPolicy !== undefined && p.RestartPolicy.Name !== '') {
    validateRestartPolicy(p.RestartPolicy);
    if (hc.AutoRemove && p.RestartPolicy.Name !== 'no') throw invalidArgument('Restart policy cannot be updated because AutoRemove is enabled for the container');
    next.RestartPolicy = { ...p.RestartPolicy };
  }
  return { next, resources: r };
}

/**
 * --cpuset-mems, --memory-reservation, --kernel-memory, --blkio-weight, --cpu-rt-*: iSulad merges
 * them into the container's HostConfig and checks the result as a create would (verify.c), so a
 * reservation must stay under the memory limit in force, whichever of the two is updated.
 */
function planFinerUpdate(p: UpdatePatch, next: HostConfig, r: ResourceUpdate): void {
  if (p.CpusetMems !== undefined && p.CpusetMems !== '') {
    if (!/^\d+(-\d+)?(,\d+(-\d+)?)*$/.test(p.CpusetMems)) throw invalidArgument(`Invalid value ${p.CpusetMems} for cpuset mems`);
    next.CpusetMems = p.CpusetMems;
    r.cpusetMems = p.CpusetMems;
  }
  if (given(p.MemoryReservation)) {
    if (p.MemoryReservation < MIN_MEMORY) throw invalidArgument('Minimum memory reservation allowed is 4MB');
    next.MemoryReservation = p.MemoryReservation;
    r.memoryReservation = p.MemoryReservation;
  }
  const reservation = next.MemoryReservation ?? 0;
  if (reservation > 0 && next.Memory > 0 && next.Memory < reservation) {
    throw invalidArgument('Minimum memory limit should be larger than memory reservation limit, see usage.');
  }
  if (given(p.KernelMemory)) {
    if (p.KernelMemory < MIN_MEMORY) throw invalidArgument('Minimum kernel memory limit allowed is 4MB');
    next.KernelMemory = p.KernelMemory;
    r.kernelMemory = p.KernelMemory;
  }
  if (given(p.BlkioWeight)) {
    if (p.BlkioWeight < 10 || p.BlkioWeight > 1000) throw invalidArgument('Range of blkio weight is from 10 to 1000.');
    next.BlkioWeight = p.BlkioWeight;
    r.blkioWeight = p.BlkioWeight;
  }
  if (given(p.CPURealtimePeriod)) {
    next.CPURealtimePeriod = p.CPURealtimePeriod;
    r.cpuRtPeriod = p.CPURealtimePeriod;
  }
  if (given(p.CPURealtimeRuntime)) {
    next.CPURealtimeRuntime = p.CPURealtimeRuntime;
    r.cpuRtRuntime = p.CPURealtimeRuntime;
  }
  const period = next.CPURealtimePeriod ?? 0;
  const runtime = next.CPURealtimeRuntime ?? 0;
  if ((given(p.CPURealtimePeriod) || given(p.CPURealtimeRuntime)) && period !== 0 && runtime > period) {
    throw invalidArgument('Invalid --cpu-rt-runtime: rt runtime cannot be higher than rt period');
  }
}

/** The limits of hc for the keys of r: what to write back when the commit after a live update fails. */
function previousOf(hc: HostConfig, r: ResourceUpdate): ResourceUpdate {
  const out: ResourceUpdate = {};
  if (r.memory !== undefined) out.memory = hc.Memory > 0 ? hc.Memory : -1;
  if (r.memorySwap !== undefined) out.memorySwap = effectiveSwap(hc);
  if (r.cpuShares !== undefined) out.cpuShares = hc.CpuShares > 0 ? hc.CpuShares : 1024;
  if (r.cpuPeriod !== undefined) out.cpuPeriod = hc.CpuPeriod > 0 ? hc.CpuPeriod : DEFAULT_CFS_PERIOD;
  if (r.cpuQuota !== undefined) out.cpuQuota = hc.NanoCpus > 0 ? Math.round((hc.NanoCpus / 1e9) * DEFAULT_CFS_PERIOD) : hc.CpuQuota > 0 ? hc.CpuQuota : -1;
  if (r.cpusetCpus !== undefined && hc.CpusetCpus !== '') out.cpusetCpus = hc.CpusetCpus;
  if (r.pidsLimit !== undefined) out.pidsLimit = hc.PidsLimit > 0 ? hc.PidsLimit : -1;
  if (r.cpusetMems !== undefined && hc.CpusetMems) out.cpusetMems = hc.CpusetMems;
  if (r.memoryReservation !== undefined) out.memoryReservation = hc.MemoryReservation ? hc.MemoryReservation : -1;
  if (r.kernelMemory !== undefined) out.kernelMemory = hc.KernelMemory ? hc.KernelMemory : -1;
  if (r.blkioWeight !== undefined && hc.BlkioWeight) out.blkioWeight = hc.BlkioWeight;
  if (r.cpuRtPeriod !== undefined && hc.CPURealtimePeriod) out.cpuRtPeriod = hc.CPURealtimePeriod;
  if (r.cpuRtRuntime !== undefined) out.cpuRtRuntime = hc.CPURealtimeRuntime ?? 0;
  return out;
}

export async function updateContainer(core: ContainerCore, ref: string, patch: UpdatePatch): Promise<ContainerRecord> {
  const found = core.find(ref);
  return core.withLock(found.Id, async () => {
    const rec = core.current(found.Id);
    const { next, resources } = planUpdate(rec.HostConfig, patch);
    if (given(patch.KernelMemory) && rec.State.Running) {
      throw invalidArgument(`Cannot update container ${rec.Id}: Can not update kernel memory to a running container, please stop it first.`);
    }
    const support = core.deps.hostSupport;
    if (support) {
      const asked: Partial<HostConfig> = {};
      for (const k of ['CpusetMems', 'MemoryReservation', 'KernelMemory', 'BlkioWeight', 'CPURealtimePeriod', 'CPURealtimeRuntime'] as const) {
        if (patch[k] !== undefined && patch[k] !== 0 && patch[k] !== '') (asked as Record<string, unknown>)[k] = patch[k];
      }
      for (const w of checkHostSupport(asked, support)) {
        log.with({ container: rec.Id }).warn(`update: ${w}`);
        delete resources.kernelMemory;
      }
    }
    const rt = core.runtimeOf(rec);
    const changesLimits = Object.keys(resources).length > 0;
    if (changesLimits) {
      if (!isResourceUpdater(rt)) throw notImplemented(`runtime ${rt.name} cannot update resources`);
      await rt.updateResources(rec.Id, resources);
    }
    let committed: ContainerRecord;
    try {
      committed = await core.commit(rec, undefined, { HostConfig: next });
    } catch (err) {
      if (changesLimits && isResourceUpdater(rt)) {
        await rt.updateResources(rec.Id, previousOf(rec.HostConfig, resources)).catch((e: unknown) => log.with({ container: rec.Id }).warn('update: restoring the old limits failed', e));
      }
      throw err;
    }
    core.emit(committed, 'update');
    return committed;
  });
}
