// isula update, on every runtime: new cgroup limits written straight into a running container's
// cgroup files (lcr also writes them into its LXC config: lcr/update.ts). All or nothing: each
// file's old value is read first, and a refused write (memory below usage: EBUSY, a cpuset outside the online
// CPUs: EINVAL, ...) writes the old values back in reverse order before the error is reported.
// memory.limit_in_bytes must never exceed memory.memsw.limit_in_bytes, so the order depends on the
// direction: raise memsw before memory, lower memory before memsw.
import { readFile, writeFile } from 'node:fs/promises';
import type { CgroupLayout } from '../cgroups/hierarchy.ts';
import { controllerDir } from '../cgroups/hierarchy.ts';
import { errnoCode, invalidArgument, messageOf } from '../util/errors.ts';
import { log } from '../util/log.ts';
import type { ResourceUpdate } from './runtime.ts';

export interface CgroupWrite {
  controller: string;
  file: string;
  value: string;
}

const v1Unlimited = (n: number) => (n <= 0 ? '-1' : String(n));
const v2Max = (n: number) => (n <= 0 ? 'max' : String(n));

/**
 * The files to write, in a safe order. oldMemory/oldSwap are the limits in force (v1 bytes, -1 =
 * unlimited); swap is memory+swap as docker counts it. swapAccounting=false leaves memsw alone.
 */
export function planCgroupWrites(version: 'v1' | 'v2', r: ResourceUpdate, old: { memory: number; swap: number }, swapAccounting: boolean): CgroupWrite[] {
  const out: CgroupWrite[] = [];
  const w = (controller: string, file: string, value: string) => out.push({ controller, file, value });
  if (version === 'v1') {
    if (r.cpuShares !== undefined) w('cpu', 'cpu.shares', String(r.cpuShares));
    if (r.cpuPeriod !== undefined) w('cpu', 'cpu.cfs_period_us', String(r.cpuPeriod));
    if (r.cpuQuota !== undefined) w('cpu', 'cpu.cfs_quota_us', v1Unlimited(r.cpuQuota));
    if (r.cpusetCpus !== undefined) w('cpuset', 'cpuset.cpus', r.cpusetCpus);
    if (r.pidsLimit !== undefined) w('pids', 'pids.max', r.pidsLimit <= 0 ? 'max' : String(r.pidsLimit));
    if (r.cpusetMems !== undefined) w('cpuset', 'cpuset.mems', r.cpusetMems);
    // period first: a runtime is checked against the period in force
    if (r.cpuRtPeriod !== undefined) w('cpu', 'cpu.rt_period_us', String(r.cpuRtPeriod));
    if (r.cpuRtRuntime !== undefined) w('cpu', 'cpu.rt_runtime_us', String(r.cpuRtRuntime));
    if (r.blkioWeight !== undefined) w('blkio', 'blkio.weight', String(r.blkioWeight));
    if (r.memoryReservation !== undefined) w('memory', 'memory.soft_limit_in_bytes', v1Unlimited(r.memoryReservation));
    if (r.kernelMemory !== undefined) w('memory', 'memory.kmem.limit_in_bytes', v1Unlimited(r.kernelMemory));
    const mem = r.memory !== undefined ? { c: 'memory', f: 'memory.limit_in_bytes', v: v1Unlimited(r.memory) } : undefined;
    const swap = r.memorySwap !== undefined && swapAccounting ? { c: 'memory', f: 'memory.memsw.limit_in_bytes', v: v1Unlimited(r.memorySwap) } : undefined;
    const newMem = r.memory === undefined ? old.memory : r.memory <= 0 ? Infinity : r.memory;
    const oldSwap = old.swap <= 0 ? Infinity : old.swap;
    // memory above the old memsw limit: memsw has to go up first
    const swapFirst = newMem > oldSwap;
    for (const x of swapFirst ? [swap, mem] : [mem, swap]) if (x) w(x.c, x.f, x.v);
    return out;
  }
  if (r.cpuShares !== undefined) w('cpu', 'cpu.weight', String(1 + Math.floor(((r.cpuShares - 2) * 9999) / 262142)));
  if (r.cpuQuota !== undefined || r.cpuPeriod !== undefined) w('cpu', 'cpu.max', `${r.cpuQuota === undefined || r.cpuQuota <= 0 ? 'max' : r.cpuQuota} ${r.cpuPeriod ?? 100000}`);
  if (r.cpusetCpus !== undefined) w('cpuset', 'cpuset.cpus', r.cpusetCpus);
  if (r.pidsLimit !== undefined) w('pids', 'pids.max', v2Max(r.pidsLimit));
  if (r.cpusetMems !== undefined) w('cpuset', 'cpuset.mems', r.cpusetMems);
  if (r.blkioWeight !== undefined) w('io', 'io.bfq.weight', String(r.blkioWeight));
  if (r.memoryReservation !== undefined) w('memory', 'memory.low', r.memoryReservation <= 0 ? '0' : String(r.memoryReservation));
  // v2 has no ordering constraint: memory.swap.max is swap alone
  if (r.memory !== undefined) w('memory', 'memory.max', v2Max(r.memory));
  if (r.memorySwap !== undefined && swapAccounting) {
    const m = r.memory ?? old.memory;
    w('memory', 'memory.swap.max', r.memorySwap <= 0 || m <= 0 ? 'max' : String(Math.max(0, r.memorySwap - m)));
  }
  return out;
}

