// isula update [OPTIONS] CONTAINER...: new cgroup limits and restart policy for running or stopped
// containers, sent as hostconfig JSON (docker's field names, iSulad's for the keys docker lacks;
// zero = unchanged). Prints each container as given. Exit codes as iSulad's client: 125 for a flag
// it cannot parse or no container named, 1 for no update flag and for whatever the daemon refuses.
import { failedPrecondition, invalidArgument, messageOf } from '../../util/errors.ts';
import type { Command } from '../command.ts';
import { flagNumber, flagString, parseSize } from '../flags.ts';
import { parseCpus, parseRestartPolicy } from '../lib/create-flags.ts';
import { forEachContainer } from '../lib/container-batch.ts';

export function updateHostConfig(get: { num(flag: string): number | undefined; str(flag: string): string | undefined }): Record<string, unknown> {
  const hc: Record<string, unknown> = {};
  const memory = get.num('memory');
  if (memory !== undefined) hc['Memory'] = memory;
  const swap = get.str('memory-swap');
  if (swap !== undefined) {
    const n = swap === '-1' ? -1 : parseSize(swap);
    if (n === undefined) throw invalidArgument(`Invalid value "${swap}" for flag --memory-swap`);
    hc['MemorySwap'] = n;
  }
  const cpus = get.str('cpus');
  if (cpus !== undefined) {
    hc['NanoCpus'] = parseCpus(cpus);
  }
  const numbers = [
    ['cpu-shares', 'CpuShares'], ['cpu-quota', 'CpuQuota'], ['cpu-period', 'CpuPeriod'], ['pids-limit', 'PidsLimit'],
    ['memory-reservation', 'MemoryReservation'], ['kernel-memory', 'KernelMemory'], ['blkio-weight', 'BlkioWeight'],
    ['cpu-rt-period', 'CPURealtimePeriod'], ['cpu-rt-runtime', 'CPURealtimeRuntime'],
  ] as const;
  for (const [flag, key] of numbers) {
    const v = get.num(flag);
    if (v !== undefined) hc[key] = v;
  }
  const cpuset = get.str('cpuset-cpus');
  if (cpuset !== undefined) hc['CpusetCpus'] = cpuset;
  const mems = get.str('cpuset-mems');
  if (mems !== undefined) hc['CpusetMems'] = mems;
  const restart = get.str('restart');
  if (restart !== undefined) {
    // iSulad's client sends the policy as given and its daemon refuses a bad one: exit 1
    try {
      hc['RestartPolicy'] = parseRestartPolicy(restart);
    } catch (err) {
      throw failedPrecondition(messageOf(err));
    }
  }
  if (Object.keys(hc).length === 0) throw failedPrecondition('You must provide one or more update flags when using this command');
  return hc;
}

export const command: Command = {
  name: 'update',
  usage: '[OPTIONS] CONTAINER [CONTAINER...]',
  description: 'Update configuration of one or more containers',
  flags: [
    { long: 'cpu-shares', kind: 'int', description: 'CPU shares (relative weight)' },
    { long: 'cpu-period', kind: 'int', description: 'Limit CPU CFS (Completely Fair Scheduler) period' },
    { long: 'cpu-quota', kind: 'int', description: 'Limit CPU CFS (Completely Fair Scheduler) quota' },
    { long: 'cpus', kind: 'string', description: 'Number of CPUs' },
    { long: 'cpuset-cpus', kind: 'string', description: 'CPUs in which to allow execution (0-3, 0,1)' },
    { long: 'cpuset-mems', kind: 'string', description: 'MEMs in which to allow execution (0-3, 0,1)' },
    { long: 'cpu-rt-period', kind: 'int', description: 'Limit CPU real-time period in microseconds' },
    { long: 'cpu-rt-runtime', kind: 'int', description: 'Limit CPU real-time runtime in microseconds' },
    { long: 'blkio-weight', kind: 'u16', description: 'Block IO (relative weight), between 10 and 1000, or 0 to disable (default 0)' },
    { long: 'kernel-memory', kind: 'size', description: 'Kernel memory limit' },
    { long: 'memory-reservation', kind: 'size', description: 'Memory soft limit' },
    { long: 'memory', short: 'm', kind: 'size', description: 'Memory limit' },
    { long: 'memory-swap', kind: 'string', description: "Swap limit equal to memory plus swap: '-1' to enable unlimited swap" },
    { long: 'pids-limit', kind: 'int', description: 'Tune container pids limit (set -1 for unlimited)' },
    { long: 'restart', kind: 'string', description: 'Restart policy to apply when a container exits' },
  ],
  args: { min: 1, max: -1 },
  async run(ctx) {
    const hostconfig = JSON.stringify(updateHostConfig({ num: (x) => flagNumber(ctx.flags, x), str: (x) => flagString(ctx.flags, x) }));
    const c = await ctx.client();
    return forEachContainer(
      ctx,
      async (name) => {
        await c.call('containers', 'Update', { id: name, hostconfig }, { signal: ctx.signal });
        return name;
      },
    );
  },
};
