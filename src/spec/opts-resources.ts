// Resource options: memory, swap, cpus, shares, quota/period, cpuset, pids, ulimits (clamped to the
// daemon's hard limits: the host lacks CAP_SYS_RESOURCE, raising a hard limit fails the start),
// oom-score-adj (raise only, for the same reason), cgroup path.
import { invalidArgument } from '../util/errors.ts';
import { MIN_MEMORY } from './defaults.ts';
import type { PosixRlimit, Resources, SpecContext, SpecOpt } from './types.ts';

/** -m / --memory-swap with docker's rules: swap unset → 2×memory; -1 → unlimited swap. */
export function withMemory(opts: { memory?: number; memorySwap?: number; reservation?: number; swappiness?: number; kernel?: number; disableOOMKiller?: boolean }): SpecOpt {
  return (s) => {
    const mem = s.linux.resources.memory ?? {};
    const { memory, memorySwap } = opts;
    if (memory !== undefined && memory > 0) {
      if (memory < MIN_MEMORY) throw invalidArgument('Minimum memory limit allowed is 4MB');
      mem.limit = memory;
      if (memorySwap === undefined || memorySwap === 0) mem.swap = memory * 2;
    }
    if (memorySwap !== undefined && memorySwap !== 0) {
      if (memorySwap === -1) mem.swap = -1;
      else {
        if (memory === undefined || memory <= 0) throw invalidArgument('You should always set the Memory limit when using Memoryswap limit');
        if (memorySwap < memory) throw invalidArgument('Minimum memoryswap limit should be larger than memory limit, see usage');
        mem.swap = memorySwap;
      }
    }
    if (opts.reservation !== undefined && opts.reservation > 0) mem.reservation = opts.reservation;
    if (opts.swappiness !== undefined && opts.swappiness >= 0) {
      if (opts.swappiness > 100) throw invalidArgument(`invalid value: ${opts.swappiness}, valid memory swappiness range is 0-100`);
      mem.swappiness = opts.swappiness;
    }
    if (opts.kernel !== undefined && opts.kernel > 0) mem.kernel = opts.kernel;
    if (opts.disableOOMKiller) mem.disableOOMKiller = true;
    if (Object.keys(mem).length > 0) s.linux.resources.memory = mem;
  };
}

const DEFAULT_CFS_PERIOD = 100000;

/** --cpus, --cpu-shares, --cpu-quota, --cpu-period, --cpuset-cpus, --cpuset-mems. */
export function withCpu(opts: { cpus?: number; shares?: number; quota?: number; period?: number; cpusetCpus?: string; cpusetMems?: string }): SpecOpt {
  return (s) => {
    const cpu = s.linux.resources.cpu ?? {};
    if (opts.cpus !== undefined && opts.cpus > 0) {
      if (opts.quota !== undefined && opts.quota > 0) throw invalidArgument('Conflicting options: CPU Quota cannot be updated as NanoCPUs has already been set');
      cpu.period = DEFAULT_CFS_PERIOD;
      cpu.quota = Math.round(opts.cpus * DEFAULT_CFS_PERIOD);
    }
    if (opts.shares !== undefined && opts.shares > 0) {
      if (opts.shares < 2) throw invalidArgument('invalid cpu shares: minimum is 2');
      cpu.shares = opts.shares;
    }
    if (opts.period !== undefined && opts.period > 0) {
      if (opts.period < 1000 || opts.period > 1000000) throw invalidArgument('CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)');
      cpu.period = opts.period;
    }
    if (opts.quota !== undefined && opts.quota > 0) {
      if (opts.quota < 1000) throw invalidArgument('CPU cfs quota can not be less than 1ms (i.e. 1000)');
      cpu.quota = opts.quota;
    }
    for (const [key, v] of [['cpus', opts.cpusetCpus], ['mems', opts.cpusetMems]] as const) {
      if (v === undefined || v === '') continue;
      if (!/^\d+(-\d+)?(,\d+(-\d+)?)*$/.test(v)) throw invalidArgument(`invalid value ${v} for cpuset ${key}`);
      cpu[key] = v;
    }
    if (Object.keys(cpu).length > 0) s.linux.resources.cpu = cpu;
  };
}

/** --cpu-rt-period / --cpu-rt-runtime (microseconds; v1 cpu.rt_period_us / cpu.rt_runtime_us). */
export function withCpuRealtime(opts: { period?: number; runtime?: number }): SpecOpt {
  return (s) => {
    const { period = 0, runtime = 0 } = opts;
    if (period !== 0 && runtime !== 0 && runtime > period) throw invalidArgument('Invalid --cpu-rt-runtime: rt runtime cannot be higher than rt period');
    const cpu = s.linux.resources.cpu ?? {};
    if (period > 0) cpu.realtimePeriod = period;
    if (runtime !== 0) cpu.realtimeRuntime = runtime;
    if (Object.keys(cpu).length > 0) s.linux.resources.cpu = cpu;
  };
}

export type BlockIO = NonNullable<Resources['blockIO']>;

/** --blkio-weight, --blkio-weight-device and the four throttles (devices already resolved to major:minor). */
export function withBlockIO(io: BlockIO): SpecOpt {
  return (s) => {
    if (io.weight !== undefined && io.weight !== 0 && (io.weight < 10 || io.weight > 1000)) throw invalidArgument('Range of blkio weight is from 10 to 1000.');
    const out: BlockIO = {};
    if (io.weight) out.weight = io.weight;
    for (const k of ['weightDevice', 'throttleReadBpsDevice', 'throttleWriteBpsDevice', 'throttleReadIOPSDevice', 'throttleWriteIOPSDevice'] as const) {
      const v = io[k];
      if (v && v.length > 0) (out as Record<string, unknown>)[k] = v.map((d) => ({ ...d }));
    }
    if (Object.keys(out).length > 0) s.linux.resources.blockIO = out;
  };
}