const ERRNO_TEXT: Record<string, string> = {
  EBUSY: 'Device or resource busy',
  EINVAL: 'Invalid argument',
  ERANGE: 'Numerical result out of range',
  ENOENT: 'No such file or directory',
  EACCES: 'Permission denied',
  EPERM: 'Operation not permitted',
};

/** Writes in order; on a refusal restores what was written (reverse order) and throws invalid-argument. */
export async function applyCgroupWrites(layout: CgroupLayout, cgroupPath: string, writes: CgroupWrite[]): Promise<void> {
  const done: Array<{ path: string; old: string }> = [];
  for (const wr of writes) {
    const dir = controllerDir(layout, wr.controller, cgroupPath);
    const path = `${dir}/${wr.file}`;
    try {
      if (dir === undefined) throw Object.assign(new Error('controller not mounted'), { code: 'ENOENT' });
      const old = (await readFile(path, 'utf8')).trim();
      await writeFile(path, wr.value);
      done.push({ path, old });
    } catch (err) {
      for (const d of done.reverse()) {
        await writeFile(d.path, d.old).catch((e: unknown) => log.warn(`update rollback: restoring ${d.path} to ${d.old} failed: ${messageOf(e)}`));
      }
      const code = errnoCode(err);
      const why = (code && ERRNO_TEXT[code]) ?? messageOf(err);
      throw invalidArgument(`Failed to set "${wr.file}" to "${wr.value}": ${why}`);
    }
  }
}

/** The old values as writes (to undo a successful apply when a later step fails). */
export async function currentValues(layout: CgroupLayout, cgroupPath: string, writes: CgroupWrite[]): Promise<CgroupWrite[]> {
  const out: CgroupWrite[] = [];
  for (const wr of writes) {
    const dir = controllerDir(layout, wr.controller, cgroupPath);
    const v = dir === undefined ? undefined : await readFile(`${dir}/${wr.file}`, 'utf8').then((t) => t.trim(), () => undefined);
    if (v !== undefined) out.push({ ...wr, value: v });
  }
  return out.reverse();
}

/** CPU numbers of a cpuset list ("0-2,5" → 0,1,2,5); undefined when malformed. */
export function parseCpuList(list: string): Set<number> | undefined {
  const out = new Set<number>();
  for (const part of list.trim().split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) return undefined;
    const lo = Number(m[1]);
    const hi = m[2] === undefined ? lo : Number(m[2]);
    if (hi < lo || hi - lo > 65536) return undefined;
    for (let c = lo; c <= hi; c++) out.add(c);
  }
  return out;
}

/**
 * A stopped container's cpuset is only checked by the kernel at its next start, which would then
 * fail: check it against the online CPUs now, with the errno text the kernel gives a running one.
 */
export function checkCpusetOnline(value: string, online: string): void {
  const want = parseCpuList(value);
  const have = parseCpuList(online);
  if (!want || !have || [...want].some((c) => !have.has(c))) {
    throw invalidArgument(`Failed to set "cpuset.cpus" to "${value}": Numerical result out of range`);
  }
}
