// Resource usage samples for `isula stats`: raw counters per container plus the host's CPU time,
// so the client can compute CPU % between two samples the way docker does. A container that is
// not running reports zeros (its cgroup is gone or idle), as docker shows it.
import { totalmem } from 'node:os';
import { readSystemCpu } from '../../cgroups/proc-usage.ts';
import { isStatsSource } from '../../runtime/runtime.ts';
import type { RuntimeStats } from '../../runtime/runtime.ts';
import { messageOf } from '../../util/errors.ts';
import { log } from '../../util/log.ts';
import type { ContainerCore } from './core.ts';
import { inspectStatus } from './status.ts';
import type { ContainerRecord } from './types.ts';

export interface ContainerStatsSample {
  id: string;
  name: string;
  status: string;
  pidsCurrent: number;
  cpuUseNanos: number;
  /** host CPU time since boot (ns), read in the same call */
  systemCpuNanos: number;
  onlineCpus: number;
  blkioRead: number;
  blkioWrite: number;
  /** raw usage, page cache included; the client subtracts inactiveFile */
  memUsed: number;
  /** the cgroup limit, or the host's memory when unlimited (what the container can really use) */
  memLimit: number;
  cache: number;
  inactiveFile: number;
  netRx: number;
  netTx: number;
}

/** refs empty: every running container (all=true: every container); else exactly those (not-found fails). */
function selected(core: ContainerCore, refs: string[], all: boolean): ContainerRecord[] {
  if (refs.length > 0) return refs.map((r) => core.find(r));
  return core.all().filter((c) => all || (c.State.Running && !c.State.Restarting));
}

async function runtimeStats(core: ContainerCore, rec: ContainerRecord): Promise<RuntimeStats> {
  if (!rec.State.Running) return {};
  const rt = core.runtimeOf(rec);
  if (!isStatsSource(rt)) return {};
  try {
    return await rt.stats(rec.Id);
  } catch (err) {
    // stopped between the record read and the cgroup read: zeros, like a stopped container
    log.with({ container: rec.Id }).debug(`stats unavailable: ${messageOf(err)}`);
    return {};
  }
}

export async function containerStats(core: ContainerCore, refs: string[], all: boolean): Promise<ContainerStatsSample[]> {
  const recs = selected(core, refs, all);
  const [sys, ...per] = await Promise.all([readSystemCpu(), ...recs.map((r) => runtimeStats(core, r))]);
  const hostMem = totalmem();
  return recs.map((rec, i) => {
    const s = per[i] ?? {};
    const running = rec.State.Running;
    return {
      id: rec.Id,
      name: rec.Name,
      status: inspectStatus(rec.State),
      pidsCurrent: s.pidsCurrent ?? 0,
      cpuUseNanos: s.cpuUsageNanos ?? 0,
      systemCpuNanos: sys.totalNanos,
      onlineCpus: sys.onlineCpus,
      blkioRead: s.blkioRead ?? 0,
      blkioWrite: s.blkioWrite ?? 0,
      memUsed: s.memoryUsage ?? 0,
      memLimit: running ? (s.memoryLimit ?? hostMem) : 0,
      cache: s.memoryCache ?? 0,
      inactiveFile: s.memoryInactiveFile ?? 0,
      netRx: s.netRx ?? 0,
      netTx: s.netTx ?? 0,
    };
  });
}