/** --hugetlb-limit: one limit per page size (the last one given wins, as in iSulad). */
export function withHugepageLimits(limits: ReadonlyArray<{ pageSize: string; limit: number }>): SpecOpt {
  return (s) => {
    const by = new Map<string, number>();
    for (const l of limits) by.set(l.pageSize, l.limit);
    if (by.size > 0) s.linux.resources.hugepageLimits = [...by].map(([pageSize, limit]) => ({ pageSize, limit }));
  };
}

/** --files-limit (openEuler's files cgroup): > 0 limits, -1 unlimited, 0 unset. */
export function withFilesLimit(limit: number): SpecOpt {
  return (s) => {
    if (limit !== 0) s.linux.resources.files = { limit };
  };
}

/** --device-cgroup-rule "c 1:3 rwm": allow rules appended to the devices list. */
export function withDeviceCgroupRules(rules: readonly string[]): SpecOpt {
  return (s) => {
    for (const r of rules) {
      if (r === 'a') {
        s.linux.resources.devices.push({ allow: true, access: 'rwm' });
        continue;
      }
      const m = /^([acb]) ([0-9]+|\*):([0-9]+|\*) ([rwm]{1,3})$/.exec(r);
      if (!m) throw invalidArgument(`Invalid device cgroup rule ${r}`);
      const num = (x: string | undefined) => (x === '*' || x === undefined ? -1 : Number(x));
      s.linux.resources.devices.push({ allow: true, type: m[1] as 'a' | 'b' | 'c', major: num(m[2]), minor: num(m[3]), access: m[4] as string });
    }
  };
}

/** --pids-limit: > 0 limits; 0 or -1 = unlimited. */
export function withPidsLimit(limit: number): SpecOpt {
  return (s) => {
    if (limit > 0) s.linux.resources.pids = { limit };
    else delete s.linux.resources.pids;
  };
}

export const ULIMIT_NAMES: Record<string, string> = {
  core: 'RLIMIT_CORE', cpu: 'RLIMIT_CPU', data: 'RLIMIT_DATA', fsize: 'RLIMIT_FSIZE', locks: 'RLIMIT_LOCKS',
  memlock: 'RLIMIT_MEMLOCK', msgqueue: 'RLIMIT_MSGQUEUE', nice: 'RLIMIT_NICE', nofile: 'RLIMIT_NOFILE',
  nproc: 'RLIMIT_NPROC', rss: 'RLIMIT_RSS', rtprio: 'RLIMIT_RTPRIO', rttime: 'RLIMIT_RTTIME',
  sigpending: 'RLIMIT_SIGPENDING', stack: 'RLIMIT_STACK', as: 'RLIMIT_AS',
};

export interface Ulimit {
  name: string; // docker name: nofile, nproc …
  soft: number;
  hard: number;
}

/** -1 (unlimited) compares as +infinity. */
const lim = (n: number) => (n < 0 ? Infinity : n);

/**
 * --ulimit, clamped: a hard limit above the daemon's is lowered to it (and soft to ≤ hard), because
 * without CAP_SYS_RESOURCE raising it would fail the container start (research/runtime-lab.md).
 */
export function clampRlimit(r: PosixRlimit, ctx: SpecContext): PosixRlimit {
  const host = ctx.hostLimits[r.type];
  if (host === undefined) return r;
  const hard = lim(r.hard) > lim(host.hard) ? host.hard : r.hard;
  const soft = lim(r.soft) > lim(hard) ? hard : r.soft;
  return { type: r.type, soft, hard };
}

export function withUlimits(ulimits: Ulimit[]): SpecOpt {
  return (s, ctx) => {
    for (const u of ulimits) {
      const type = ULIMIT_NAMES[u.name];
      if (type === undefined) throw invalidArgument(`invalid ulimit type: ${u.name}`);
      const r = clampRlimit({ type, soft: u.soft, hard: u.hard }, ctx);
      s.process.rlimits = s.process.rlimits.filter((x) => x.type !== type);
      s.process.rlimits.push(r);
    }
  };
}

/** --oom-score-adj: -1000…1000, and never below the daemon's own value (lowering needs CAP_SYS_RESOURCE). */
export function withOomScoreAdj(adj: number): SpecOpt {
  return (s, ctx) => {
    if (!Number.isInteger(adj) || adj < -1000 || adj > 1000) throw invalidArgument(`Invalid value ${adj}, range for oom score adj is [-1000, 1000]`);
    if (adj < ctx.hostOomScoreAdj) {
      throw invalidArgument(`oom score adj ${adj} is below the daemon's ${ctx.hostOomScoreAdj}: lowering it needs CAP_SYS_RESOURCE`);
    }
    s.process.oomScoreAdj = adj;
  };
}

/** --cgroup-parent: the container's cgroup is <parent>/<id> in every hierarchy. */
export function withCgroupsPath(parent: string, id: string): SpecOpt {
  return (s) => {
    const p = parent.replace(/^\/+|\/+$/g, '');
    if (p.split('/').some((c) => c === '..' || c === '.')) throw invalidArgument(`invalid cgroup parent "${parent}"`);
    s.linux.cgroupsPath = `/${p === '' ? '' : p + '/'}${id}`;
  };
}
